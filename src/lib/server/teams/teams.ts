import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import { can, type Actor } from '$lib/server/auth/policy';
import { isUniqueViolation } from '$lib/server/db/errors';
import type { ActorContext } from '$lib/server/users/accounts';

export interface TeamInput {
	name: string;
	slug: string;
	orgUnitId: string | null;
	description: string;
}

export type TeamResult =
	{ ok: true; id: string; slug: string } | { ok: false; field: string; message: string };

const parentUnit = alias(table.orgUnit, 'parent_unit');

/** The teams a user may see (all of them for security, leadership and admins), with unit and size. */
export function listVisibleTeams(db: Database, actor: Actor) {
	// Members counted through a join: a correlated subquery here would silently count every
	// membership once the other joins go (drizzle then drops the outer table's name).
	const query = db
		.select({
			id: table.team.id,
			slug: table.team.slug,
			name: table.team.name,
			active: table.team.active,
			orgUnit: table.orgUnit.name,
			department: parentUnit.name,
			members: sql<number>`count(${table.teamMember.userId})::int`
		})
		.from(table.team)
		.leftJoin(table.orgUnit, eq(table.team.orgUnitId, table.orgUnit.id))
		.leftJoin(parentUnit, eq(table.orgUnit.parentId, parentUnit.id))
		.leftJoin(table.teamMember, eq(table.teamMember.teamId, table.team.id))
		.groupBy(table.team.id, table.orgUnit.id, parentUnit.id)
		.orderBy(asc(table.team.name));
	if (can(actor, 'teams.viewAll')) return query;
	const ownTeams = db
		.select({ teamId: table.teamMember.teamId })
		.from(table.teamMember)
		.where(eq(table.teamMember.userId, actor.id));
	return query.where(inArray(table.team.id, ownTeams));
}

/** Whether someone belongs to any team (the teams /teams lists for them, archived included). */
export async function belongsToAnyTeam(db: Database, userId: string): Promise<boolean> {
	const [row] = await db
		.select({ teamId: table.teamMember.teamId })
		.from(table.teamMember)
		.where(eq(table.teamMember.userId, userId))
		.limit(1);
	return row !== undefined;
}

/** The members of one team, leads first. */
export function listTeamMembers(db: Database, teamId: string) {
	return db
		.select({
			userId: table.user.id,
			name: table.user.name,
			email: table.user.email,
			active: table.user.active,
			role: table.teamMember.role,
			champion: table.teamMember.champion
		})
		.from(table.teamMember)
		.innerJoin(table.user, eq(table.teamMember.userId, table.user.id))
		.where(eq(table.teamMember.teamId, teamId))
		.orderBy(asc(table.teamMember.role), asc(table.user.name));
}

/** A team's org unit and its department, for the team page. */
export async function teamOrgUnit(db: Database, orgUnitId: string | null) {
	if (!orgUnitId) return null;
	const [row] = await db
		.select({ unit: table.orgUnit.name, department: parentUnit.name })
		.from(table.orgUnit)
		.leftJoin(parentUnit, eq(table.orgUnit.parentId, parentUnit.id))
		.where(eq(table.orgUnit.id, orgUnitId));
	return row ?? null;
}

/** Creates a team with a unique slug. */
export async function createTeam(
	db: Database,
	ctx: ActorContext,
	input: TeamInput
): Promise<TeamResult> {
	try {
		return await db.transaction(async (tx) => {
			const [created] = await tx.insert(table.team).values(input).returning({ id: table.team.id });
			await audit(tx, {
				actorId: ctx.actorId,
				action: 'team.created',
				targetType: 'team',
				targetId: created!.id,
				teamId: created!.id,
				detail: { ...input },
				ip: ctx.ip
			});
			return { ok: true as const, id: created!.id, slug: input.slug };
		});
	} catch (e) {
		if (isUniqueViolation(e))
			return { ok: false, field: 'slug', message: 'Another team uses this slug.' };
		throw e;
	}
}

/** Updates a team's name, slug, org unit and description. */
export async function updateTeam(
	db: Database,
	ctx: ActorContext,
	teamId: string,
	input: TeamInput
): Promise<TeamResult> {
	try {
		return await db.transaction(async (tx) => {
			const [before] = await tx
				.select()
				.from(table.team)
				.where(eq(table.team.id, teamId))
				.for('update');
			if (!before) return { ok: false as const, field: 'form', message: 'Unknown team.' };
			await tx.update(table.team).set(input).where(eq(table.team.id, teamId));
			await audit(tx, {
				actorId: ctx.actorId,
				action: 'team.updated',
				targetType: 'team',
				targetId: teamId,
				teamId,
				detail: {
					from: { name: before.name, slug: before.slug, orgUnitId: before.orgUnitId },
					to: { name: input.name, slug: input.slug, orgUnitId: input.orgUnitId }
				},
				ip: ctx.ip
			});
			return { ok: true as const, id: teamId, slug: input.slug };
		});
	} catch (e) {
		if (isUniqueViolation(e))
			return { ok: false, field: 'slug', message: 'Another team uses this slug.' };
		throw e;
	}
}

/** Archives or restores a team (archived teams get no new assessments). */
export async function setTeamActive(
	db: Database,
	ctx: ActorContext,
	teamId: string,
	active: boolean
) {
	await db.transaction(async (tx) => {
		const updated = await tx
			.update(table.team)
			.set({ active })
			.where(and(eq(table.team.id, teamId), eq(table.team.active, !active)))
			.returning({ id: table.team.id });
		if (!updated.length) return;
		await audit(tx, {
			actorId: ctx.actorId,
			action: active ? 'team.restored' : 'team.archived',
			targetType: 'team',
			targetId: teamId,
			teamId,
			ip: ctx.ip
		});
	});
}
