import { requireUser } from '$lib/server/auth/guard';
import { can } from '$lib/server/auth/policy';
import {
	dashboardFigures,
	derived,
	orgUnitHeatmap,
	teamHeatmap
} from '$lib/server/dashboard/cache';
import { compareUnits, type Dashboard } from '$lib/server/dashboard/load';
import { selection } from '$lib/server/dashboard/select';
import {
	TEAM_ROWS_LIMIT,
	type HeatmapRow,
	type UnitHeatmapRow
} from '$lib/server/dashboard/heatmap';
import type { Model } from '$lib/server/model/types';
import { getModel } from '$lib/server/model/load-model';
import { onDutyNames } from '$lib/server/responsibility/report';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const model = getModel();
	const { cycles, units, cycle, previous, unit, revision } = await selection(
		event.locals.db,
		event.url.searchParams
	);
	const seesAll = can(user, 'dashboard.org');
	const base = {
		cycles: cycles.map((c) => c.name),
		units,
		unitId: unit?.id ?? '',
		seesAll,
		practices: model.practices.map((p) => ({ id: p.id, name: p.name, phase: p.phase }))
	};
	if (!cycle)
		return {
			...base,
			cycle: null,
			figures: null,
			heatmap: [],
			unitHeatmap: [],
			comparison: [],
			duty: []
		};
	const scope = { unitId: seesAll ? (unit?.id ?? null) : null };
	const figures = await dashboardFigures(
		event.locals.db,
		model,
		scope,
		cycle,
		previous,
		cycles,
		revision
	);
	// Members see the organisation only as anonymous figures, and their own teams in full.
	const mine = seesAll
		? null
		: await dashboardFigures(
				event.locals.db,
				model,
				{ unitId: null, memberId: user.id },
				cycle,
				previous,
				cycles,
				revision
			);
	const named = seesAll ? figures : mine!;
	const dutyTeams = named.teams.length <= 30 ? named.teams : [];
	const duty = await onDutyNames(
		event.locals.db,
		dutyTeams.map((t) => t.teamId)
	);
	const { teams: _teams, practices: _practices, dropped, overdue, ...anonymous } = figures;
	return {
		...base,
		cycle: {
			name: cycle.name,
			status: cycle.status,
			dueOn: cycle.dueOn,
			previous: previous?.name ?? null
		},
		figures: seesAll
			? { ...anonymous, dropped, overdue }
			: { ...anonymous, dropped: [], overdue: [] },
		...heatmaps(named, seesAll, model),
		comparison: seesAll ? derived(figures, 'comparison', () => unitRows(figures, model)) : [],
		duty: dutyTeams
			.filter((t) => duty.has(t.teamId))
			.map((t) => ({ team: t.name, slug: t.slug, ...duty.get(t.teamId)! }))
	};
};

/**
 * Teams × practices for a unit or a member's own teams; above TEAM_ROWS_LIMIT teams one row per
 * org unit instead (the team heatmap for everything is at /dashboard/heatmap).
 */
function heatmaps(
	figures: Dashboard,
	seesAll: boolean,
	model: Model
): { heatmap: HeatmapRow[]; unitHeatmap: UnitHeatmapRow[] } {
	return seesAll && figures.teams.length > TEAM_ROWS_LIMIT
		? { heatmap: [], unitHeatmap: orgUnitHeatmap(figures, model) }
		: { heatmap: teamHeatmap(figures, model), unitHeatmap: [] };
}

const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/** The side-by-side comparison with only what the page shows (SvelteKit serialises load data on every view). */
function unitRows(figures: Dashboard, model: Model) {
	return compareUnits(figures, model).map((u) => ({
		unit: u.unit,
		department: u.department,
		org: { now: u.org.now },
		phases: u.phases.map(round2)
	}));
}

// Everything on the dashboard works without SvelteKit's client (links, a GET form); its charts
// are drawn by the small standalone chart script the page links. Not hydrating keeps the copy
// of its data out of the page and spares the browser ~33 KB of gzipped framework code.
export const csr = false;
