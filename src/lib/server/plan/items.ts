/**
 * Writing the improvement plan: making an item, editing it and moving its status. Each write is
 * checked against the team (an item, owner or question of another team is refused), guarded by
 * the item's version, and audited in the same transaction.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { PlanStatus } from '$lib/server/db/schema';
import type { PlanProblem, PlanSource } from '$lib/plan';
import { audit } from '$lib/server/audit/audit-log';
import { currentCycle } from '$lib/server/assessments/cycles';
import type { Model } from '$lib/server/model/types';
import type { ActorContext } from '$lib/server/users/accounts';
import { closedAtAfter, dueDateProblem, today } from './rules';

export interface NewPlanItem {
	practiceId: string;
	criterionId: string | null;
	action: string;
	ownerId: string;
	dueOn: string;
	source: PlanSource;
	questionId: string | null;
}

export interface PlanItemEdit {
	action: string;
	ownerId: string;
	dueOn: string;
	/** The version the person was looking at. */
	baseVersion: number;
}

/** The item as stored now, shown in place of a stale edit. */
export interface CurrentItem {
	action: string;
	ownerId: string | null;
	dueOn: string;
	status: PlanStatus;
	version: number;
	/** Who made the last change (from the audit log). */
	changedBy: string | null;
}

export type PlanWriteResult =
	| { ok: true; id: string; version: number }
	| { ok: false; kind: 'invalid'; problems: Partial<Record<string, PlanProblem>> }
	| { ok: false; kind: 'notFound' }
	| { ok: false; kind: 'conflict'; current: CurrentItem };

type Invalid = Extract<PlanWriteResult, { kind: 'invalid' }>;
const invalid = (problems: Invalid['problems']): Invalid => ({
	ok: false,
	kind: 'invalid',
	problems
});

/** Adds an item to a team's plan; the cycle current now is recorded with it. */
export async function createPlanItem(
	db: Database,
	ctx: ActorContext,
	model: Model,
	teamId: string,
	input: NewPlanItem,
	on = today()
): Promise<PlanWriteResult> {
	const problems: Invalid['problems'] = {};
	const practice = model.practiceById.get(input.practiceId);
	if (!practice) problems.practiceId = 'unknownPractice';
	if (
		practice &&
		input.criterionId !== null &&
		model.criterionById.get(input.criterionId)?.practiceId !== practice.id
	)
		problems.criterionId = 'unknownCriterion';
	if (dueDateProblem(input.dueOn, on)) problems.dueOn = 'dueInPast';
	if (input.source === 'question' && !input.questionId) problems.questionId = 'unknownQuestion';
	const cycle = await currentCycle(db);
	return db.transaction(async (tx) => {
		if (!(await isTeamMember(tx, teamId, input.ownerId))) problems.ownerId = 'ownerNotMember';
		if (input.source === 'question' && input.questionId) {
			const asked = await questionCriterion(tx, teamId, input.questionId);
			if (asked === null || asked !== input.criterionId) problems.questionId = 'unknownQuestion';
		}
		if (Object.keys(problems).length) return invalid(problems);
		const item = {
			practiceId: input.practiceId,
			criterionId: input.criterionId,
			action: input.action,
			ownerId: input.ownerId,
			dueOn: input.dueOn,
			source: input.source,
			questionId: input.source === 'question' ? input.questionId : null
		};
		const [created] = await tx
			.insert(table.planItem)
			.values({ ...item, teamId, cycleId: cycle?.id ?? null, createdBy: ctx.actorId })
			.returning({ id: table.planItem.id });
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'plan.item_created',
			targetType: 'plan_item',
			targetId: created!.id,
			teamId,
			detail: { ...item, cycle: cycle?.name ?? null },
			ip: ctx.ip
		});
		return { ok: true as const, id: created!.id, version: 1 };
	});
}

/** Changes what will be done, by whom and when, unless someone changed the item since `baseVersion`. */
export async function editPlanItem(
	db: Database,
	ctx: ActorContext,
	teamId: string,
	itemId: string,
	input: PlanItemEdit,
	on = today()
): Promise<PlanWriteResult> {
	return db.transaction(async (tx) => {
		const stored = await lockItem(tx, teamId, itemId);
		if (!stored) return { ok: false as const, kind: 'notFound' as const };
		if (stored.version !== input.baseVersion) return conflict(tx, itemId, stored);
		const problems: Invalid['problems'] = {};
		if (dueDateProblem(input.dueOn, on, stored.dueOn)) problems.dueOn = 'dueInPast';
		// An owner who has since left the team may stay on an item nobody reassigns.
		if (input.ownerId !== stored.ownerId && !(await isTeamMember(tx, teamId, input.ownerId)))
			problems.ownerId = 'ownerNotMember';
		if (Object.keys(problems).length) return invalid(problems);
		const from = { action: stored.action, ownerId: stored.ownerId, dueOn: stored.dueOn };
		const to = { action: input.action, ownerId: input.ownerId, dueOn: input.dueOn };
		if (JSON.stringify(from) === JSON.stringify(to))
			return { ok: true as const, id: itemId, version: stored.version };
		const version = stored.version + 1;
		await tx
			.update(table.planItem)
			.set({ ...to, version, updatedAt: new Date() })
			.where(eq(table.planItem.id, itemId));
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'plan.item_changed',
			targetType: 'plan_item',
			targetId: itemId,
			teamId,
			detail: { from, to },
			ip: ctx.ip
		});
		return { ok: true as const, id: itemId, version };
	});
}

/** Moves an item to planned, in progress, done or dropped (closing or reopening it). */
export async function changePlanStatus(
	db: Database,
	ctx: ActorContext,
	teamId: string,
	itemId: string,
	input: { status: PlanStatus; baseVersion: number }
): Promise<PlanWriteResult> {
	return db.transaction(async (tx) => {
		const stored = await lockItem(tx, teamId, itemId);
		if (!stored) return { ok: false as const, kind: 'notFound' as const };
		if (stored.version !== input.baseVersion) return conflict(tx, itemId, stored);
		if (stored.status === input.status)
			return { ok: true as const, id: itemId, version: stored.version };
		const version = stored.version + 1;
		const closedAt = closedAtAfter(input.status, stored.closedAt);
		await tx
			.update(table.planItem)
			.set({ status: input.status, closedAt, version, updatedAt: new Date() })
			.where(eq(table.planItem.id, itemId));
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'plan.status_changed',
			targetType: 'plan_item',
			targetId: itemId,
			teamId,
			detail: { from: stored.status, to: input.status },
			ip: ctx.ip
		});
		return { ok: true as const, id: itemId, version };
	});
}

/** The item, locked, if it is this team's. */
async function lockItem(tx: Tx, teamId: string, itemId: string) {
	const [row] = await tx
		.select({
			action: table.planItem.action,
			ownerId: table.planItem.ownerId,
			dueOn: table.planItem.dueOn,
			status: table.planItem.status,
			version: table.planItem.version,
			closedAt: table.planItem.closedAt
		})
		.from(table.planItem)
		.where(and(eq(table.planItem.id, itemId), eq(table.planItem.teamId, teamId)))
		.for('update');
	return row ?? null;
}

/** A stale write: nothing is written, and the item as it stands is returned to be shown. */
async function conflict(
	tx: Tx,
	itemId: string,
	stored: NonNullable<Awaited<ReturnType<typeof lockItem>>>
): Promise<PlanWriteResult> {
	const { closedAt: _closedAt, ...current } = stored;
	return {
		ok: false,
		kind: 'conflict',
		current: { ...current, changedBy: await lastChangedBy(tx, itemId) }
	};
}

/** Whether a user is an active member of the team. */
async function isTeamMember(tx: Tx, teamId: string, userId: string): Promise<boolean> {
	const [row] = await tx
		.select({ userId: table.teamMember.userId })
		.from(table.teamMember)
		.innerJoin(table.user, eq(table.user.id, table.teamMember.userId))
		.where(
			and(
				eq(table.teamMember.teamId, teamId),
				eq(table.teamMember.userId, userId),
				eq(table.user.active, true)
			)
		);
	return !!row;
}

/** The criterion a reviewer's question on one of this team's assessments is about; null if there is no such question. */
async function questionCriterion(tx: Tx, teamId: string, questionId: string) {
	const [row] = await tx
		.select({ criterionId: table.reviewQuestion.criterionId })
		.from(table.reviewQuestion)
		.innerJoin(table.assessment, eq(table.assessment.id, table.reviewQuestion.assessmentId))
		.where(and(eq(table.reviewQuestion.id, questionId), eq(table.assessment.teamId, teamId)));
	return row?.criterionId ?? null;
}

/** Who last changed an item, from the audit log (the item keeps no such column). */
async function lastChangedBy(db: Tx, itemId: string): Promise<string | null> {
	const [row] = await db
		.select({ name: table.user.name })
		.from(table.auditLog)
		.innerJoin(table.user, eq(table.user.id, table.auditLog.actorId))
		.where(and(eq(table.auditLog.targetType, 'plan_item'), eq(table.auditLog.targetId, itemId)))
		.orderBy(desc(table.auditLog.id))
		.limit(1);
	return row?.name ?? null;
}
