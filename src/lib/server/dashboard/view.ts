import type { Database } from '$lib/server/db';
import type { SessionUser } from '$lib/server/auth/session';
import { can } from '$lib/server/auth/policy';
import type { Model } from '$lib/server/model/types';
import { getModel } from '$lib/server/model/load-model';
import { onDutyNames } from '$lib/server/responsibility/report';
import { dashboardFigures, derived, orgUnitHeatmap, teamHeatmap } from './cache';
import { compareUnits, type Dashboard } from './load';
import type { selection } from './select';
import { TEAM_ROWS_LIMIT, type HeatmapRow, type UnitHeatmapRow } from './heatmap';

type Selection = Awaited<ReturnType<typeof selection>>;

/**
 * Everything the dashboard shows for a selection: leadership sees the organisation (or a unit);
 * a member sees anonymous organisation figures and their own teams in full.
 */
export async function dashboardView(
	db: Database,
	user: SessionUser,
	{ cycles, units, cycle, previous, unit, revision }: Selection
) {
	const model = getModel();
	const seesAll = can(user, 'dashboard.org');
	const base = {
		cycles: cycles.map((c) => c.name),
		units,
		unitId: unit?.id ?? '',
		seesAll,
		/** Whether the page links the printable report, which only some roles may open. */
		linksReport: can(user, 'reports.view'),
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
	const figures = await dashboardFigures(db, model, scope, cycle, previous, cycles, revision);
	// Members see the organisation only as anonymous figures, and their own teams in full.
	const mine = seesAll
		? null
		: await dashboardFigures(
				db,
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
		db,
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
}

export type DashboardView = Awaited<ReturnType<typeof dashboardView>>;

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

/** The side-by-side comparison with only what the page shows. */
function unitRows(figures: Dashboard, model: Model) {
	return compareUnits(figures, model).map((u) => ({
		unit: u.unit,
		department: u.department,
		org: { now: u.org.now },
		phases: u.phases.map(round2)
	}));
}
