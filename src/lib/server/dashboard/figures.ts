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

/**
 * Per phase, the share of assessed teams whose applicable practices in that phase are all at
 * achieved level 2 or more (a phase where every practice is not applicable is left out).
 */
export function phaseLevelShares(
	phases: readonly string[],
	practicePhase: ReadonlyMap<string, string>,
	rows: readonly {
		teamId: string;
		practiceId: string;
		achievedLevel: number;
		notApplicable: boolean;
	}[]
) {
	const byTeamPhase = new Map<string, { ok: boolean }>();
	for (const r of rows) {
		if (r.notApplicable) continue;
		const key = `${r.teamId}|${practicePhase.get(r.practiceId)}`;
		const entry = byTeamPhase.get(key) ?? { ok: true };
		entry.ok &&= r.achievedLevel >= 2;
		byTeamPhase.set(key, entry);
	}
	return phases.map((phase) => {
		const entries = [...byTeamPhase].filter(([k]) => k.endsWith(`|${phase}`));
		return {
			phase,
			share: entries.length ? entries.filter(([, v]) => v.ok).length / entries.length : 0,
			teams: entries.length
		};
	});
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
