import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { qualified } from '$lib/server/db/qualified';

/** Which teams a figure covers: the whole organisation, one department or business unit, or a viewer's own teams. */
export interface Scope {
	unitId: string | null;
	/** Limits to the teams this user is a member of (members' own view). */
	memberId?: string;
}

/** SQL condition on `table.team` for a scope (active teams only). */
export function teamInScope(scope: Scope): SQL {
	const parts: SQL[] = [sql`${table.team.active}`];
	if (scope.unitId) {
		parts.push(
			sql`(${table.team.orgUnitId} = ${scope.unitId} or ${table.team.orgUnitId} in (select id from ${table.orgUnit} where ${table.orgUnit.parentId} = ${scope.unitId}))`
		);
	}
	if (scope.memberId) {
		parts.push(
			sql`exists (select 1 from ${table.teamMember} where ${table.teamMember.teamId} = ${qualified(table.team.id)} and ${table.teamMember.userId} = ${scope.memberId})`
		);
	}
	return sql.join(parts, sql` and `);
}

/** Departments and business units for the filter, departments first with their units under them. */
export async function unitOptions(db: Database) {
	const rows = await db
		.select({
			id: table.orgUnit.id,
			name: table.orgUnit.name,
			kind: table.orgUnit.kind,
			parentId: table.orgUnit.parentId
		})
		.from(table.orgUnit)
		.orderBy(table.orgUnit.name);
	return rows
		.filter((r) => r.kind === 'department')
		.flatMap((d) => [d, ...rows.filter((r) => r.parentId === d.id)]);
}

/** Cycles for the selector, newest first. */
export function dashboardCycles(db: Database) {
	return db
		.select({
			id: table.cycle.id,
			name: table.cycle.name,
			startsOn: table.cycle.startsOn,
			dueOn: table.cycle.dueOn,
			status: table.cycle.status,
			closedAt: table.cycle.closedAt
		})
		.from(table.cycle)
		.orderBy(sql`${table.cycle.startsOn} desc`);
}
