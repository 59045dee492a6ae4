import { sql, type SQL } from 'drizzle-orm';
import { checkClaim } from '$lib/evidence/claim';
import type { Database } from '$lib/server/db';
import { rowsOf } from '$lib/server/db/rows';
import { keptForTeam } from '$lib/server/teams/team-cache';
import { criteriaWithRules } from '$lib/server/model/evidence-rules';
import type { EvidenceRule, Model } from '$lib/server/model/types';
import { pipelineFacts, type PipelineFacts, type TeamRuns } from './facts';
import { currentTeamRuns, readTeamRuns, repositoriesByTeam, runsByTeam } from './runs';

/*
 * Answers against the pipelines: the contradictions in one assessment (the reviewer's list) and,
 * per team, how many of its scannable claims the pipelines back (the dashboard's share). A
 * scannable claim is a "most" or "all" answer to a criterion with an evidence rule, in a practice
 * the team has not marked not applicable.
 */

/** [criterionId, value] of the answers that claim most or all on a criterion with a rule. */
type ClaimRow = [string, number];

/** The claims of an assessment (`assessment` names its id: a parameter or an outer column). */
function claimsJson(assessment: SQL, criterionIds: readonly string[]): SQL {
	const ids = sql.join(
		criterionIds.map((id) => sql`${id}`),
		sql`, `
	);
	return sql`(select json_agg(json_build_array(an.criterion_id, an.value) order by an.criterion_id)
		from answer an
		where an.assessment_id = ${assessment} and an.criterion_id in (${ids}) and an.value in (0.5, 1)
			and not exists (select 1 from assessment_practice ap where ap.assessment_id = an.assessment_id
				and ap.practice_id = split_part(an.criterion_id, '.', 1) and ap.not_applicable))`;
}

/** An assessment's claims: its "most" and "all" answers to criteria with an evidence rule. */
export function claimsQuery(assessmentId: string, criterionIds: readonly string[]): SQL {
	return sql`select ${claimsJson(sql`${assessmentId}::uuid`, criterionIds)} as claims`;
}

/** One contradicted answer, with the facts that contradict it. */
export interface Contradiction {
	criterionId: string;
	value: number;
	facts: PipelineFacts;
}

/** The pure part: each claim's check against the team's runs. */
export function checkClaims(
	claims: readonly ClaimRow[],
	rules: ReadonlyMap<string, EvidenceRule>,
	runs: TeamRuns | null,
	now: Date
) {
	return claims.flatMap(([criterionId, value]) => {
		const rule = rules.get(criterionId);
		if (!rule) return [];
		const facts = pipelineFacts(rule, runs, now);
		return [{ criterionId, value, facts, check: checkClaim(value, facts) }];
	});
}

const rulesOf = (model: Model) =>
	new Map(criteriaWithRules(model).map((c) => [c.id, c.evidence] as const));

/** The contradicted answers of one assessment, in model order; one statement (and the team's runs, cached). */
export async function assessmentContradictions(
	db: Database,
	model: Model,
	access: { assessmentId: string; teamId: string },
	now = new Date()
): Promise<Contradiction[]> {
	const rules = rulesOf(model);
	if (!rules.size) return [];
	// The claims are kept with the team's data on the embedded database (teams/team-cache.ts);
	// the runs they are checked against are kept per data revision (currentTeamRuns).
	const claims = await keptForTeam(db, `claims:${access.assessmentId}`, access.teamId, async () => {
		const [row] = rowsOf<{ claims: ClaimRow[] | null }>(
			await db.execute(claimsQuery(access.assessmentId, [...rules.keys()]))
		);
		return { value: row?.claims ?? [], assessments: [access.assessmentId] };
	});
	if (!claims.length) return [];
	const order = [...rules.keys()];
	return checkClaims(claims, rules, await currentTeamRuns(db, access.teamId), now)
		.filter((c) => c.check === 'contradicted')
		.sort((a, b) => order.indexOf(a.criterionId) - order.indexOf(b.criterionId))
		.map(({ criterionId, value, facts }) => ({ criterionId, value, facts: facts! }));
}

/** A team's scannable claims: how many, backed and contradicted (the rest have no facts). */
export interface ClaimTally {
	claims: number;
	backed: number;
	contradicted: number;
}

/**
 * For each team `teams` selects (a subquery of team ids), its claims in the cycle and how the
 * pipelines stand to them; one statement. Teams without claims are left out.
 */
export async function claimTallies(
	db: Database,
	model: Model,
	teams: SQL,
	cycleId: string,
	now = new Date()
): Promise<Map<string, ClaimTally>> {
	const rules = rulesOf(model);
	const tallies = new Map<string, ClaimTally>();
	if (!rules.size) return tallies;
	// Set-based: each team's repositories and runs are read once for all teams with claims.
	const rows = rowsOf<{ teamId: string; claims: ClaimRow[]; runs: unknown }>(
		await db.execute(sql`with claims as (
				select a.team_id, ${claimsJson(sql`a.id`, [...rules.keys()])} as claims
				from assessment a
				where a.cycle_id = ${cycleId}::uuid and a.team_id in (${teams})),
			claiming as (select team_id from claims where claims is not null)
			select c.team_id as "teamId", c.claims,
				json_build_object('repositories', x.repositories, 'runs', y.runs) as runs
			from claims c
			left join (${repositoriesByTeam(sql`select team_id from claiming`)}) x on x.team_id = c.team_id
			left join (${runsByTeam(sql`select team_id from claiming`)}) y on y.team_id = c.team_id
			where c.claims is not null`)
	);
	for (const row of rows) {
		if (!row.claims?.length) continue;
		const checked = checkClaims(row.claims, rules, readTeamRuns(row.runs), now);
		tallies.set(row.teamId, {
			claims: checked.length,
			backed: checked.filter((c) => c.check === 'backed').length,
			contradicted: checked.filter((c) => c.check === 'contradicted').length
		});
	}
	return tallies;
}
