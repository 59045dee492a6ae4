import { sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { Model } from '$lib/server/model/types';
import { loadDashboard, rowsOf, type Dashboard } from './load';
import type { Scope } from './scope';

type Cycle = Parameters<typeof loadDashboard>[3];

const cache = new Map<string, { at: number; value: Promise<Dashboard> }>();
const LIMIT = 64;
/** A backstop for changes the stamp does not see (say, a team moved to another unit). */
const MAX_AGE_MS = 60_000;

/**
 * A cheap fingerprint of the data the figures are made of: when nothing an assessment, an
 * adoption, a responsibility, a team, a champion or a certificate was written since, the stored
 * figures are still right. It is read from the database, so it holds across instances.
 */
async function stamp(db: Database, cycleId: string): Promise<string> {
	const result = await db.execute(sql`select
		(select max(${table.assessment.updatedAt}) from ${table.assessment} where ${table.assessment.cycleId} = ${cycleId})::text as a,
		(select count(*) from ${table.assessment} where ${table.assessment.cycleId} = ${cycleId})::int as n,
		(select max(${table.toolAdoption.updatedAt}) from ${table.toolAdoption})::text as t,
		(select max(${table.responsibility.updatedAt}) from ${table.responsibility})::text as r,
		(select count(*) from ${table.team} where ${table.team.active})::int as teams,
		(select count(*) filter (where ${table.teamMember.champion}) from ${table.teamMember})::int as champions,
		(select count(*) from ${table.certificate})::int as certificates`);
	return JSON.stringify(rowsOf(result)[0] ?? {});
}

/** The dashboard figures for a cycle and scope, computed once per change of the underlying data. */
export async function dashboardFigures(
	db: Database,
	model: Model,
	scope: Scope,
	cycle: Cycle,
	previous: Cycle | null,
	cycles: Cycle[]
) {
	const key = [
		model.version,
		cycle.id,
		cycle.status,
		cycle.closedAt?.getTime(),
		previous?.id,
		scope.unitId,
		scope.memberId,
		cycles.map((c) => `${c.id}:${c.status}`).join(),
		await stamp(db, cycle.id)
	].join('|');
	const hit = cache.get(key);
	if (hit && Date.now() - hit.at < MAX_AGE_MS) return hit.value;
	if (cache.size >= LIMIT) cache.delete(cache.keys().next().value!);
	const value = loadDashboard(db, model, scope, cycle, previous, cycles);
	value.catch(() => cache.delete(key));
	cache.set(key, { at: Date.now(), value });
	return value;
}
