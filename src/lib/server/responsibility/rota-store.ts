import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import type { ActorContext } from '$lib/server/users/accounts';
import { turns, type RotaPlan } from './rota';

/** A team's rota as a plan for the rota arithmetic, or null when it has none. */
export async function loadRota(db: Database, teamId: string): Promise<RotaPlan | null> {
	const [rota] = await db.select().from(table.rota).where(eq(table.rota.teamId, teamId));
	if (!rota) return null;
	const [members, swaps] = await Promise.all([
		db
			.select({ userId: table.rotaMember.userId })
			.from(table.rotaMember)
			.where(eq(table.rotaMember.teamId, teamId))
			.orderBy(asc(table.rotaMember.position)),
		db
			.select({ turnStart: table.rotaSwap.turnStart, userId: table.rotaSwap.userId })
			.from(table.rotaSwap)
			.where(eq(table.rotaSwap.teamId, teamId))
	]);
	return {
		startsOn: rota.startsOn,
		rotationWeeks: rota.rotationWeeks,
		members: members.map((m) => m.userId),
		swaps: new Map(swaps.map((s) => [s.turnStart, s.userId]))
	};
}

export type RotaResult = { ok: true } | { ok: false; field: string; message: string };

/** Replaces a team's rota: ordered members (all in the team, at least one), 1- or 2-week turns, a start date. */
export async function saveRota(
	db: Database,
	ctx: ActorContext,
	teamId: string,
	input: { rotationWeeks: number; startsOn: string; members: string[] }
): Promise<RotaResult> {
	if (!input.members.length)
		return { ok: false, field: 'members', message: 'Put at least one team member on the rota.' };
	if (new Set(input.members).size !== input.members.length)
		return { ok: false, field: 'members', message: 'Each person can be on the rota once.' };
	if (![1, 2].includes(input.rotationWeeks))
		return { ok: false, field: 'rotationWeeks', message: 'Turns last one or two weeks.' };
	return db.transaction(async (tx) => {
		const inTeam = await tx
			.select({ userId: table.teamMember.userId })
			.from(table.teamMember)
			.where(
				and(eq(table.teamMember.teamId, teamId), inArray(table.teamMember.userId, input.members))
			);
		if (inTeam.length !== input.members.length) {
			return {
				ok: false as const,
				field: 'members',
				message: 'Everyone on the rota must be a member of this team.'
			};
		}
		await tx
			.insert(table.rota)
			.values({ teamId, rotationWeeks: input.rotationWeeks, startsOn: input.startsOn })
			.onConflictDoUpdate({
				target: table.rota.teamId,
				set: { rotationWeeks: input.rotationWeeks, startsOn: input.startsOn, updatedAt: new Date() }
			});
		await tx.delete(table.rotaMember).where(eq(table.rotaMember.teamId, teamId));
		await tx
			.insert(table.rotaMember)
			.values(input.members.map((userId, position) => ({ teamId, position, userId })));
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'rota.saved',
			targetType: 'team',
			targetId: teamId,
			teamId,
			detail: input,
			ip: ctx.ip
		});
		return { ok: true as const };
	});
}

/** Someone on the rota takes over a turn (for example swapping a week); the turn must be a real, coming turn. */
export async function swapTurn(
	db: Database,
	ctx: ActorContext,
	teamId: string,
	input: { turnStart: string; userId: string },
	today = new Date().toISOString().slice(0, 10)
): Promise<RotaResult> {
	const plan = await loadRota(db, teamId);
	if (!plan || !plan.members.length)
		return { ok: false, field: 'turnStart', message: 'This team has no rota yet.' };
	if (!plan.members.includes(input.userId))
		return { ok: false, field: 'userId', message: 'Choose someone who is on the rota.' };
	const coming = turns(plan, today, 12).map((t) => t.start);
	if (!coming.includes(input.turnStart))
		return { ok: false, field: 'turnStart', message: 'Choose one of the coming turns.' };
	await db.transaction(async (tx) => {
		await tx
			.insert(table.rotaSwap)
			.values({ teamId, turnStart: input.turnStart, userId: input.userId, createdBy: ctx.actorId })
			.onConflictDoUpdate({
				target: [table.rotaSwap.teamId, table.rotaSwap.turnStart],
				set: { userId: input.userId, createdBy: ctx.actorId, createdAt: new Date() }
			});
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'rota.swapped',
			targetType: 'team',
			targetId: teamId,
			teamId,
			detail: input,
			ip: ctx.ip
		});
	});
	return { ok: true };
}

/** Takes someone who left the team off its rota, keeping the others' order. */
export async function removeFromRota(tx: Tx, teamId: string, userId: string) {
	const remaining = await tx
		.select({ userId: table.rotaMember.userId })
		.from(table.rotaMember)
		.where(eq(table.rotaMember.teamId, teamId))
		.orderBy(asc(table.rotaMember.position));
	if (!remaining.some((m) => m.userId === userId)) return;
	await tx.delete(table.rotaMember).where(eq(table.rotaMember.teamId, teamId));
	const kept = remaining.filter((m) => m.userId !== userId);
	if (kept.length)
		await tx
			.insert(table.rotaMember)
			.values(kept.map((m, position) => ({ teamId, position, userId: m.userId })));
	await tx
		.delete(table.rotaSwap)
		.where(and(eq(table.rotaSwap.teamId, teamId), eq(table.rotaSwap.userId, userId)));
}
