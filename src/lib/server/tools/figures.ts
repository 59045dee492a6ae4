/**
 * Pure adoption figures for the tools view: share of teams per adoption state, category
 * coverage, tool sprawl, and practices a team scored without any tool in use.
 */
import type { AdoptionState } from '$lib/server/db/schema';

export const IN_USE: readonly AdoptionState[] = ['adopted', 'enforced'];
export const DEFAULT_SPRAWL_LIMIT = 3;

export interface AdoptionRow {
	teamId: string;
	toolId: string;
	state: AdoptionState;
}

export type StateCounts = Record<AdoptionState, number>;

/** Per tool: how many teams are at each state; teams without a record count as not using it. */
export function adoptionByTool(
	toolIds: readonly string[],
	rows: readonly AdoptionRow[],
	teamCount: number
) {
	const counts = new Map<string, StateCounts>(
		toolIds.map((id) => [id, { not_used: teamCount, evaluating: 0, adopted: 0, enforced: 0 }])
	);
	for (const r of rows) {
		const c = counts.get(r.toolId);
		if (!c || r.state === 'not_used') continue;
		c[r.state]++;
		c.not_used--;
	}
	return counts;
}

/** A count as a share of all teams, 0–1 (0 when there are no teams). */
export function share(count: number, teamCount: number): number {
	return teamCount ? count / teamCount : 0;
}

/**
 * Per category: the share of teams with at least one tool of it adopted or enforced, and the
 * number of distinct tools in use for it (sprawl), flagged above the limit.
 */
export function categoryFigures(
	categories: readonly { id: string }[],
	toolCategory: ReadonlyMap<string, string>,
	rows: readonly AdoptionRow[],
	teamCount: number,
	sprawlLimit = DEFAULT_SPRAWL_LIMIT
) {
	return categories.map((c) => {
		const inUse = rows.filter(
			(r) => IN_USE.includes(r.state) && toolCategory.get(r.toolId) === c.id
		);
		const teams = new Set(inUse.map((r) => r.teamId)).size;
		const tools = new Set(inUse.map((r) => r.toolId)).size;
		return {
			id: c.id,
			teams,
			coverage: share(teams, teamCount),
			tools,
			sprawl: tools > sprawlLimit
		};
	});
}

/**
 * Teams that scored a practice (score above 0) but use no tool of any category that supports
 * it; practices no category supports are left out.
 */
export function practicesWithoutTools(
	scored: readonly { teamId: string; practiceId: string }[],
	categoriesByPractice: ReadonlyMap<string, readonly string[]>,
	toolCategory: ReadonlyMap<string, string>,
	rows: readonly AdoptionRow[]
) {
	const inUse = new Set(
		rows
			.filter((r) => IN_USE.includes(r.state))
			.map((r) => `${r.teamId}|${toolCategory.get(r.toolId)}`)
	);
	return scored.filter((s) => {
		const categories = categoriesByPractice.get(s.practiceId) ?? [];
		return categories.length > 0 && !categories.some((c) => inUse.has(`${s.teamId}|${c}`));
	});
}
