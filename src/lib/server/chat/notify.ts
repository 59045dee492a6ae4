import { and, eq, gte, inArray, lte } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { getModel } from '$lib/server/model/load-model';
import { turns } from '$lib/server/responsibility/rota';
import { emailLinks } from '$lib/server/mail/templates/links';
import { assessmentTeam } from '$lib/server/assessments/assessment-team';
import { chatEscape as esc, chatOrigin, queueChat } from './outbox';

// Messages for a team's chat channel: names and dates only (no comments or question text, which
// stay in Rampart for those signed in), each with a link when ORIGIN is set.

const link = (url: string | null) => (url ? ` ${url}` : '');

/** Each team with a webhook hears that the cycle is open. */
export async function chatCycleOpened(tx: Tx, cycleId: string): Promise<void> {
	const origin = chatOrigin();
	const rows = await tx
		.select({
			teamId: table.team.id,
			teamName: table.team.name,
			teamSlug: table.team.slug,
			cycleName: table.cycle.name,
			dueOn: table.cycle.dueOn
		})
		.from(table.assessment)
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
		.innerJoin(table.teamChatWebhook, eq(table.teamChatWebhook.teamId, table.team.id))
		.where(and(eq(table.assessment.cycleId, cycleId), eq(table.team.active, true)));
	for (const r of rows)
		await queueChat(
			tx,
			r.teamId,
			'cycle_opened',
			`The ${esc(r.cycleName)} security assessment cycle is open: ${esc(r.teamName)}'s assessment is due on ${r.dueOn}.${link(origin && emailLinks.assessment(origin, r.teamSlug, r.cycleName))}`
		);
}

/** The team hears that its assessment was returned (the comments are read in Rampart). */
export async function chatAssessmentReturned(tx: Tx, assessmentId: string): Promise<void> {
	const a = await assessmentTeam(tx, assessmentId);
	if (!a) return;
	const origin = chatOrigin();
	await queueChat(
		tx,
		a.teamId,
		'assessment_returned',
		`${esc(a.teamName)}'s ${esc(a.cycleName)} assessment was returned with comments.${link(origin && emailLinks.assessment(origin, a.teamSlug, a.cycleName))}`
	);
}

/** The team hears that a reviewer asked about a criterion. */
export async function chatQuestionAsked(
	tx: Tx,
	assessmentId: string,
	criterionId: string
): Promise<void> {
	const a = await assessmentTeam(tx, assessmentId);
	if (!a) return;
	const origin = chatOrigin();
	const criterion = getModel().criterionById.get(criterionId)?.text ?? criterionId;
	await queueChat(
		tx,
		a.teamId,
		'question_asked',
		`A reviewer asks ${esc(a.teamName)} about “${esc(criterion)}” in the ${esc(a.cycleName)} assessment.${link(origin && emailLinks.questions(origin, a.teamSlug, a.cycleName))}`
	);
}

const DAY = 24 * 60 * 60 * 1000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Team-channel reminders for `now`'s day: the assessment is due in 7 days or tomorrow, or overdue
 * (not yet submitted), and whose security on-call turn starts today. Each is recorded in
 * reminder_sent with its message, so it is posted once however often this runs.
 */
export async function queueChatReminders(db: Database, now = new Date()): Promise<number> {
	const today = isoDay(now.getTime());
	const start = Date.parse(`${today}T00:00:00Z`);
	const origin = chatOrigin();
	const due = await db
		.select({
			assessmentId: table.assessment.id,
			teamId: table.team.id,
			teamName: table.team.name,
			teamSlug: table.team.slug,
			cycleName: table.cycle.name,
			dueOn: table.cycle.dueOn
		})
		.from(table.assessment)
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
		.innerJoin(table.teamChatWebhook, eq(table.teamChatWebhook.teamId, table.team.id))
		.where(
			and(
				eq(table.cycle.status, 'open'),
				eq(table.team.active, true),
				inArray(table.assessment.status, ['draft', 'returned']),
				gte(table.cycle.dueOn, isoDay(start - 30 * DAY)),
				lte(table.cycle.dueOn, isoDay(start + 7 * DAY))
			)
		);
	const messages: { key: string; teamId: string; kind: string; text: string }[] = [];
	for (const r of due) {
		const days = Math.round((Date.parse(`${r.dueOn}T00:00:00Z`) - start) / DAY);
		const url = link(origin && emailLinks.assessment(origin, r.teamSlug, r.cycleName));
		const name = `${esc(r.teamName)}'s ${esc(r.cycleName)} assessment`;
		if (days < 0)
			messages.push({
				key: `chat:assessment_overdue:${r.assessmentId}`,
				teamId: r.teamId,
				kind: 'assessment_overdue',
				text: `${name} was due on ${r.dueOn} and is not submitted yet.${url}`
			});
		else
			messages.push({
				key: `chat:assessment_due:${days <= 1 ? 1 : 7}:${r.assessmentId}`,
				teamId: r.teamId,
				kind: 'assessment_due',
				text: `${name} is due ${days === 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`} (${r.dueOn}) and is not submitted yet.${url}`
			});
	}
	messages.push(...(await onCallToday(db, today)));
	if (!messages.length) return 0;
	return db.transaction(async (tx) => {
		let queued = 0;
		for (const m of messages) {
			const [fresh] = await tx
				.insert(table.reminderSent)
				.values({ key: m.key })
				.onConflictDoNothing()
				.returning({ key: table.reminderSent.key });
			if (fresh && (await queueChat(tx, m.teamId, m.kind, m.text))) queued++;
		}
		return queued;
	});
}

async function onCallToday(db: Database, today: string) {
	const rotas = await db
		.select({
			teamId: table.rota.teamId,
			startsOn: table.rota.startsOn,
			rotationWeeks: table.rota.rotationWeeks,
			teamName: table.team.name
		})
		.from(table.rota)
		.innerJoin(table.team, eq(table.team.id, table.rota.teamId))
		.innerJoin(table.teamChatWebhook, eq(table.teamChatWebhook.teamId, table.team.id))
		.where(eq(table.team.active, true));
	if (!rotas.length) return [];
	const teamIds = rotas.map((r) => r.teamId);
	const [members, swaps, people] = await Promise.all([
		db.select().from(table.rotaMember).where(inArray(table.rotaMember.teamId, teamIds)),
		db
			.select()
			.from(table.rotaSwap)
			.where(and(inArray(table.rotaSwap.teamId, teamIds), eq(table.rotaSwap.turnStart, today))),
		db
			.select({ id: table.user.id, name: table.user.name })
			.from(table.rotaMember)
			.innerJoin(table.user, eq(table.user.id, table.rotaMember.userId))
			.where(inArray(table.rotaMember.teamId, teamIds))
	]);
	const nameOf = new Map(people.map((p) => [p.id, p.name]));
	return rotas.flatMap((rota) => {
		const plan = {
			startsOn: rota.startsOn,
			rotationWeeks: rota.rotationWeeks,
			members: members
				.filter((m) => m.teamId === rota.teamId)
				.sort((a, b) => a.position - b.position)
				.map((m) => m.userId),
			swaps: new Map(
				swaps.filter((s) => s.teamId === rota.teamId).map((s) => [s.turnStart, s.userId])
			)
		};
		const [turn] = turns(plan, today, 1);
		if (!turn || turn.start !== today) return [];
		return [
			{
				key: `chat:oncall_today:${rota.teamId}:${turn.start}`,
				teamId: rota.teamId,
				kind: 'oncall_today',
				text: `${esc(nameOf.get(turn.userId) ?? 'Someone')} holds ${esc(rota.teamName)}'s security on-call from today until ${turn.end}.`
			}
		];
	});
}
