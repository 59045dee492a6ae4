import { sql } from 'drizzle-orm';
import { branchOf } from '$lib/schemas/integrations';
import type { Database } from '$lib/server/db';
import type { AdoptionState } from '$lib/server/db/schema';
import { rowsOf } from '$lib/server/db/rows';
import { criteriaWithRules } from '$lib/server/model/evidence-rules';
import type { Model } from '$lib/server/model/types';
import {
	DAY_MS,
	adoptionCheck,
	lastRunByTool,
	toolEvidenceMaxAgeDays,
	type LastRun
} from './facts';
import { readTeamRuns, teamRunsJson } from './runs';

/** The tool categories a pipeline can show: those the model's evidence rules name. */
export function scannableCategories(model: Model): Set<string> {
	return new Set(criteriaWithRules(model).flatMap((c) => c.evidence.categories));
}

/** A tool's newest run as the page shows it: how many whole days ago, where and on which branch. */
export function shownRun(run: LastRun, now: Date) {
	return {
		daysAgo: Math.max(0, Math.floor((now.getTime() - run.at.getTime()) / DAY_MS)),
		repository: run.repository,
		/** The branch (`main` for `refs/heads/main`), or the ref as sent (`refs/pull/7/merge`). */
		ref: branchOf(run.ref) ?? run.ref
	};
}

/**
 * The team's tools against its pipelines, one statement: every catalogue tool that ran (its
 * newest run) and every tool recorded as enforced, each with its recorded state and the check
 * (`stale`: enforced without a run in the last `maxAgeDays` days; `unrecorded`: runs, but is
 * recorded as not used or not at all), by name; and the scanner names that map to no tool.
 */
export async function teamToolEvidence(
	db: Database,
	model: Model,
	teamId: string,
	now = new Date(),
	maxAgeDays = toolEvidenceMaxAgeDays()
) {
	const [row] = rowsOf<{
		runs: unknown;
		adoption: [string, string, string, AdoptionState][] | null;
		unmapped: string[] | null;
	}>(
		await db.execute(sql`select ${teamRunsJson(sql`${teamId}::uuid`)} as runs,
			(select json_agg(json_build_array(t.id, t.name, t.category_id, ta.state))
				from tool_adoption ta join tool t on t.id = ta.tool_id
				where ta.team_id = ${teamId}::uuid) as adoption,
			(select json_agg(distinct ev_u.tool_name order by ev_u.tool_name) from analysis ev_u
				where ev_u.team_id = ${teamId}::uuid
					and not exists (select 1 from tool_scanner_name ev_m
						where ev_m.name = lower(btrim(ev_u.tool_name)))
					and not exists (select 1 from tool ev_t
						where lower(ev_t.name) = lower(btrim(ev_u.tool_name)))) as unmapped`)
	);
	const runs = readTeamRuns(row?.runs)?.runs ?? [];
	const last = lastRunByTool(runs);
	const scannable = scannableCategories(model);
	const tools = new Map<string, { name: string; category: string; state: AdoptionState | null }>();
	for (const r of runs)
		tools.set(r.toolId, { name: r.tool, category: r.categories[0]!, state: null });
	for (const [id, name, category, state] of row?.adoption ?? [])
		if (tools.has(id) || state === 'enforced') tools.set(id, { name, category, state });
	return {
		maxAgeDays,
		/** Scanner names of the team's uploads that map to no tool (an admin maps them). */
		unmapped: row?.unmapped ?? [],
		tools: [...tools]
			.map(([toolId, t]) => {
				const run = last.get(toolId) ?? null;
				return {
					toolId,
					name: t.name,
					state: t.state,
					lastRun: run && shownRun(run, now),
					check: adoptionCheck(t.state, run, now, maxAgeDays, scannable.has(t.category))
				};
			})
			.sort((a, b) => a.name.localeCompare(b.name))
	};
}

export type TeamToolEvidence = Awaited<ReturnType<typeof teamToolEvidence>>;
