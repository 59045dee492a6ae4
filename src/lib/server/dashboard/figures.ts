/**
 * Pure dashboard figures from rows already aggregated or loaded by SQL: headline numbers,
 * per-phase shares, movers and where to act. No database here, so each rule is unit-tested.
 */
import type { AssessmentStatus } from '$lib/server/db/schema';
import { spread, type Spread } from '$lib/server/assessments/scoring';
export { signed } from '$lib/format';

export interface TeamRow {
	teamId: string;
	name: string;
	slug: string;
	unitId: string | null;
	unit: string | null;
	status: AssessmentStatus | null;
	/** Reviewed by a member of the team, because nobody outside it could (shown in the report). */
	selfReviewed?: boolean | null;
	score: number | null;
	previousScore: number | null;
}

/** Share of teams whose assessment was submitted (or approved), and share approved. */
export function progressShares(teams: readonly Pick<TeamRow, 'status'>[]) {
	const n = teams.length;
	const assessed = teams.filter((t) => t.status === 'submitted' || t.status === 'approved').length;
	const approved = teams.filter((t) => t.status === 'approved').length;
	return { teams: n, assessed: n ? assessed / n : 0, approved: n ? approved / n : 0 };
}

/** The organisation score with its spread, now and in the previous cycle. */
export function orgScore(teams: readonly Pick<TeamRow, 'score' | 'previousScore'>[]): {
	now: Spread | null;
	previous: Spread | null;
	change: number | null;
} {
	const now = spread(teams.map((t) => t.score));
	const previous = spread(teams.map((t) => t.previousScore));
	return { now, previous, change: now && previous ? round(now.mean - previous.mean) : null };
}

/** One team's stored result for one practice, as the level figures read it. */
interface PracticeLevel {
	teamId: string;
	practiceId: string;
	achievedLevel: number;
	notApplicable: boolean;
}

/**
 * Per phase, how many teams are at each achieved level, 0 to 4 (`teams[level]`). A team's level
 * in a phase is the lowest achieved level among its applicable practices there: the phase is
 * met at a level only when every practice in it is. A team whose practices in a phase are all
 * not applicable is left out of that phase.
 */
export function phaseLevelDistribution(
	phases: readonly string[],
	practicePhase: ReadonlyMap<string, string>,
	rows: readonly PracticeLevel[]
): { phase: string; teams: number[] }[] {
	const lowest = new Map<string, number>();
	for (const r of rows) {
		if (r.notApplicable) continue;
		const key = `${r.teamId}|${practicePhase.get(r.practiceId)}`;
		const level = Math.max(0, Math.min(4, r.achievedLevel));
		lowest.set(key, Math.min(lowest.get(key) ?? 4, level));
	}
	const counts = new Map(phases.map((p) => [p, [0, 0, 0, 0, 0]]));
	for (const [key, level] of lowest) {
		const phase = counts.get(key.slice(key.indexOf('|') + 1));
		if (phase) phase[level]! += 1;
	}
	return phases.map((phase) => ({ phase, teams: counts.get(phase)! }));
}

/**
 * Per phase, the share of assessed teams at achieved level 2 or more there (every applicable
 * practice of the phase at level 2 or more; see phaseLevelDistribution).
 */
export function phaseLevelShares(
	phases: readonly string[],
	practicePhase: ReadonlyMap<string, string>,
	rows: readonly PracticeLevel[]
) {
	return phaseLevelDistribution(phases, practicePhase, rows).map(({ phase, teams }) => {
		const n = teams.reduce((a, b) => a + b, 0);
		return { phase, share: n ? (teams[2]! + teams[3]! + teams[4]!) / n : 0, teams: n };
	});
}

/** How the teams stand against the levels they set as targets, for one practice or a group. */
export interface TargetGap {
	/** Applicable practice results with a target. */
	targets: number;
	/** Of those, achieved level at or above the target. */
	met: number;
	/** Levels missing, summed over the results below their target. */
	missing: number;
}

/**
 * Per practice, targets set, met and the levels still missing (target − achieved level where
 * the team is below it); results without a target or not applicable are left out.
 */
export function targetGaps(
	practiceIds: readonly string[],
	rows: readonly (PracticeLevel & { target: number | null })[]
): ({ practiceId: string } & TargetGap)[] {
	const gaps = new Map(practiceIds.map((id) => [id, { targets: 0, met: 0, missing: 0 }]));
	for (const r of rows) {
		const gap = gaps.get(r.practiceId);
		if (!gap || r.notApplicable || r.target === null) continue;
		gap.targets++;
		if (r.achievedLevel >= r.target) gap.met++;
		else gap.missing += r.target - r.achievedLevel;
	}
	return practiceIds.map((practiceId) => ({ practiceId, ...gaps.get(practiceId)! }));
}

/** Several practices' target gaps added up (a phase, the organisation). */
export function sumGaps(gaps: readonly TargetGap[]): TargetGap {
	return gaps.reduce(
		(a, g) => ({
			targets: a.targets + g.targets,
			met: a.met + g.met,
			missing: a.missing + g.missing
		}),
		{ targets: 0, met: 0, missing: 0 }
	);
}

/** Teams whose score fell since the previous cycle by more than `threshold`, biggest drop first. */
export function droppedTeams(teams: readonly TeamRow[], threshold = 0.1) {
	return teams
		.filter(
			(t) => t.score !== null && t.previousScore !== null && t.previousScore - t.score > threshold
		)
		.map((t) => ({ ...t, change: round(t.score! - t.previousScore!) }))
		.sort((a, b) => a.change - b.change);
}

/** Practices to act on: the lowest mean score first, and separately the widest spread (max − min). */
export function whereToAct(
	practices: readonly {
		practiceId: string;
		mean: number;
		min: number;
		max: number;
		teams: number;
	}[],
	count = 5
) {
	const lowest = [...practices].sort((a, b) => a.mean - b.mean).slice(0, count);
	const widest = [...practices].sort((a, b) => b.max - b.min - (a.max - a.min)).slice(0, count);
	return { lowest, widest };
}

function round(x: number) {
	return Math.round(x * 10000) / 10000;
}
