import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { OrgUnitKind } from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import type { ActorContext } from '$lib/server/users/accounts';
import { isUniqueViolation } from '$lib/server/db/errors';

export type OrgUnitResult =
	{ ok: true; id: string } | { ok: false; field: string; message: string };

/** Org units as a two-level list: each department followed by its business units. */
export async function listOrgUnits(db: Database) {
	// A join, not a correlated subquery (which drizzle writes without the outer table's name).
	// Archived teams count: they still belong to the unit and keep it from being deleted.
	const rows = await db
		.select({
			id: table.orgUnit.id,
			name: table.orgUnit.name,
			kind: table.orgUnit.kind,
			parentId: table.orgUnit.parentId,
			teams: sql<number>`count(${table.team.id})::int`
		})
		.from(table.orgUnit)
		.leftJoin(table.team, eq(table.team.orgUnitId, table.orgUnit.id))
		.groupBy(table.orgUnit.id)
		.orderBy(asc(table.orgUnit.name));
	const departments = rows.filter((r) => r.kind === 'department');
	return departments.flatMap((d) => [d, ...rows.filter((r) => r.parentId === d.id)]);
}

/** Creates a department, or a business unit under a department. */
export async function createOrgUnit(
	db: Database,
	ctx: ActorContext,
	input: { name: string; kind: OrgUnitKind; parentId: string | null }
): Promise<OrgUnitResult> {
	if (input.parentId) {
		const [parent] = await db
			.select({ kind: table.orgUnit.kind })
			.from(table.orgUnit)
			.where(eq(table.orgUnit.id, input.parentId));
		if (parent?.kind !== 'department') {
			return { ok: false, field: 'parentId', message: 'Choose a department as the parent.' };
		}
	}
	try {
		return await db.transaction(async (tx) => {
			const [created] = await tx
				.insert(table.orgUnit)
				.values(input)
				.returning({ id: table.orgUnit.id });
			await audit(tx, {
				actorId: ctx.actorId,
				action: 'org_unit.created',
				targetType: 'org_unit',
				targetId: created!.id,
				detail: input,
				ip: ctx.ip
			});
			return { ok: true as const, id: created!.id };
		});
	} catch (e) {
		if (isUniqueViolation(e))
			return { ok: false, field: 'name', message: 'An org unit with this name exists.' };
		throw e;
	}
}

/** Renames an org unit. */
export async function renameOrgUnit(
	db: Database,
	ctx: ActorContext,
	id: string,
	name: string
): Promise<OrgUnitResult> {
	try {
		return await db.transaction(async (tx) => {
			const updated = await tx
				.update(table.orgUnit)
				.set({ name })
				.where(eq(table.orgUnit.id, id))
				.returning({ id: table.orgUnit.id });
			if (!updated.length) return { ok: false as const, field: 'id', message: 'Unknown org unit.' };
			await audit(tx, {
				actorId: ctx.actorId,
				action: 'org_unit.renamed',
				targetType: 'org_unit',
				targetId: id,
				detail: { name },
				ip: ctx.ip
			});
			return { ok: true as const, id };
		});
	} catch (e) {
		if (isUniqueViolation(e))
			return { ok: false, field: 'name', message: 'An org unit with this name exists.' };
		throw e;
	}
}

/** Deletes an org unit that has no teams and no business units. */
export async function deleteOrgUnit(
	db: Database,
	ctx: ActorContext,
	id: string
): Promise<OrgUnitResult> {
	return db.transaction(async (tx) => {
		const [use] = await tx
			.select({
				teams: sql<number>`(select count(*)::int from ${table.team} where ${table.team.orgUnitId} = ${id})`,
				children: sql<number>`(select count(*)::int from ${table.orgUnit} where ${table.orgUnit.parentId} = ${id})`
			})
			.from(sql`(select 1) as one`);
		if (use && (use.teams > 0 || use.children > 0)) {
			return {
				ok: false as const,
				field: 'id',
				message: 'Move its teams and business units elsewhere first.'
			};
		}
		const deleted = await tx.delete(table.orgUnit).where(eq(table.orgUnit.id, id)).returning();
		if (!deleted.length) return { ok: false as const, field: 'id', message: 'Unknown org unit.' };
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'org_unit.deleted',
			targetType: 'org_unit',
			targetId: id,
			detail: { name: deleted[0]!.name },
			ip: ctx.ip
		});
		return { ok: true as const, id };
	});
}
