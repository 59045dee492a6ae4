import type { Database } from '$lib/server/db';
import { cachedForRevision } from '$lib/server/db/revision';
import type { Model } from '$lib/server/model/types';
import { encodeHeatmap, unitHeatmap } from './heatmap';
import { groupOf, loadDashboard, type Dashboard, type RollUp } from './load';
import type { Scope } from './scope';

type Cycle = Parameters<typeof loadDashboard>[3];

/**
 * The dashboard figures for a cycle and scope, computed once per data revision (from `selection`):
 * a page view costs one sequence read while nothing changes.
 */
export function dashboardFigures(
	db: Database,
	model: Model,
	scope: Scope,
	cycle: Cycle,
	previous: Cycle | null,
	cycles: Cycle[],
	revision: string
) {
	// Cycles, units and teams are under the revision too: the key names only what is asked for.
	const key = [model.version, cycle.id, previous?.id, scope.unitId, scope.memberId].join('|');
	return cachedForRevision(db, `dashboard:${key}`, revision, () =>
		loadDashboard(db, model, scope, cycle, previous, cycles)
	);
}

const derivedValues = new WeakMap<Dashboard, Map<string, unknown>>();

/** A value made from cached figures, made once per figures object (so once per cache entry). */
export function derived<T>(figures: Dashboard, name: string, make: () => T): T {
	let values = derivedValues.get(figures);
	if (!values) derivedValues.set(figures, (values = new Map()));
	if (!values.has(name)) values.set(name, make());
	return values.get(name) as T;
}

const practiceIds = (model: Model) => model.practices.map((p) => p.id);

/** The heatmap of cached figures, a row per team: encoded once per cache entry, for every page. */
export function teamHeatmap(figures: Dashboard, model: Model) {
	return derived(figures, 'heatmap', () =>
		encodeHeatmap(figures.teams, figures.practices, practiceIds(model))
	);
}

/** The heatmap of cached figures, a row per org unit or department: made once per cache entry. */
export function orgUnitHeatmap(figures: Dashboard, model: Model, by: RollUp = 'unit') {
	return derived(figures, `unitHeatmap:${by}`, () =>
		unitHeatmap(
			figures.teams.map((t) => {
				const group = groupOf(t, by);
				return { teamId: t.teamId, unitId: group.id, unit: group.name, score: t.score };
			}),
			figures.practices,
			practiceIds(model)
		)
	);
}
