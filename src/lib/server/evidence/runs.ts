import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
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

/**
 * The runs and repositories of the team `teamId` (a parameter, or an outer query's column) as
 * one JSON value, null when its pipelines never uploaded: a column for a statement of its own or
 * of someone else's (the phase form reads it with its answers).
 */
export function teamRunsJson(teamId: SQL): SQL {
	return sql`(select case when exists (select 1 from code_repository where team_id = ${teamId})
		then json_build_object(
		'repositories', (select json_agg(r.name order by r.name) from code_repository r where r.team_id = ${teamId}),
		'runs', (select json_agg(json_build_array(r.name, t.id, t.name, t.category_id,
				d.uploaded_at, d.ref, o.uploaded_at, o.ref))
			from analysis a
			join code_repository r on r.id = a.repository_id
			join tool t on t.id = coalesce(
				(select m.tool_id from tool_scanner_name m where m.name = lower(btrim(a.tool_name))),
				(select n.id from tool n where lower(n.name) = lower(btrim(a.tool_name)) order by n.id limit 1))
			left join lateral (select s.uploaded_at, s.ref from scan s
				where s.analysis_id = a.id and s.on_default_branch
				order by s.uploaded_at desc limit 1) d on true
			left join lateral (select s.uploaded_at, s.ref from scan s
				where s.analysis_id = a.id and not s.on_default_branch
				order by s.uploaded_at desc limit 1) o on true
			where a.team_id = ${teamId}))
		end)`;
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
