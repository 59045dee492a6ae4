import type { Database } from '$lib/server/db';
import type { SessionUser } from '$lib/server/auth/session';
import { can } from '$lib/server/auth/policy';
import { ACHIEVED_THRESHOLD } from '$lib/server/assessments/scoring';
import type { Model } from '$lib/server/model/types';
import { getModel } from '$lib/server/model/load-model';
import { onDutyNames } from '$lib/server/responsibility/report';
import { dashboardFigures, derived, orgUnitHeatmap, teamHeatmap } from './cache';
import { sumGaps } from './figures';
import { compareUnits, type Dashboard, type RollUp } from './load';
import { cachedOverduePlanItems, overduePlanItems } from './plan';
import type { selection } from './select';
import { TEAM_ROWS_LIMIT, type HeatmapRow, type UnitHeatmapRow } from './heatmap';
import { dashboardEvidence } from '$lib/server/evidence/share';
import { cachedPipelineFigures } from '$lib/server/findings/pipeline-figures';

type Selection = Awaited<ReturnType<typeof selection>>;

/** Who can be responsible for a practice, in the order the page shows them. */
export const parties = ['delivery', 'security', 'operations', 'shared', 'nobody'] as const;

/**
 * Everything the dashboard shows for a selection, and nothing more (it travels to the browser
 * with the page): leadership sees the organisation (or a unit); a member sees anonymous
 * organisation figures and their own teams in full.
 */
export async function dashboardView(
	db: Database,
	user: SessionUser,
	{ cycles, units, cycle, previous, unit, revision }: Selection,
	today = new Date().toISOString().slice(0, 10)
) {
	const model = getModel();
	const seesAll = can(user, 'dashboard.org');
	const base = {
		cycles: cycles.map((c) => c.name),
		units: units.map((u) => ({ id: u.id, name: u.name, kind: u.kind })),
		unitId: unit?.id ?? '',
		seesAll,
		/** Whether the page links the printable report, which only some roles may open. */
		linksReport: can(user, 'reports.view'),
		/** The level score at which a level counts as achieved (explained beside the levels). */
		threshold: ACHIEVED_THRESHOLD,
		phases: model.phases.map((p) => ({ id: p.id, name: p.name })),
		practices: model.practices.map((p) => ({ id: p.id, name: p.name, phase: p.phase }))
	};
	if (!cycle)
		return {
			...base,
			cycle: null,
			figures: null,
			heatmap: [],
			unitHeatmap: [],
			rollUp: 'unit' as RollUp,
			comparison: [],
			duty: [],
			evidence: null,
			pipeline: null
		};
	const scope = { unitId: seesAll ? (unit?.id ?? null) : null };
	// The whole organisation rolls up to its departments (a few rows even at thousands of teams);
	// a department's or unit's own dashboard to its org units.
	const rollUp: RollUp = scope.unitId === null ? 'department' : 'unit';
	const figures = await dashboardFigures(db, model, scope, cycle, previous, cycles, revision);
	// Members see the organisation only as anonymous figures, and their own teams in full.
	const mineScope = { unitId: null, memberId: user.id };
	const mine = seesAll
		? null
		: await dashboardFigures(db, model, mineScope, cycle, previous, cycles, revision);
	const named = seesAll ? figures : mine!;
	const dutyTeams = named.teams.length <= 30 ? named.teams : [];
	const [duty, overduePlan, evidence, pipeline] = await Promise.all([
		onDutyNames(
			db,
			dutyTeams.map((t) => t.teamId)
		),
		// A member's own figures are asked for by them alone: not worth a place in the cache.
		seesAll
			? cachedOverduePlanItems(db, scope, today, revision)
			: overduePlanItems(db, mineScope, today),
		// Claims checked against the pipelines: the open (else latest) cycle, whatever is selected.
		dashboardEvidence(db, model, {
			scope,
			cycles,
			teams: figures.teams,
			rollUp,
			seesAll,
			revision,
			today
		}),
		// What the pipelines find: names teams, so for those who see every team.
		seesAll ? cachedPipelineFigures(db, scope, today, revision) : null
	]);
	return {
		...base,
		cycle: {
			name: cycle.name,
			status: cycle.status,
			dueOn: cycle.dueOn,
			previous: previous?.name ?? null
		},
		figures: {
			...derived(figures, 'anonymous', () => anonymousFigures(figures, model)),
			...(seesAll
				? derived(figures, 'named', () => namedFigures(figures))
				: { dropped: [], overdue: [] }),
			overduePlan
		},
		...heatmaps(named, seesAll, model, rollUp),
		/** What a row of the unit heatmap and the comparison is. */
		rollUp,
		comparison: seesAll
			? derived(figures, `comparison:${rollUp}`, () => unitRows(figures, model, rollUp))
			: [],
		duty: dutyTeams
			.filter((t) => duty.has(t.teamId))
			.map((t) => ({ team: t.name, slug: t.slug, ...duty.get(t.teamId)! })),
		/** The share of most/all answers on criteria with an evidence rule that the pipelines back. */
		evidence,
		/** Open critical and high findings per unit, teams whose scans stopped, time to fix. */
		pipeline
	};
}

export type DashboardView = Awaited<ReturnType<typeof dashboardView>>;

const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
const percent = (x: number) => Math.round(x * 100);

/** The organisation's figures, with no team named: what every reader may see (and the report shows). */
export function anonymousFigures(f: Dashboard, model: Model) {
	const now = f.org.now;
	const gaps = new Map(f.targets.map((g) => [g.practiceId, g]));
	return {
		teamCount: f.teamCount,
		progress: { assessed: percent(f.progress.assessed), approved: percent(f.progress.approved) },
		org: {
			now: now && {
				mean: round2(now.mean)!,
				median: round2(now.median)!,
				min: round2(now.min)!,
				max: round2(now.max)!,
				teams: now.teams
			},
			change: round2(f.org.change)
		},
		toolCoverage: percent(f.toolCoverage),
		people: {
			nobodyTeams: f.people.nobodyTeams,
			championCoverage: percent(f.people.championCoverage),
			trainingCompletion: percent(f.people.trainingCompletion)
		},
		phases: f.phases.map((p) => ({ score: round2(p.score), previous: round2(p.previous) })),
		/** Per phase, teams at level 0 to 4 there. */
		levels: f.levels.map((l) => l.teams),
		/** Per phase, share of teams at level 2 or more (percent). */
		levelShares: f.levelShares.map((s) => percent(s.share)),
		targets: {
			all: sumGaps(f.targets),
			phases: model.phases.map((ph) =>
				sumGaps(model.practices.filter((p) => p.phase === ph.id).map((p) => gaps.get(p.id)!))
			),
			/** The practices with the most levels missing to their targets. */
			furthest: f.targets
				.filter((g) => g.missing > 0)
				.sort((a, b) => b.missing - a.missing || a.practiceId.localeCompare(b.practiceId))
				.slice(0, 5)
		},
		trend: f.trend.map((t) => ({
			cycle: t.cycle,
			org: round2(t.org),
			phases: t.phases.map(round2)
		})),
		coverage: f.coverage.map((c) => ({ name: c.name, share: percent(c.share) })),
		/** Teams per practice (rows, in model order) and party (columns, see `parties`). */
		responsibility: model.practices.map((p) =>
			parties.map(
				(party) =>
					f.responsibility.find((r) => r.practiceId === p.id && r.party === party)?.teams ?? 0
			)
		),
		act: {
			lowest: f.act.lowest.map(actRow),
			widest: f.act.widest.map(actRow)
		}
	};
}

const actRow = (p: { practiceId: string; mean: number; min: number; max: number }) => ({
	practiceId: p.practiceId,
	mean: round2(p.mean)!,
	min: round2(p.min)!,
	max: round2(p.max)!
});

/** Figures that name teams: only for those who see every team. */
function namedFigures(f: Dashboard) {
	const team = (t: { teamId: string; name: string; slug: string }) => ({
		teamId: t.teamId,
		name: t.name,
		slug: t.slug
	});
	return {
		dropped: f.dropped.map((t) => ({ ...team(t), change: t.change })),
		overdue: f.overdue.map((t) => ({ ...team(t), status: t.status }))
	};
}

/**
 * Teams × practices for a unit or a member's own teams; above TEAM_ROWS_LIMIT teams one row per
 * department or org unit instead (the team heatmap for everything is at /dashboard/heatmap).
 */
function heatmaps(
	figures: Dashboard,
	seesAll: boolean,
	model: Model,
	by: RollUp
): { heatmap: HeatmapRow[]; unitHeatmap: UnitHeatmapRow[] } {
	return seesAll && figures.teams.length > TEAM_ROWS_LIMIT
		? { heatmap: [], unitHeatmap: orgUnitHeatmap(figures, model, by) }
		: { heatmap: teamHeatmap(figures, model), unitHeatmap: [] };
}

/** The side-by-side comparison with only what the page shows. */
function unitRows(figures: Dashboard, model: Model, by: RollUp) {
	return compareUnits(figures, model, by).map((u) => ({
		unit: u.unit,
		department: u.department,
		org: {
			now: u.org.now && {
				mean: round2(u.org.now.mean)!,
				median: round2(u.org.now.median)!,
				min: round2(u.org.now.min)!,
				max: round2(u.org.now.max)!,
				teams: u.org.now.teams
			}
		},
		phases: u.phases.map(round2)
	}));
}
