import { and, eq, gte, inArray, lte } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { turns } from '$lib/server/responsibility/rota';
import { progressByUser } from '$lib/server/training/progress';
import type { Training } from '$lib/server/training/types';
import type { OptionalKind } from './kinds';
import { queueEmails, recipientsFor, type QueuedEmail } from './outbox';
import { composeSettings, type MailSettings } from './settings';
import { assessmentDueEmail } from './templates/assessment-due';
import { assessmentOverdueEmail } from './templates/assessment-overdue';
import { onCallEmail } from './templates/oncall';
import { trainingDueEmail } from './templates/training-due';
import type { EmailMessage } from './templates/layout';

const DAY = 24 * 60 * 60 * 1000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) =>
	Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
/** Overdue assessments are reported once, for cycles that ended in the last 30 days. */
const OVERDUE_LOOKBACK_DAYS = 30;

/** A reminder for one person, named by a key that says which event it is about. */
interface Candidate {
	key: string;
	kind: OptionalKind;
	userId: string;
	build: (s: MailSettings) => EmailMessage;
}

/**
 * Queues the reminders of `now`'s day (UTC) that have not gone yet: assessments due in 7 days and
 * tomorrow, overdue ones, training due tomorrow, on-call turns starting next week and today. Each
 * reminder's key is recorded with it in one transaction, so it goes once per person and event
 * however often this runs and on however many instances.
 */
export async function queueReminders(db: Database, training: Training, now = new Date()) {
	const settings = composeSettings();
	const today = isoDay(now);
	const candidates = [
		...(await assessmentReminders(db, today)),
		...(await trainingReminders(db, training, today)),
		...(await onCallReminders(db, today))
	];
	if (!candidates.length) return 0;
	return db.transaction(async (tx) => {
		const wanted: Candidate[] = [];
		for (const kind of new Set(candidates.map((c) => c.kind))) {
			const ofKind = candidates.filter((c) => c.kind === kind);
			const ok = new Set(
				(
					await recipientsFor(
						tx,
						kind,
						ofKind.map((c) => c.userId)
					)
				).map((p) => p.id)
			);
			wanted.push(...ofKind.filter((c) => ok.has(c.userId)));
		}
		const fresh = await claimKeys(
			tx,
			wanted.map((c) => c.key)
		);
		const emails = await addressed(
			tx,
			wanted.filter((c) => fresh.has(c.key)),
			settings
		);
		await queueEmails(tx, emails);
		return emails.length;
	});
}

/** Records the keys; returns those that were not recorded before (the reminders still to send). */
async function claimKeys(tx: Tx, keys: string[]): Promise<Set<string>> {
	const fresh = new Set<string>();
	for (let i = 0; i < keys.length; i += 500) {
		const rows = await tx
			.insert(table.reminderSent)
			.values(keys.slice(i, i + 500).map((key) => ({ key })))
			.onConflictDoNothing()
			.returning({ key: table.reminderSent.key });
		for (const r of rows) fresh.add(r.key);
	}
	return fresh;
}

async function addressed(
	tx: Tx,
	list: Candidate[],
	settings: MailSettings
): Promise<QueuedEmail[]> {
	if (!list.length) return [];
	const people = await tx
		.select({ id: table.user.id, email: table.user.email })
		.from(table.user)
		.where(inArray(table.user.id, [...new Set(list.map((c) => c.userId))]));
	const emailOf = new Map(people.map((p) => [p.id, p.email]));
	return list.map((c) => ({
		kind: c.kind,
		to: emailOf.get(c.userId)!,
		userId: c.userId,
		message: c.build(settings)
	}));
}

/** Due in 7 days or tomorrow (to the team), overdue (to its leads, and the security team at once). */
async function assessmentReminders(db: Database, today: string): Promise<Candidate[]> {
	const from = isoDay(new Date(Date.parse(`${today}T00:00:00Z`) - OVERDUE_LOOKBACK_DAYS * DAY));
	const to = isoDay(new Date(Date.parse(`${today}T00:00:00Z`) + 7 * DAY));
	const rows = await db
		.select({
			assessmentId: table.assessment.id,
			cycleId: table.cycle.id,
			cycleName: table.cycle.name,
			dueOn: table.cycle.dueOn,
			teamName: table.team.name,
			teamSlug: table.team.slug,
			userId: table.teamMember.userId,
			role: table.teamMember.role
		})
		.from(table.assessment)
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
		.innerJoin(table.teamMember, eq(table.teamMember.teamId, table.team.id))
		.where(
			and(
				eq(table.cycle.status, 'open'),
				eq(table.team.active, true),
				inArray(table.assessment.status, ['draft', 'returned']),
				gte(table.cycle.dueOn, from),
				lte(table.cycle.dueOn, to)
			)
		);
	const out: Candidate[] = [];
	const overdueByCycle = new Map<
		string,
		{ r: (typeof rows)[number]; teams: Map<string, { name: string; slug: string }> }
	>();
	for (const r of rows) {
		const days = daysBetween(today, r.dueOn);
		const team = { teamName: r.teamName, teamSlug: r.teamSlug };
		if (days >= 0) {
			const step = days <= 1 ? '1' : '7';
			out.push({
				key: `assessment_due:${step}:${r.assessmentId}:${r.userId}`,
				kind: 'assessment_due',
				userId: r.userId,
				build: (s) =>
					assessmentDueEmail(s.origin, { cycleName: r.cycleName, dueOn: r.dueOn, days, ...team })
			});
			continue;
		}
		const cycle = overdueByCycle.get(r.cycleId) ?? { r, teams: new Map() };
		cycle.teams.set(r.teamSlug, { name: r.teamName, slug: r.teamSlug });
		overdueByCycle.set(r.cycleId, cycle);
		if (r.role === 'lead')
			out.push({
				key: `assessment_overdue:${r.assessmentId}:${r.userId}`,
				kind: 'assessment_overdue',
				userId: r.userId,
				build: (s) =>
					assessmentOverdueEmail(s.origin, {
						cycleName: r.cycleName,
						dueOn: r.dueOn,
						teams: [{ name: r.teamName, slug: r.teamSlug }],
						lead: true
					})
			});
	}
	if (overdueByCycle.size) {
		const security = await db
			.select({ id: table.user.id })
			.from(table.user)
			.where(and(eq(table.user.role, 'security'), eq(table.user.active, true)));
		for (const [cycleId, { r, teams }] of overdueByCycle) {
			const list = [...teams.values()].sort((a, b) => a.name.localeCompare(b.name));
			for (const person of security)
				out.push({
					key: `assessment_overdue:cycle:${cycleId}:${person.id}`,
					kind: 'assessment_overdue',
					userId: person.id,
					build: (s) =>
						assessmentOverdueEmail(s.origin, {
							cycleName: r.cycleName,
							dueOn: r.dueOn,
							teams: list,
							lead: false
						})
				});
		}
	}
	return out;
}

/** Assigned modules due today or tomorrow and not complete. */
async function trainingReminders(
	db: Database,
	training: Training,
	today: string
): Promise<Candidate[]> {
	const tomorrow = isoDay(new Date(Date.parse(`${today}T00:00:00Z`) + DAY));
	const rows = await db
		.select({
			id: table.trainingAssignment.id,
			userId: table.trainingAssignment.userId,
			moduleId: table.trainingAssignment.moduleId,
			dueOn: table.trainingAssignment.dueOn,
			teamName: table.team.name
		})
		.from(table.trainingAssignment)
		.innerJoin(table.team, eq(table.team.id, table.trainingAssignment.teamId))
		.where(
			and(
				eq(table.team.active, true),
				gte(table.trainingAssignment.dueOn, today),
				lte(table.trainingAssignment.dueOn, tomorrow)
			)
		);
	if (!rows.length) return [];
	const progress = await progressByUser(db, training, [...new Set(rows.map((r) => r.userId))]);
	return rows.flatMap((r) => {
		const module = training.moduleById.get(r.moduleId);
		if (!module || progress.of(r.userId).get(r.moduleId)?.complete) return [];
		return [
			{
				key: `training_due:${r.id}:${r.dueOn}`,
				kind: 'training_due' as const,
				userId: r.userId,
				build: (s: MailSettings) =>
					trainingDueEmail(s.origin, {
						moduleId: r.moduleId,
						moduleTitle: module.title,
						dueOn: r.dueOn,
						teamName: r.teamName
					})
			}
		];
	});
}

/** On-call turns starting today, and within the next 7 days. */
async function onCallReminders(db: Database, today: string): Promise<Candidate[]> {
	const [rotas, members, swaps] = await Promise.all([
		db
			.select({
				teamId: table.rota.teamId,
				startsOn: table.rota.startsOn,
				rotationWeeks: table.rota.rotationWeeks,
				teamName: table.team.name,
				teamSlug: table.team.slug
			})
			.from(table.rota)
			.innerJoin(table.team, eq(table.team.id, table.rota.teamId))
			.where(eq(table.team.active, true)),
		db
			.select({
				teamId: table.rotaMember.teamId,
				position: table.rotaMember.position,
				userId: table.rotaMember.userId
			})
			.from(table.rotaMember),
		db
			.select({
				teamId: table.rotaSwap.teamId,
				turnStart: table.rotaSwap.turnStart,
				userId: table.rotaSwap.userId
			})
			.from(table.rotaSwap)
			.where(gte(table.rotaSwap.turnStart, today))
	]);
	const out: Candidate[] = [];
	for (const rota of rotas) {
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
		for (const turn of turns(plan, today, 3)) {
			const days = daysBetween(today, turn.start);
			const when = days === 0 ? 'today' : days >= 1 && days <= 7 ? 'next_week' : null;
			if (!when) continue;
			const kind = when === 'today' ? 'oncall_today' : 'oncall_next_week';
			out.push({
				key: `${kind}:${rota.teamId}:${turn.start}:${turn.userId}`,
				kind,
				userId: turn.userId,
				build: (s) =>
					onCallEmail(s.origin, {
						when,
						teamName: rota.teamName,
						teamSlug: rota.teamSlug,
						start: turn.start,
						end: turn.end
					})
			});
		}
	}
	return out;
}
