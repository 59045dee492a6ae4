import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import { cachedForRevision, dataRevision } from '$lib/server/db/revision';
import { rowsOf } from '$lib/server/db/rows';
import type { RepositoryRun, ScanMoment, TeamRuns } from './facts';

/*
 * The team's newest scans, as the evidence checks read them: per analysis (repository × scanner ×
 * GitHub category) the catalogue tool its scanner name maps to (tool_scanner_name, else a tool of
 * that name, as findings/tool-mapping.ts does), and its newest scan on the default branch and on
 * any other ref. Each newest scan is one backward step on scan_analysis_idx, so the cost follows
 * the team's analyses, not its scans. Scanners no catalogue tool claims count for no category.
 */

/** [repository, toolId, tool, category, defaultAt, defaultRef, otherAt, otherRef] */
type RunRow = [
	string,
	string,
	string,
	string,
	string | null,
	string | null,
	string | null,
	string | null
];

/*
 * Aliases start with ev_ so that an outer query's column is never captured. `teams` is what
 * `team_id in (…)` compares with: a parameter, an outer column or a subquery of ids.
 */

/** Per team: its repositories' names as a JSON array. */
export function repositoriesByTeam(teams: SQL): SQL {
	return sql`select ev_r.team_id, json_agg(ev_r.name order by ev_r.name) as repositories
		from code_repository ev_r where ev_r.team_id in (${teams}) group by ev_r.team_id`;
}

/** Per team: each analysis's catalogue tool and newest scans, as a JSON array of RunRow. */
export function runsByTeam(teams: SQL): SQL {
	return sql`select ev_a.team_id, json_agg(json_build_array(ev_r.name, ev_t.id, ev_t.name,
			ev_t.category_id, ev_d.uploaded_at, ev_d.ref, ev_o.uploaded_at, ev_o.ref)) as runs
		from analysis ev_a
		join code_repository ev_r on ev_r.id = ev_a.repository_id
		left join tool_scanner_name ev_m on ev_m.name = lower(btrim(ev_a.tool_name))
		left join (select lower(name) as key, min(id) as id from tool group by lower(name)) ev_n
			on ev_n.key = lower(btrim(ev_a.tool_name))
		join tool ev_t on ev_t.id = coalesce(ev_m.tool_id, ev_n.id)
		left join lateral (select ev_s.uploaded_at, ev_s.ref from scan ev_s
			where ev_s.analysis_id = ev_a.id and ev_s.on_default_branch
			order by ev_s.uploaded_at desc limit 1) ev_d on true
		left join lateral (select ev_s.uploaded_at, ev_s.ref from scan ev_s
			where ev_s.analysis_id = ev_a.id and not ev_s.on_default_branch
			order by ev_s.uploaded_at desc limit 1) ev_o on true
		where ev_a.team_id in (${teams})
		group by ev_a.team_id`;
}

/**
 * The runs and repositories of one team (a parameter, or an outer query's column) as one JSON
 * value, null when its pipelines never uploaded: a column for a statement of its own or of
 * someone else's (the tools page reads it with its adoption).
 */
export function teamRunsJson(teamId: SQL): SQL {
	return sql`(select json_build_object('repositories', ev_x.repositories, 'runs', ev_y.runs)
		from (${repositoriesByTeam(teamId)}) ev_x left join (${runsByTeam(teamId)}) ev_y on true)`;
}

const moment = (at: string | null, ref: string | null): ScanMoment | null =>
	at === null ? null : { at: new Date(at), ref: ref ?? '' };

/** The JSON of teamRunsJson as TeamRuns; null for a team whose pipelines never uploaded. */
export function readTeamRuns(json: unknown): TeamRuns | null {
	if (!json) return null;
	const value = (typeof json === 'string' ? JSON.parse(json) : json) as {
		repositories: string[] | null;
		runs: RunRow[] | null;
	};
	if (!value.repositories?.length) return null;
	return {
		repositories: value.repositories,
		runs: (value.runs ?? []).map(
			([repository, toolId, tool, category, dAt, dRef, oAt, oRef]): RepositoryRun => ({
				repository,
				toolId,
				tool,
				categories: [category],
				onDefault: moment(dAt, dRef),
				onOther: moment(oAt, oRef)
			})
		)
	};
}

/** One team's runs, in one statement. */
export async function teamRuns(db: Database, teamId: string): Promise<TeamRuns | null> {
	const [row] = rowsOf<{ runs: unknown }>(
		await db.execute(sql`select ${teamRunsJson(sql`${teamId}::uuid`)} as runs`)
	);
	return readTeamRuns(row?.runs);
}

/**
 * One team's runs at the data's revision (scans, analyses, repositories, tools and scanner names
 * all move it): the phase form and the reviewer's contradictions show them on every view, and
 * reading them is about half of the phase form's statement on the embedded database.
 */
export async function currentTeamRuns(db: Database, teamId: string): Promise<TeamRuns | null> {
	return cachedForRevision(
		db,
		`evidence.runs:${teamId}`,
		await dataRevision(db),
		() => teamRuns(db, teamId),
		'team'
	);
}
