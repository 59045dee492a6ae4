import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { AssessmentStatus } from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import { isUniqueViolation } from '$lib/server/db/errors';
import type { Model } from '$lib/server/model/types';
import type { ActorContext } from '$lib/server/users/accounts';
import { snapshotAdoption } from '$lib/server/tools/adoption';
import { notifyCycleOpened } from '$lib/server/mail/notify';
import { recomputeScores } from './scores-store';

export type CycleResult = { ok: true; id: string } | { ok: false; field: string; message: string };

/** Cycles, newest first, with how far their assessments have got. */
export function listCycles(db: Database) {
	// A join, not a subquery per figure: in a select from one table drizzle writes the outer
	// column without its table name, and `cycle_id = "id"` then compares the assessment with itself.
	const inStatus = (status: AssessmentStatus) =>
		sql<number>`(count(*) filter (where ${table.assessment.status} = ${status}))::int`;
	return db
		.select({
			id: table.cycle.id,
			name: table.cycle.name,
			startsOn: table.cycle.startsOn,
			dueOn: table.cycle.dueOn,
			status: table.cycle.status,
			assessments: sql<number>`count(${table.assessment.id})::int`,
			submitted: inStatus('submitted'),
			approved: inStatus('approved')
		})
		.from(table.cycle)
		.leftJoin(table.assessment, eq(table.assessment.cycleId, table.cycle.id))
		.groupBy(table.cycle.id)
		.orderBy(desc(table.cycle.startsOn));
}

/** The cycle teams are working on now: the latest open one, else the latest one. */
export async function currentCycle(db: Database) {
	const [row] = await db
		.select()
		.from(table.cycle)
		.orderBy(sql`${table.cycle.status} = 'open' desc`, desc(table.cycle.startsOn))
		.limit(1);
	return row ?? null;
}

/**
 * Opens a cycle and creates a draft assessment for every active team, pre-filled with the
 * answers, not-applicable reasons and targets of that team's latest earlier assessment.
 */
export async function openCycle(
	db: Database,
	ctx: ActorContext,
	model: Model,
	input: { name: string; startsOn: string; dueOn: string }
): Promise<CycleResult> {
	try {
		return await db.transaction(async (tx) => {
			const [created] = await tx
				.insert(table.cycle)
				.values({ name: input.name, startsOn: input.startsOn, dueOn: input.dueOn })
				.returning({ id: table.cycle.id });
			const cycleId = created!.id;
			const teams = await tx
				.select({ id: table.team.id })
				.from(table.team)
				.where(eq(table.team.active, true));
			if (teams.length) {
				const assessments = await tx
					.insert(table.assessment)
					.values(teams.map((t) => ({ cycleId, teamId: t.id, modelVersion: model.version })))
					.returning({ id: table.assessment.id, teamId: table.assessment.teamId });
				await copyPreviousAnswers(tx, cycleId, input.startsOn);
				for (const a of assessments) await recomputeScores(tx, model, a.id);
			}
			await audit(tx, {
				actorId: ctx.actorId,
				action: 'cycle.opened',
				targetType: 'cycle',
				targetId: cycleId,
				detail: { ...input, teams: teams.length },
				ip: ctx.ip
			});
			await notifyCycleOpened(tx, cycleId);
			return { ok: true as const, id: cycleId };
		});
	} catch (e) {
		if (isUniqueViolation(e))
			return { ok: false, field: 'name', message: 'A cycle with this name exists.' };
		throw e;
	}
}

/** In SQL, one statement per table: each new assessment takes over its team's latest earlier one. */
async function copyPreviousAnswers(
	tx: Parameters<Parameters<Database['transaction']>[0]>[0],
	cycleId: string,
	startsOn: string
) {
	const pairs = sql`(
		select distinct on (prev.team_id) prev.id as old_id, cur.id as new_id
		from ${table.assessment} prev
		join ${table.cycle} c on c.id = prev.cycle_id
		join ${table.assessment} cur on cur.team_id = prev.team_id and cur.cycle_id = ${cycleId}
		where prev.cycle_id <> ${cycleId} and c.starts_on <= ${startsOn}
		order by prev.team_id, c.starts_on desc, c.created_at desc
	)`;
	await tx.execute(sql`
		insert into ${table.answer} (assessment_id, criterion_id, value, comment, evidence)
		select m.new_id, a.criterion_id, a.value, a.comment, a.evidence
		from ${table.answer} a join ${pairs} m on a.assessment_id = m.old_id`);
	await tx.execute(sql`
		insert into ${table.assessmentPractice} (assessment_id, practice_id, phase, not_applicable, not_applicable_reason, target)
		select m.new_id, p.practice_id, p.phase, p.not_applicable, p.not_applicable_reason, p.target
		from ${table.assessmentPractice} p join ${pairs} m on p.assessment_id = m.old_id`);
}

/** Closes a cycle (its assessments become read-only) or reopens it. */
export async function setCycleStatus(
	db: Database,
	ctx: ActorContext,
	cycleId: string,
	status: 'open' | 'closed'
): Promise<CycleResult> {
	return db.transaction(async (tx) => {
		const updated = await tx
			.update(table.cycle)
			.set({ status, closedAt: status === 'closed' ? new Date() : null })
			.where(and(eq(table.cycle.id, cycleId)))
			.returning({ id: table.cycle.id });
		if (!updated.length) return { ok: false as const, field: 'cycleId', message: 'Unknown cycle.' };
		if (status === 'closed') await snapshotAdoption(tx, cycleId);
		await audit(tx, {
			actorId: ctx.actorId,
			action: status === 'closed' ? 'cycle.closed' : 'cycle.reopened',
			targetType: 'cycle',
			targetId: cycleId,
			ip: ctx.ip
		});
		return { ok: true as const, id: cycleId };
	});
}

/** The same team's assessment in the cycle before this one, if any (for "changed since last cycle"). */
export async function previousAssessmentId(
	db: Database,
	teamId: string,
	cycleStartsOn: string,
	cycleId: string
) {
	const [row] = await db
		.select({ id: table.assessment.id })
		.from(table.assessment)
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.where(
			and(
				eq(table.assessment.teamId, teamId),
				lt(table.cycle.startsOn, cycleStartsOn),
				sql`${table.cycle.id} <> ${cycleId}`
			)
		)
		.orderBy(desc(table.cycle.startsOn))
		.limit(1);
	return row?.id ?? null;
}
