import { and, asc, eq, lt } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import type { ActorContext } from '$lib/server/users/accounts';
import { notifyTrainingAssigned } from '$lib/server/mail/notify';
import { progressByUser } from './progress';
import type { Training } from './types';

export type AssignmentResult =
	{ ok: true; updated: boolean } | { ok: false; field: string; message: string };

/** Today's date as `YYYY-MM-DD` (UTC), the form due dates are stored in. */
export const today = () => new Date().toISOString().slice(0, 10);

/**
 * Assigns a module to a member of the team with a due date; assigning it again moves the
 * due date. Refused for people outside the team and unknown modules.
 */
export async function assignModule(
	db: Database,
	ctx: ActorContext,
	training: Training,
	teamId: string,
	input: { userId: string; moduleId: string; dueOn: string }
): Promise<AssignmentResult> {
	if (!training.moduleById.has(input.moduleId))
		return { ok: false, field: 'moduleId', message: 'Choose a module from the list.' };
	return db.transaction(async (tx) => {
		const [member] = await tx
			.select({ userId: table.teamMember.userId })
			.from(table.teamMember)
			.where(and(eq(table.teamMember.teamId, teamId), eq(table.teamMember.userId, input.userId)));
		if (!member)
			return { ok: false as const, field: 'userId', message: 'Choose a member of this team.' };
		const [existing] = await tx
			.select({ id: table.trainingAssignment.id, dueOn: table.trainingAssignment.dueOn })
			.from(table.trainingAssignment)
			.where(
				and(
					eq(table.trainingAssignment.teamId, teamId),
					eq(table.trainingAssignment.userId, input.userId),
					eq(table.trainingAssignment.moduleId, input.moduleId)
				)
			)
			.for('update');
		const [row] = await tx
			.insert(table.trainingAssignment)
			.values({ teamId, ...input, assignedBy: ctx.actorId })
			.onConflictDoUpdate({
				target: [
					table.trainingAssignment.teamId,
					table.trainingAssignment.userId,
					table.trainingAssignment.moduleId
				],
				set: { dueOn: input.dueOn, assignedBy: ctx.actorId }
			})
			.returning({ id: table.trainingAssignment.id });
		await audit(tx, {
			actorId: ctx.actorId,
			action: existing ? 'training.assignment_updated' : 'training.assigned',
			targetType: 'training_assignment',
			targetId: row!.id,
			teamId,
			detail: { userId: input.userId, module: input.moduleId, dueOn: input.dueOn },
			ip: ctx.ip
		});
		if (existing?.dueOn !== input.dueOn)
			await notifyTrainingAssigned(tx, { teamId, ...input, assignerId: ctx.actorId });
		return { ok: true as const, updated: !!existing };
	});
}

/** Withdraws one of the team's assignments. */
export async function removeAssignment(
	db: Database,
	ctx: ActorContext,
	teamId: string,
	assignmentId: string
): Promise<AssignmentResult> {
	return db.transaction(async (tx) => {
		const [removed] = await tx
			.delete(table.trainingAssignment)
			.where(
				and(
					eq(table.trainingAssignment.id, assignmentId),
					eq(table.trainingAssignment.teamId, teamId)
				)
			)
			.returning({
				userId: table.trainingAssignment.userId,
				moduleId: table.trainingAssignment.moduleId
			});
		if (!removed)
			return { ok: false as const, field: 'assignmentId', message: 'This assignment is gone.' };
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'training.unassigned',
			targetType: 'training_assignment',
			targetId: assignmentId,
			teamId,
			detail: { userId: removed.userId, module: removed.moduleId },
			ip: ctx.ip
		});
		return { ok: true as const, updated: false };
	});
}

const assignmentColumns = {
	id: table.trainingAssignment.id,
	userId: table.trainingAssignment.userId,
	moduleId: table.trainingAssignment.moduleId,
	dueOn: table.trainingAssignment.dueOn,
	createdAt: table.trainingAssignment.createdAt,
	name: table.user.name,
	email: table.user.email,
	teamName: table.team.name,
	teamSlug: table.team.slug
};

/**
 * Assignments with what became of them: complete, overdue (due before `on` and not complete)
 * or open. Progress is read for all of them at once.
 */
async function withStatus(db: Tx, training: Training, rows: AssignmentRow[], on: string) {
	const progress = await progressByUser(db, training, [...new Set(rows.map((r) => r.userId))]);
	return rows.flatMap((r) => {
		const module = training.moduleById.get(r.moduleId);
		if (!module) return [];
		const complete = progress.of(r.userId).get(r.moduleId)!.complete;
		return [
			{
				...r,
				moduleTitle: module.title,
				complete,
				overdue: !complete && r.dueOn < on
			}
		];
	});
}

interface AssignmentRow {
	id: string;
	userId: string;
	moduleId: string;
	dueOn: string;
	createdAt: Date;
	name: string;
	email: string;
	teamName: string;
	teamSlug: string;
}

function selectAssignments(db: Tx) {
	return db
		.select(assignmentColumns)
		.from(table.trainingAssignment)
		.innerJoin(table.user, eq(table.user.id, table.trainingAssignment.userId))
		.innerJoin(table.team, eq(table.team.id, table.trainingAssignment.teamId));
}

/** A team's assignments, soonest due first, with their status. */
export async function teamAssignments(db: Tx, training: Training, teamId: string, on = today()) {
	const rows = await selectAssignments(db)
		.where(eq(table.trainingAssignment.teamId, teamId))
		.orderBy(asc(table.trainingAssignment.dueOn), asc(table.user.name));
	return withStatus(db, training, rows, on);
}

/** What has been assigned to a learner, in any of their teams, soonest due first. */
export async function learnerAssignments(db: Tx, training: Training, userId: string, on = today()) {
	const rows = await selectAssignments(db)
		.where(eq(table.trainingAssignment.userId, userId))
		.orderBy(asc(table.trainingAssignment.dueOn));
	return withStatus(db, training, rows, on);
}

/** Every assignment of active people in active teams that is past due and not complete, most overdue first. */
export async function overdueAssignments(db: Tx, training: Training, on = today()) {
	// A deactivated person's work is nobody's to chase: the report's team rows leave them out too.
	const rows = await selectAssignments(db)
		.where(
			and(
				eq(table.team.active, true),
				eq(table.user.active, true),
				lt(table.trainingAssignment.dueOn, on)
			)
		)
		.orderBy(asc(table.trainingAssignment.dueOn), asc(table.team.name), asc(table.user.name));
	return (await withStatus(db, training, rows, on)).filter((r) => r.overdue);
}

/** The active teams a person leads, where they may assign modules. */
export function teamsLedBy(db: Tx, userId: string) {
	return db
		.select({ slug: table.team.slug, name: table.team.name })
		.from(table.teamMember)
		.innerJoin(table.team, eq(table.team.id, table.teamMember.teamId))
		.where(
			and(
				eq(table.teamMember.userId, userId),
				eq(table.teamMember.role, 'lead'),
				eq(table.team.active, true)
			)
		)
		.orderBy(asc(table.team.name));
}
