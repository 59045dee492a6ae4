/**
 * The scoring rules of PRODUCT.md, in one pure module (no database): level, practice, phase,
 * team and organisation scores, the achieved level and the spread. Pages and reports read
 * stored results of these functions; `rebuild-scores` recomputes them after a rule change.
 */

/** The four-step coverage scale: no, some teams/repos, most, all. */
export const coverageValues = [0, 0.25, 0.5, 1] as const;
export type Coverage = (typeof coverageValues)[number];

export const coverageLabels: Record<Coverage, string> = {
	0: 'No',
	0.25: 'Some',
	0.5: 'Most',
	1: 'All'
};

/** A level counts as reached when it scores at least this. */
export const ACHIEVED_THRESHOLD = 0.75;

export function isCoverage(v: unknown): v is Coverage {
	return typeof v === 'number' && (coverageValues as readonly number[]).includes(v);
}

export interface PracticeScore {
	/** Mean answer per level (0–1), in level order. */
	levelScores: number[];
	/** Sum of the level scores, 0.00–4.00. */
	score: number;
	/** Highest L such that every level 1..L scores at least 0.75 (0–4). */
	achievedLevel: number;
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/**
 * Scores one practice from its levels' criterion ids and the answers given. A criterion with
 * no answer counts as 0 (not answered is not done).
 */
export function scorePractice(
	levels: readonly { criteria: readonly { id: string }[] }[],
	answers: ReadonlyMap<string, number | null | undefined>
): PracticeScore {
	const levelScores = levels.map((level) => {
		if (!level.criteria.length) return 0;
		const sum = level.criteria.reduce((s, c) => s + (answers.get(c.id) ?? 0), 0);
		return round(sum / level.criteria.length);
	});
	let achievedLevel = 0;
	while (achievedLevel < levelScores.length && levelScores[achievedLevel]! >= ACHIEVED_THRESHOLD) {
		achievedLevel++;
	}
	return { levelScores, score: round(levelScores.reduce((a, b) => a + b, 0)), achievedLevel };
}

/** Mean of the applicable practices' scores; null when every practice is not applicable. */
export function scorePhase(
	practices: readonly { score: number; notApplicable: boolean }[]
): number | null {
	const applicable = practices.filter((p) => !p.notApplicable);
	return applicable.length ? round(mean(applicable.map((p) => p.score))) : null;
}

/** Mean of the phase scores that exist; null when no phase has an applicable practice. */
export function scoreTeam(phaseScores: readonly (number | null)[]): number | null {
	const present = phaseScores.filter((s): s is number => s !== null);
	return present.length ? round(mean(present)) : null;
}

export interface Spread {
	mean: number;
	median: number;
	min: number;
	max: number;
	teams: number;
}

/** Organisation and org-unit figures: the mean over teams, always with its spread. */
export function spread(teamScores: readonly (number | null)[]): Spread | null {
	const xs = teamScores.filter((s): s is number => s !== null).sort((a, b) => a - b);
	if (!xs.length) return null;
	const mid = Math.floor(xs.length / 2);
	const median = xs.length % 2 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
	return {
		mean: round(mean(xs)),
		median: round(median),
		min: xs[0]!,
		max: xs.at(-1)!,
		teams: xs.length
	};
}

function mean(xs: readonly number[]): number {
	return xs.reduce((a, b) => a + b, 0) / xs.length;
}
