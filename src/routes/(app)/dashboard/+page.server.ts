import { requireUser } from '$lib/server/auth/guard';
import { can } from '$lib/server/auth/policy';
import { dashboardFigures } from '$lib/server/dashboard/cache';
import { compareUnits } from '$lib/server/dashboard/load';
import { selection } from '$lib/server/dashboard/select';
import { encodeHeatmap } from '$lib/server/dashboard/heatmap';
import { getModel } from '$lib/server/model/load-model';
import { onDutyNames } from '$lib/server/responsibility/report';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const model = getModel();
	const { cycles, units, cycle, previous, unit } = await selection(
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
			comparison: [],
			duty: []
		};
	const scope = { unitId: seesAll ? (unit?.id ?? null) : null };
	const figures = await dashboardFigures(event.locals.db, model, scope, cycle, previous, cycles);
	// Members see the organisation only as anonymous figures, and their own teams in full.
	const mine = seesAll
		? null
		: await dashboardFigures(
				event.locals.db,
				model,
				{ unitId: null, memberId: user.id },
				cycle,
				previous,
				cycles
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
		heatmap: encodeHeatmap(
			named.teams,
			named.practices,
			base.practices.map((p) => p.id)
		),
		comparison: seesAll ? compareUnits(figures, model) : [],
		duty: dutyTeams
			.filter((t) => duty.has(t.teamId))
			.map((t) => ({ team: t.name, slug: t.slug, ...duty.get(t.teamId)! }))
	};
};
