import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { cachedForRevision } from '$lib/server/db/revision';
import { teamInScope, type Scope } from './scope';

/**
 * Open improvement-plan items (planned or in progress) due before `today`, per org unit of the
 * active teams in scope, the most first: items and the teams they belong to.
 */
export async function overduePlanItems(db: Database, scope: Scope, today: string) {
	const rows = await db
		.select({
			unitId: table.team.orgUnitId,
			unit: table.orgUnit.name,
			items: sql<number>`count(*)::int`,
			teams: sql<number>`count(distinct ${table.team.id})::int`
		})
		.from(table.planItem)
		.innerJoin(table.team, eq(table.team.id, table.planItem.teamId))
		.leftJoin(table.orgUnit, eq(table.orgUnit.id, table.team.orgUnitId))
		.where(
			and(
				inArray(table.planItem.status, ['planned', 'in_progress']),
				lt(table.planItem.dueOn, today),
				teamInScope(scope)
			)
		)
		.groupBy(table.team.orgUnitId, table.orgUnit.name)
		.orderBy(desc(sql`count(*)`), table.orgUnit.name);
	return rows.map((r) => ({ ...r, unit: r.unit ?? 'No org unit' }));
}

/** overduePlanItems once per data revision, scope and day. */
export function cachedOverduePlanItems(
	db: Database,
	scope: Scope,
	today: string,
	revision: string
) {
	const key = `dashboard.overdue:${scope.unitId}:${scope.memberId}:${today}`;
	return cachedForRevision(db, key, revision, () => overduePlanItems(db, scope, today));
}
