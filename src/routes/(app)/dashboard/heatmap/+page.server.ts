import { requirePermission } from '$lib/server/auth/guard';
import { dashboardFigures, teamHeatmap } from '$lib/server/dashboard/cache';
import { selection } from '$lib/server/dashboard/select';
import { getModel } from '$lib/server/model/load-model';
import type { PageServerLoad } from './$types';

/** The heatmap on its own, for a unit or the whole organisation (security, leadership, admins). */
export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'dashboard.org');
	const model = getModel();
	const { cycles, units, cycle, previous, unit, revision } = await selection(
		event.locals.db,
		event.url.searchParams
	);
	const practices = model.practices.map((p) => ({ id: p.id, name: p.name, phase: p.phase }));
	const phases = model.phases.map((p) => ({ id: p.id, name: p.name }));
	if (!cycle) return { cycle: null, cycles: [], units, unitId: '', rows: [], phases, practices };
	const figures = await dashboardFigures(
		event.locals.db,
		model,
		{ unitId: unit?.id ?? null },
		cycle,
		previous,
		cycles,
		revision
	);
	return {
		cycle: cycle.name,
		cycles: cycles.map((c) => c.name),
		units,
		unitId: unit?.id ?? '',
		rows: teamHeatmap(figures, model),
		phases,
		practices
	};
};

// Links and a GET form only: the page needs no JavaScript, so none is sent, nor a second copy
// of the organisation's rows for hydration.
export const csr = false;
