import type { Database } from '$lib/server/db';
import type { Model } from '$lib/server/model/types';
import { loadDashboard, type Dashboard } from './load';
import type { Scope } from './scope';

type Cycle = Parameters<typeof loadDashboard>[3];

const cache = new Map<string, { revision: string; at: number; value: Promise<Dashboard> }>();
/** Scopes kept: at 2,000 teams an entry holds ~42,000 practice results. */
const LIMIT = 24;
/** A backstop: see dataRevision for the one case a revision can be stale. */
const MAX_AGE_MS = 60_000;

/**
 * The dashboard figures for a cycle and scope, computed once per data revision (from `selection`):
 * a page view costs one sequence read while nothing changes.
 */
export async function dashboardFigures(
	db: Database,
	model: Model,
	scope: Scope,
	cycle: Cycle,
	previous: Cycle | null,
	cycles: Cycle[],
	revision: string
) {
	const key = [
		model.version,
		cycle.id,
		cycle.status,
		cycle.closedAt?.getTime(),
		previous?.id,
		scope.unitId,
		scope.memberId,
		cycles.map((c) => `${c.id}:${c.status}`).join()
	].join('|');
	const hit = cache.get(key);
	if (hit && hit.revision === revision && Date.now() - hit.at < MAX_AGE_MS) return hit.value;
	// One entry per cycle and scope: newer data replaces it, and the oldest scope goes first.
	cache.delete(key);
	if (cache.size >= LIMIT) cache.delete(cache.keys().next().value!);
	const value = loadDashboard(db, model, scope, cycle, previous, cycles);
	value.catch(() => cache.delete(key));
	cache.set(key, { revision, at: Date.now(), value });
	return value;
}

const derivedValues = new WeakMap<Dashboard, Map<string, unknown>>();

/** A value made from cached figures, made once per figures object (so once per cache entry). */
export function derived<T>(figures: Dashboard, name: string, make: () => T): T {
	let values = derivedValues.get(figures);
	if (!values) derivedValues.set(figures, (values = new Map()));
	if (!values.has(name)) values.set(name, make());
	return values.get(name) as T;
}
