/**
 * Which stored scores change when answers change, without a database: the scores of the
 * practices whose answers changed, every phase score and the team score. The save paths read
 * what this needs, call it, and write its rows in the same transaction.
 */
import type { Model, Practice } from '$lib/server/model/types';
import { scorePhase, scorePractice, scoreTeam } from './scoring';

/** A practice score as stored (assessment_practice). */
export interface StoredPracticeScore {
	practiceId: string;
	score: number;
	notApplicable: boolean;
}

export interface PracticeScoreRow {
	practiceId: string;
	phase: string;
	score: number;
	achievedLevel: number;
	levelScores: number[];
}

export interface Rescored {
	practices: PracticeScoreRow[];
	phases: { phase: string; score: number | null }[];
	team: number | null;
}

/** Practice rows for `practices` from the answers given (criterion id → value). */
export function scorePractices(
	practices: readonly Practice[],
	answers: ReadonlyMap<string, number | null | undefined>
): PracticeScoreRow[] {
	return practices.map((p) => ({
		practiceId: p.id,
		phase: p.phase,
		...scorePractice(p.levels, answers)
	}));
}

/**
 * Every phase score and the team score from the stored practice scores. A practice with no
 * stored row yet counts as applicable with score 0.
 */
export function aggregateScores(
	model: Model,
	stored: readonly StoredPracticeScore[]
): Pick<Rescored, 'phases' | 'team'> {
	const byPractice = new Map(stored.map((s) => [s.practiceId, s]));
	const phases = model.phases.map((phase) => ({
		phase: phase.id,
		score: scorePhase(
			phase.practices.map((p) => byPractice.get(p.id) ?? { score: 0, notApplicable: false })
		)
	}));
	return { phases, team: scoreTeam(phases.map((p) => p.score)) };
}

/**
 * After the answers of `practices` changed: their new rows, and the phase and team scores with
 * those rows in place of what was stored (not-applicable flags are kept as stored).
 */
export function rescore(
	model: Model,
	practices: readonly Practice[],
	answers: ReadonlyMap<string, number | null | undefined>,
	stored: readonly StoredPracticeScore[]
): Rescored {
	const rows = scorePractices(practices, answers);
	const fresh = new Map(rows.map((r) => [r.practiceId, r.score]));
	const merged = new Map(stored.map((s) => [s.practiceId, s]));
	for (const [practiceId, score] of fresh) {
		merged.set(practiceId, {
			practiceId,
			score,
			notApplicable: merged.get(practiceId)?.notApplicable ?? false
		});
	}
	return { practices: rows, ...aggregateScores(model, [...merged.values()]) };
}
