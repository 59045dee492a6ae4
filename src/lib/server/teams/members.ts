import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { TeamRole } from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import { removeFromRota } from '$lib/server/responsibility/rota-store';
import type { ActorContext } from '$lib/server/users/accounts';

export type MemberResult = { ok: true } | { ok: false; field: string; message: string };

/** Adds an existing, active user to a team as lead or member, optionally as champion. */
export async function addTeamMember(
	db: Database,
	ctx: ActorContext,
	teamId: string,
	input: { email: string; role: TeamRole; champion: boolean }
): Promise<MemberResult> {
	return db.transaction(async (tx) => {
		const [found] = await tx
			.select({ id: table.user.id, active: table.user.active })
			.from(table.user)
			.where(eq(table.user.email, input.email));
		if (!found || !found.active) {
			return {
				ok: false as const,
				field: 'email',
				message: 'No active user has this email; an admin can invite them first.'
			};
		}
		const added = await tx
			.insert(table.teamMember)
			.values({ teamId, userId: found.id, role: input.role, champion: input.champion })
			.onConflictDoNothing()
			.returning({ userId: table.teamMember.userId });
		if (!added.length)
			return { ok: false as const, field: 'email', message: 'This person is already a member.' };
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'team.member_added',
			targetType: 'user',
			targetId: found.id,
			teamId,
			detail: { role: input.role, champion: input.champion },
			ip: ctx.ip
		});
		return { ok: true as const };
	});
}

/** Changes a member's team role or champion flag; a team keeps at least one lead. */
export async function updateTeamMember(
	db: Database,
	ctx: ActorContext,
	teamId: string,
	input: { userId: string; role: TeamRole; champion: boolean }
): Promise<MemberResult> {
	return db.transaction(async (tx) => {
		const [before] = await tx
			.select({ role: table.teamMember.role, champion: table.teamMember.champion })
			.from(table.teamMember)
			.where(and(eq(table.teamMember.teamId, teamId), eq(table.teamMember.userId, input.userId)))
			.for('update');
		if (!before)
			return { ok: false as const, field: 'userId', message: 'Not a member of this team.' };
		if (before.role === 'lead' && input.role !== 'lead' && (await leadCount(tx, teamId)) <= 1) {
			return { ok: false as const, field: 'role', message: 'A team needs at least one lead.' };
		}
		await tx
			.update(table.teamMember)
			.set({ role: input.role, champion: input.champion })
			.where(and(eq(table.teamMember.teamId, teamId), eq(table.teamMember.userId, input.userId)));
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'team.member_updated',
			targetType: 'user',
			targetId: input.userId,
			teamId,
			detail: { from: before, to: { role: input.role, champion: input.champion } },
			ip: ctx.ip
		});
		return { ok: true as const };
	});
}

/** Removes a member from a team; the last lead stays. */
export async function removeTeamMember(
	db: Database,
	ctx: ActorContext,
	teamId: string,
	userId: string
): Promise<MemberResult> {
	return db.transaction(async (tx) => {
		const [before] = await tx
			.select({ role: table.teamMember.role })
			.from(table.teamMember)
			.where(and(eq(table.teamMember.teamId, teamId), eq(table.teamMember.userId, userId)))
			.for('update');
		if (!before)
			return { ok: false as const, field: 'userId', message: 'Not a member of this team.' };
		if (before.role === 'lead' && (await leadCount(tx, teamId)) <= 1) {
			return { ok: false as const, field: 'userId', message: 'A team needs at least one lead.' };
		}
		await tx
			.delete(table.teamMember)
			.where(and(eq(table.teamMember.teamId, teamId), eq(table.teamMember.userId, userId)));
		await removeFromRota(tx, teamId, userId);
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'team.member_removed',
			targetType: 'user',
			targetId: userId,
			teamId,
			ip: ctx.ip
		});
		return { ok: true as const };
	});
}

async function leadCount(
	tx: Parameters<Parameters<Database['transaction']>[0]>[0],
	teamId: string
) {
	const [row] = await tx
		.select({ n: sql<number>`count(*)::int` })
		.from(table.teamMember)
		.where(and(eq(table.teamMember.teamId, teamId), eq(table.teamMember.role, 'lead')));
	return row?.n ?? 0;
}
