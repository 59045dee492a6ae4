import { and, eq, inArray, like } from 'drizzle-orm';
import type { Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { PlanStatus, TeamRole } from '$lib/server/db/schema';
import type { PlanSource } from '$lib/plan';
import type { Model } from '$lib/server/model/types';
import { demoCycles } from './assessments';

/*
 * Improvement plans at every stage: Payments API has one of each (planned, in progress, overdue,
 * met by its current answers, carried over from the closed 2026-Q3, done, dropped, and a
 * practice-level item toward its target); a few other teams have smaller plans, and Notifications
 * plans from a reviewer's question. Due dates are relative to the day of seeding, so the overdue
 * item stays overdue and the others stay ahead.
 */

type Pick = 'met' | 'open';
interface Spec {
	team: string;
	practice: string;
	/** A criterion the current answers show as "all" (met), one they do not (open), or the whole practice. */
	criterion: Pick | null;
	action: string;
	status: PlanStatus;
	source: PlanSource;
	/** Days from the seeding day. */
	due: number;
	owner: TeamRole;
	/** The closed cycle it was made in, when carried over. */
	from?: string;
}

const specs: Spec[] = [
	{
		team: 'payments-api',
		practice: 'threat-modeling',
		criterion: 'open',
		action: 'Hold a threat modeling session for the refund flow and file its findings as tickets',
		status: 'in_progress',
		source: 'next_step',
		due: 20,
		owner: 'lead',
		from: '2026-Q3'
	},
	{
		team: 'payments-api',
		practice: 'static-analysis',
		criterion: 'open',
		action: 'Make the SAST job a required check on every repository',
		status: 'planned',
		source: 'next_step',
		due: -10,
		owner: 'member'
	},
	{
		team: 'payments-api',
		practice: 'secret-detection',
		criterion: 'met',
		action: 'Turn on push protection for secrets in every repository',
		status: 'in_progress',
		source: 'next_step',
		due: 30,
		owner: 'member'
	},
	{
		team: 'payments-api',
		practice: 'dependency-scanning',
		criterion: null,
		action: 'Reach the target level: triage dependency alerts weekly with an agreed deadline',
		status: 'planned',
		source: 'target',
		due: 60,
		owner: 'lead'
	},
	{
		team: 'payments-api',
		practice: 'code-review',
		criterion: 'open',
		action: 'Add a security checklist to the pull request template',
		status: 'done',
		source: 'manual',
		due: -20,
		owner: 'member'
	},
	{
		team: 'payments-api',
		practice: 'dynamic-analysis',
		criterion: 'open',
		action: 'Evaluate a commercial DAST scanner (dropped: the open-source one covers our APIs)',
		status: 'dropped',
		source: 'manual',
		due: 10,
		owner: 'lead'
	},
	{
		team: 'checkout-web',
		practice: 'static-analysis',
		criterion: 'open',
		action: 'Run SAST on pull requests and block merges on new high findings',
		status: 'in_progress',
		source: 'next_step',
		due: 14,
		owner: 'lead'
	},
	{
		team: 'checkout-web',
		practice: 'security-requirements',
		criterion: 'open',
		action: 'Write abuse cases for the new one-click checkout stories',
		status: 'planned',
		source: 'manual',
		due: 45,
		owner: 'member'
	},
	{
		team: 'fraud-detection',
		practice: 'logging-alerting',
		criterion: 'open',
		action: 'Alert on repeated failed model-deployment sign-ins',
		status: 'planned',
		source: 'next_step',
		due: -3,
		owner: 'member'
	},
	{
		team: 'mobile-app',
		practice: 'secure-coding',
		criterion: 'open',
		action: 'Adopt the platform keystore wrapper in both apps',
		status: 'planned',
		source: 'next_step',
		due: 40,
		owner: 'lead',
		from: '2026-Q3'
	}
];

const day = 86_400_000;
const dateOf = (base: Date, days: number) =>
	new Date(base.getTime() + days * day).toISOString().slice(0, 10);

/** The demo teams' improvement plans (and one item from Notifications' reviewer question). */
export async function seedDemoPlans(
	tx: Tx,
	model: Model,
	teams: { id: string; slug: string }[],
	memberships: { teamId: string; userId: string; role: TeamRole }[],
	today = new Date()
) {
	const teamId = new Map(teams.map((t) => [t.slug, t.id]));
	const cycles = await tx
		.select({ id: table.cycle.id, name: table.cycle.name, startsOn: table.cycle.startsOn })
		.from(table.cycle)
		.where(
			inArray(
				table.cycle.name,
				demoCycles.map((c) => c.name)
			)
		);
	const current = cycles.find((c) => c.name === demoCycles.at(-1)!.name)!;
	// The current cycle's answers of the teams with a plan: which criteria are "all" and which not.
	const answers = await tx
		.select({
			teamId: table.assessment.teamId,
			criterionId: table.answer.criterionId,
			value: table.answer.value
		})
		.from(table.answer)
		.innerJoin(table.assessment, eq(table.assessment.id, table.answer.assessmentId))
		.where(eq(table.assessment.cycleId, current.id));
	const answerOf = (team: string, criterionId: string) =>
		answers.find((a) => a.teamId === team && a.criterionId === criterionId)?.value ?? null;
	const ownerOf = (team: string, role: TeamRole) =>
		memberships.find((m) => m.teamId === team && m.role === role)?.userId ??
		memberships.find((m) => m.teamId === team)!.userId;

	const rows: (typeof table.planItem.$inferInsert)[] = [];
	for (const s of specs) {
		const team = teamId.get(s.team);
		const practice = model.practiceById.get(s.practice);
		if (!team || !practice) continue;
		// A met item needs a criterion answered "all": in its practice if there is one, else anywhere.
		const candidates = s.criterion === 'met' ? [practice, ...model.practices] : [practice];
		const criterion =
			s.criterion === null
				? null
				: candidates
						.flatMap((p) => p.levels.flatMap((l) => l.criteria))
						.find((c) => (answerOf(team, c.id) === 1) === (s.criterion === 'met'));
		if (criterion === undefined) continue;
		const cycle = cycles.find((c) => c.name === (s.from ?? current.name))!;
		const createdAt = new Date(`${cycle.startsOn}T09:00:00Z`);
		createdAt.setUTCDate(createdAt.getUTCDate() + 14);
		const closed = s.status === 'done' || s.status === 'dropped';
		rows.push({
			teamId: team,
			practiceId: criterion?.practiceId ?? practice.id,
			criterionId: criterion?.id ?? null,
			action: s.action,
			ownerId: ownerOf(team, s.owner),
			dueOn: dateOf(today, s.due),
			status: s.status,
			source: s.source,
			cycleId: cycle.id,
			createdBy: ownerOf(team, 'lead'),
			createdAt,
			updatedAt: closed ? new Date(createdAt.getTime() + 21 * day) : createdAt,
			closedAt: closed ? new Date(createdAt.getTime() + 21 * day) : null
		});
	}
	// Notifications turns the reviewer's question on its dependency scanning into an item.
	const notifications = teamId.get('notifications');
	const [question] = notifications
		? await tx
				.select({ id: table.reviewQuestion.id, criterionId: table.reviewQuestion.criterionId })
				.from(table.reviewQuestion)
				.innerJoin(table.assessment, eq(table.assessment.id, table.reviewQuestion.assessmentId))
				.where(
					and(
						eq(table.assessment.teamId, notifications),
						like(table.reviewQuestion.criterionId, 'dependency-scanning.%')
					)
				)
				.limit(1)
		: [];
	if (notifications && question) {
		rows.push({
			teamId: notifications,
			practiceId: 'dependency-scanning',
			criterionId: question.criterionId,
			action: 'Retire the two legacy SMS gateways, or add them to dependency scanning',
			ownerId: ownerOf(notifications, 'lead'),
			dueOn: dateOf(today, 50),
			status: 'planned',
			source: 'question',
			questionId: question.id,
			cycleId: current.id,
			createdBy: ownerOf(notifications, 'lead')
		});
	}
	if (rows.length) await tx.insert(table.planItem).values(rows);
	return rows.length;
}
