import { and, desc, eq, inArray, isNull, max, not, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { cachedForRevision } from '$lib/server/db/revision';
import { teamInScope, type Scope } from '$lib/server/dashboard/scope';
import { severityList } from '$lib/findings';

/*
 * What the pipelines show across the organisation, for leadership's dashboard and the quarterly
 * report: open critical and high findings per org unit, teams whose scans stopped, and how long
 * fixing takes per severity. Active teams in scope only; an archived team's findings and scans
 * are history.
 */

/**
 * A team's scans have stopped when it has uploaded at least one scan (of any tool, on any
 * branch) and none in the last SCANS_STOPPED_DAYS days.
 */
export const SCANS_STOPPED_DAYS = 30;

const DAY = 86_400_000;
const department = alias(table.orgUnit, 'department');
const f = table.finding;

/** Open (not suppressed, not dismissed) critical and high findings per org unit, most first. */
export async function openSevereByUnit(db: Database, scope: Scope) {
	const rows = await db
		.select({
			unitId: table.team.orgUnitId,
			unit: table.orgUnit.name,
			department: department.name,
			critical: sql<number>`count(*) filter (where ${f.severity} = 'critical')::int`,
			high: sql<number>`count(*) filter (where ${f.severity} = 'high')::int`,
			teams: sql<number>`count(distinct ${table.team.id})::int`
		})
		.from(f)
		.innerJoin(table.team, eq(table.team.id, f.teamId))
		.leftJoin(table.orgUnit, eq(table.orgUnit.id, table.team.orgUnitId))
		.leftJoin(department, eq(department.id, table.orgUnit.parentId))
		.where(
			and(
				eq(f.state, 'open'),
				not(f.suppressed),
				isNull(f.dismissedAt),
				inArray(f.severity, ['critical', 'high']),
				teamInScope(scope)
			)
		)
		.groupBy(table.team.orgUnitId, table.orgUnit.name, department.name)
		.orderBy(desc(sql`count(*)`), table.orgUnit.name);
	return rows.map((r) => ({ ...r, unit: r.unit ?? 'No org unit' }));
}

/** Active teams in scope whose scans stopped (see SCANS_STOPPED_DAYS), the longest silent first. */
export async function stoppedScans(db: Database, scope: Scope, today: string) {
	const cutoff = new Date(Date.parse(`${today}T00:00:00Z`) - SCANS_STOPPED_DAYS * DAY);
	const last = max(table.scan.uploadedAt);
	const rows = await db
		.select({
			teamId: table.team.id,
			name: table.team.name,
			slug: table.team.slug,
			lastScanAt: last
		})
		.from(table.scan)
		.innerJoin(table.team, eq(table.team.id, table.scan.teamId))
		.where(teamInScope(scope))
		.groupBy(table.team.id)
		.having(sql`${last} < ${cutoff.toISOString()}::timestamptz`)
		.orderBy(last, table.team.name);
	return rows.map((r) => ({ ...r, lastScanAt: r.lastScanAt!.toISOString().slice(0, 10) }));
}

/**
 * Per severity, the findings fixed so far (not suppressed by the tool, not dismissed by the
 * team) and the median days from first seen to fixed.
 */
export async function timeToFix(db: Database, scope: Scope) {
	const days = sql`extract(epoch from (${f.fixedAt} - ${f.firstSeenAt})) / 86400`;
	const rows = await db
		.select({
			severity: f.severity,
			fixed: sql<number>`count(*)::int`,
			medianDays: sql<number>`(percentile_cont(0.5) within group (order by ${days}))::float8`
		})
		.from(f)
		.innerJoin(table.team, eq(table.team.id, f.teamId))
		.where(
			and(
				eq(f.state, 'fixed'),
				sql`${f.fixedAt} is not null`,
				not(f.suppressed),
				isNull(f.dismissedAt),
				teamInScope(scope)
			)
		)
		.groupBy(f.severity);
	return severityList.map((severity) => {
		const row = rows.find((r) => r.severity === severity);
		return {
			severity,
			fixed: row?.fixed ?? 0,
			medianDays: row ? Math.round(row.medianDays * 10) / 10 : null
		};
	});
}

/** The three, as the dashboard and the report show them. */
export async function pipelineFigures(db: Database, scope: Scope, today: string) {
	const [severe, stopped, fixing] = await Promise.all([
		openSevereByUnit(db, scope),
		stoppedScans(db, scope, today),
		timeToFix(db, scope)
	]);
	return { asOf: today, severe, stopped, fixing, stoppedDays: SCANS_STOPPED_DAYS };
}

export type PipelineFigures = Awaited<ReturnType<typeof pipelineFigures>>;

/** pipelineFigures once per data revision, scope and day. */
export function cachedPipelineFigures(db: Database, scope: Scope, today: string, revision: string) {
	const key = `dashboard.pipeline:${scope.unitId}:${scope.memberId}:${today}`;
	return cachedForRevision(db, key, revision, () => pipelineFigures(db, scope, today));
}
