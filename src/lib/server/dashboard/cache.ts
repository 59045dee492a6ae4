import type { Database } from '$lib/server/db';
import type { Model } from '$lib/server/model/types';
import { loadDashboard, type Dashboard } from './load';
import type { Scope } from './scope';

type Cycle = Parameters<typeof loadDashboard>[3];

// A closed cycle's figures never change, so they are computed once per process. The key holds
// closedAt, so a cycle that is reopened and closed again (on any instance) gets fresh figures.
const closed = new Map<string, Promise<Dashboard>>();
const LIMIT = 64;

/** The dashboard figures, from the cache for a closed cycle. */
export function dashboardFigures(
	db: Database,
	model: Model,
	scope: Scope,
	cycle: Cycle,
	previous: Cycle | null,
	cycles: Cycle[]
) {
	if (cycle.status !== 'closed' || scope.memberId)
		return loadDashboard(db, model, scope, cycle, previous, cycles);
	const key = [
		model.version,
		cycle.id,
		cycle.closedAt?.getTime(),
		previous?.id,
		scope.unitId,
		cycles.map((c) => `${c.id}:${c.status}`).join()
	].join('|');
	let hit = closed.get(key);
	if (!hit) {
		if (closed.size >= LIMIT) closed.delete(closed.keys().next().value!);
		hit = loadDashboard(db, model, scope, cycle, previous, cycles);
		hit.catch(() => closed.delete(key));
		closed.set(key, hit);
	}
	return hit;
}
