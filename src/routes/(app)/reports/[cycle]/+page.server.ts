import { error } from '@sveltejs/kit';
import { requirePermission } from '$lib/server/auth/guard';
import { dashboardFigures } from '$lib/server/dashboard/cache';
import { compareUnits } from '$lib/server/dashboard/load';
import { selection } from '$lib/server/dashboard/select';
import { summarySentences } from '$lib/server/dashboard/summary';
import { getModel } from '$lib/server/model/load-model';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'reports.view');
	const model = getModel();
	const params = new URLSearchParams(event.url.searchParams);
	params.set('cycle', event.params.cycle);
	const { cycles, units, cycle, previous, unit, revision } = await selection(
		event.locals.db,
		params
	);
	if (!cycle || cycle.name !== event.params.cycle) error(404, 'Unknown cycle');
	const f = await dashboardFigures(
		event.locals.db,
		model,
		{ unitId: unit?.id ?? null },
		cycle,
		previous,
		cycles,
		revision
	);
	const phaseOf = new Map(model.practices.map((p) => [p.id, p.phase]));
	// The appendix: each team's phase scores from its stored practice scores.
	const appendix = f.teams.map((t) => {
		const rows = f.practices.filter((p) => p.teamId === t.teamId && !p.notApplicable);
		return {
			...t,
			phases: model.phases.map((ph) => {
				const xs = rows.filter((r) => phaseOf.get(r.practiceId) === ph.id).map((r) => r.score);
				return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
			})
		};
	});
	return {
		cycle: {
			name: cycle.name,
			status: cycle.status,
			startsOn: cycle.startsOn,
			dueOn: cycle.dueOn,
			previous: previous?.name ?? null
		},
		unit: unit ? { id: unit.id, name: unit.name } : null,
		units,
		summary: summarySentences({
			phases: f.phases,
			org: f.org.now ? { mean: f.org.now.mean, change: f.org.change } : null,
			assessedShare: f.progress.assessed,
			dropped: f.dropped.length
		}),
		figures: {
			teamCount: f.teamCount,
			progress: f.progress,
			org: f.org,
			levelShares: f.levelShares,
			toolCoverage: f.toolCoverage,
			people: f.people,
			phases: f.phases,
			coverage: f.coverage,
			act: f.act
		},
		comparison: compareUnits(f, model),
		appendix,
		names: Object.fromEntries(model.practices.map((p) => [p.id, p.name])),
		generatedAt: new Date().toISOString().slice(0, 16).replace('T', ' ')
	};
};
