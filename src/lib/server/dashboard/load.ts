import { and, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { rowsOf } from '$lib/server/db/rows';
import type { Model } from '$lib/server/model/types';
import {
	droppedTeams,
	orgScore,
	phaseLevelDistribution,
	phaseLevelShares,
	progressShares,
	targetGaps,
	whereToAct,
	type TeamRow
} from './figures';
import { teamInScope, type Scope } from './scope';

type Cycle = {
	id: string;
	name: string;
	dueOn: string;
	status: 'open' | 'closed';
	closedAt: Date | null;
};

const previousAssessment = alias(table.assessment, 'previous_assessment');
const parentUnit = alias(table.orgUnit, 'parent_unit');
const CHAMPION_TRACK = 'security-champion';

/** Teams in scope with their assessment in this cycle and their score in the previous one. */
function teamRows(db: Database, scope: Scope, cycle: Cycle, previous: Cycle | null) {
	return db
		.select({
			teamId: table.team.id,
			name: table.team.name,
			slug: table.team.slug,
			unitId: table.team.orgUnitId,
			unit: table.orgUnit.name,
			department: parentUnit.name,
			/** The department the team rolls up to: its unit's parent, or its unit if that has none. */
			departmentId: sql<string | null>`coalesce(${parentUnit.id}, ${table.orgUnit.id})`,
			departmentName: sql<string | null>`coalesce(${parentUnit.name}, ${table.orgUnit.name})`,
			status: table.assessment.status,
			selfReviewed: table.assessment.selfReviewed,
			score: table.assessment.score,
			previousScore: previousAssessment.score
		})
		.from(table.team)
		.leftJoin(table.orgUnit, eq(table.orgUnit.id, table.team.orgUnitId))
		.leftJoin(parentUnit, eq(parentUnit.id, table.orgUnit.parentId))
		.leftJoin(
			table.assessment,
			and(eq(table.assessment.teamId, table.team.id), eq(table.assessment.cycleId, cycle.id))
		)
		.leftJoin(
			previousAssessment,
			and(
				eq(previousAssessment.teamId, table.team.id),
				eq(previousAssessment.cycleId, previous?.id ?? cycle.id),
				sql`${previous !== null}`
			)
		)
		.where(teamInScope(scope))
		.orderBy(table.team.name);
}

/** Mean phase score per cycle, for every cycle (the trend) — aggregated in SQL. */
function phaseTrend(db: Database, scope: Scope) {
	return db
		.select({
			cycleId: table.assessment.cycleId,
			phase: table.assessmentPhase.phase,
			mean: sql<number | null>`avg(${table.assessmentPhase.score})::float8`
		})
		.from(table.assessmentPhase)
		.innerJoin(table.assessment, eq(table.assessment.id, table.assessmentPhase.assessmentId))
		.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
		.where(teamInScope(scope))
		.groupBy(table.assessment.cycleId, table.assessmentPhase.phase);
}

function orgTrend(db: Database, scope: Scope) {
	return db
		.select({
			cycleId: table.assessment.cycleId,
			mean: sql<number | null>`avg(${table.assessment.score})::float8`,
			teams: sql<number>`count(${table.assessment.score})::int`
		})
		.from(table.assessment)
		.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
		.where(teamInScope(scope))
		.groupBy(table.assessment.cycleId);
}

/** Every practice result of the cycle (the heatmap and the per-practice figures). */
function practiceRows(db: Database, scope: Scope, cycle: Cycle) {
	return db
		.select({
			teamId: table.assessment.teamId,
			practiceId: table.assessmentPractice.practiceId,
			achievedLevel: table.assessmentPractice.achievedLevel,
			score: table.assessmentPractice.score,
			notApplicable: table.assessmentPractice.notApplicable,
			target: table.assessmentPractice.target
		})
		.from(table.assessmentPractice)
		.innerJoin(table.assessment, eq(table.assessment.id, table.assessmentPractice.assessmentId))
		.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
		.where(and(eq(table.assessment.cycleId, cycle.id), teamInScope(scope)));
}

/** Teams with at least one tool of each category in use: the snapshot for a closed cycle, live adoption otherwise. */
function categoryCoverage(db: Database, scope: Scope, cycle: Cycle) {
	const source =
		cycle.status === 'closed'
			? sql`(select team_id, tool_id, state from ${table.adoptionSnapshot} where cycle_id = ${cycle.id})`
			: sql`(select team_id, tool_id, state from ${table.toolAdoption})`;
	return db.execute<{ id: string; name: string; teams: number }>(sql`
		select c.id, c.name, count(distinct x.team_id)::int as teams
		from ${table.toolCategory} c
		left join ${table.tool} tl on tl.category_id = c.id
		left join ${source} x on x.tool_id = tl.id and x.state in ('adopted', 'enforced')
			and x.team_id in (select ${table.team.id} from ${table.team} where ${teamInScope(scope)})
		group by c.id, c.name order by c.name`);
}

function responsibilityCounts(db: Database, scope: Scope) {
	return db
		.select({
			practiceId: table.responsibility.practiceId,
			party: table.responsibility.party,
			teams: sql<number>`count(*)::int`
		})
		.from(table.responsibility)
		.innerJoin(table.team, eq(table.team.id, table.responsibility.teamId))
		.where(teamInScope(scope))
		.groupBy(table.responsibility.practiceId, table.responsibility.party);
}

async function peopleFigures(db: Database, scope: Scope) {
	const [row] = await db
		.execute<{
			nobody_teams: number;
			champion_teams: number;
			certified_teams: number;
			champions: number;
			certified_champions: number;
		}>(
			sql`
		with teams as (select ${table.team.id} as id from ${table.team} where ${teamInScope(scope)}),
		champions as (select tm.team_id, tm.user_id from ${table.teamMember} tm join teams t on t.id = tm.team_id join ${table.user} u on u.id = tm.user_id and u.active where tm.champion),
		certified as (select c.team_id, c.user_id from champions c join ${table.certificate} ce on ce.user_id = c.user_id and ce.track_id = ${CHAMPION_TRACK})
		select
			(select count(distinct r.team_id)::int from ${table.responsibility} r join teams t on t.id = r.team_id where r.party = 'nobody') as nobody_teams,
			(select count(distinct team_id)::int from champions) as champion_teams,
			(select count(distinct team_id)::int from certified) as certified_teams,
			(select count(distinct user_id)::int from champions) as champions,
			(select count(distinct user_id)::int from certified) as certified_champions`
		)
		.then((r) =>
			rowsOf<{
				nobody_teams: number;
				champion_teams: number;
				certified_teams: number;
				champions: number;
				certified_champions: number;
			}>(r)
		);
	return row!;
}

/** Everything the dashboard and the report show for one cycle and scope. */
export async function loadDashboard(
	db: Database,
	model: Model,
	scope: Scope,
	cycle: Cycle,
	previous: Cycle | null,
	cycles: Cycle[]
) {
	const [teams, phases, org, practices, coverage, responsibility, people] = await Promise.all([
		teamRows(db, scope, cycle, previous),
		phaseTrend(db, scope),
		orgTrend(db, scope),
		practiceRows(db, scope, cycle),
		categoryCoverage(db, scope, cycle).then((r) =>
			rowsOf<{ id: string; name: string; teams: number }>(r)
		),
		responsibilityCounts(db, scope),
		peopleFigures(db, scope)
	]);
	const n = teams.length;
	const practicePhase = new Map(model.practices.map((p) => [p.id, p.phase]));
	const phaseMean = (cycleId: string | undefined, phase: string) =>
		phases.find((p) => p.cycleId === cycleId && p.phase === phase)?.mean ?? null;
	const practiceFigures = model.practices
		.map((p) => {
			const xs = practices
				.filter((r) => r.practiceId === p.id && !r.notApplicable)
				.map((r) => r.score);
			return xs.length
				? {
						practiceId: p.id,
						name: p.name,
						mean: xs.reduce((a, b) => a + b, 0) / xs.length,
						min: Math.min(...xs),
						max: Math.max(...xs),
						teams: xs.length
					}
				: null;
		})
		.filter((p) => p !== null);
	const chronological = [...cycles].reverse();
	return {
		teamCount: n,
		progress: progressShares(teams),
		org: orgScore(teams),
		phases: model.phases.map((ph) => ({
			id: ph.id,
			name: ph.name,
			score: phaseMean(cycle.id, ph.id),
			previous: phaseMean(previous?.id, ph.id)
		})),
		levelShares: phaseLevelShares(
			model.phases.map((p) => p.id),
			practicePhase,
			practices
		),
		levels: phaseLevelDistribution(
			model.phases.map((p) => p.id),
			practicePhase,
			practices
		),
		targets: targetGaps(
			model.practices.map((p) => p.id),
			practices
		),
		trend: chronological.map((c) => ({
			cycle: c.name,
			org: org.find((o) => o.cycleId === c.id)?.mean ?? null,
			phases: model.phases.map((ph) => phaseMean(c.id, ph.id))
		})),
		coverage: coverage.map((c) => ({ ...c, share: n ? c.teams / n : 0 })),
		toolCoverage:
			coverage.length && n ? coverage.reduce((s, c) => s + c.teams / n, 0) / coverage.length : 0,
		responsibility,
		people: {
			nobodyTeams: people.nobody_teams,
			championTeams: people.champion_teams,
			championCoverage: n ? people.certified_teams / n : 0,
			trainingCompletion: people.champions ? people.certified_champions / people.champions : 0
		},
		act: whereToAct(practiceFigures),
		dropped: droppedTeams(teams as TeamRow[]),
		overdue:
			cycle.status === 'open' && cycle.dueOn < new Date().toISOString().slice(0, 10)
				? teams.filter((t) => t.status === 'draft' || t.status === 'returned' || t.status === null)
				: [],
		teams,
		practices
	};
}

export type Dashboard = Awaited<ReturnType<typeof loadDashboard>>;

/** What the roll-ups group teams by: their org unit, or the department above it. */
export type RollUp = 'unit' | 'department';

/** A team's group in a roll-up: id (null: no org unit) and name. */
export function groupOf(
	t: {
		unitId: string | null;
		unit: string | null;
		departmentId: string | null;
		departmentName: string | null;
	},
	by: RollUp
) {
	return by === 'department'
		? { id: t.departmentId, name: t.departmentName ?? 'No org unit' }
		: { id: t.unitId, name: t.unit ?? 'No org unit' };
}

/**
 * Per org unit (or per department): team count, score spread and phase means (for the
 * side-by-side comparison).
 */
export function compareUnits(dashboard: Dashboard, model: Model, by: RollUp = 'unit') {
	const byUnit = new Map<string, Dashboard['teams']>();
	for (const t of dashboard.teams) {
		const key = groupOf(t, by).name;
		byUnit.set(key, [...(byUnit.get(key) ?? []), t]);
	}
	const phaseOf = new Map(model.practices.map((p) => [p.id, p.phase]));
	return [...byUnit]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([unit, teams]) => {
			const ids = new Set(teams.map((t) => t.teamId));
			const rows = dashboard.practices.filter((p) => ids.has(p.teamId) && !p.notApplicable);
			return {
				unit,
				department: by === 'unit' ? (teams[0]?.department ?? null) : null,
				org: orgScore(teams),
				phases: model.phases.map((ph) => {
					const xs = rows.filter((r) => phaseOf.get(r.practiceId) === ph.id).map((r) => r.score);
					return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
				})
			};
		});
}
