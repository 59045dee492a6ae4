import type { Database } from '$lib/server/db';
import type { StoredPracticeScore } from './rescore';

/** An answer as a save compares and audits it. */
export interface StoredAnswer {
	value: number | null;
	comment: string;
	evidence: string[];
	version: number;
}

/**
 * An assessment as this process's last save of it left it: every answer, every stored practice
 * score, and the assessment row's xmin after that save (`token`). It was editable then.
 */
export interface AnswerState {
	token: string;
	answers: ReadonlyMap<string, StoredAnswer>;
	practices: readonly StoredPracticeScore[];
}

/**
 * The answer states of the embedded database's assessments saved lately, so that the next save
 * of the same assessment (someone going through a phase, ~44 criteria one after another) needs
 * no read before its write. Nothing keeps them in step with the database, and nothing has to:
 * a save from a kept state writes only if the assessment row's xmin is still `token` and the
 * cycle is open (answer-write.ts), and every change to an assessment's answers, scores or status
 * moves that xmin. A save whose write did not happen, or that the kept state would refuse (a
 * conflict, nothing changed), reads the assessment as before.
 *
 * Only for the embedded database (keepAnswerStates is called when it opens): on PostgreSQL
 * other instances save the same assessments, and a state kept here would mostly be stale.
 */
const states = new WeakMap<Database, Map<string, { state: AnswerState; keptAt: number }>>();

/** At most this many assessments (an entry is ~20 KB), each for at most this long. */
const LIMIT = 500;
const MAX_AGE_MS = 15 * 60_000;

/** Keeps answer states for `db` from now on. */
export function keepAnswerStates(db: Database): void {
	if (!states.has(db)) states.set(db, new Map());
}

/** Whether states are kept for `db` (then a save reads all of an assessment's answers). */
export function answerStatesKept(db: Database): boolean {
	return states.has(db);
}

export function keptAnswerState(
	db: Database,
	assessmentId: string,
	now = Date.now()
): AnswerState | undefined {
	const kept = states.get(db)?.get(assessmentId);
	return kept && now - kept.keptAt < MAX_AGE_MS ? kept.state : undefined;
}

export function keepAnswerState(
	db: Database,
	assessmentId: string,
	state: AnswerState,
	now = Date.now()
): void {
	const kept = states.get(db);
	if (!kept) return;
	kept.delete(assessmentId);
	if (kept.size >= LIMIT) kept.delete(kept.keys().next().value!);
	kept.set(assessmentId, { state, keptAt: now });
}

export function forgetAnswerState(db: Database, assessmentId: string): void {
	states.get(db)?.delete(assessmentId);
}

/** The state after one answer was saved, from the state it was saved from (which is not changed). */
export function afterSave(
	state: Omit<AnswerState, 'token'>,
	token: string,
	criterionId: string,
	answer: StoredAnswer,
	rescored: readonly { practiceId: string; score: number }[]
): AnswerState {
	const answers = new Map(state.answers);
	answers.set(criterionId, answer);
	const scores = new Map(rescored.map((p) => [p.practiceId, p.score]));
	const practices = state.practices.map((p) =>
		scores.has(p.practiceId) ? { ...p, score: scores.get(p.practiceId)! } : p
	);
	// A practice's first answer makes its row (applicable).
	for (const p of rescored)
		if (!state.practices.some((s) => s.practiceId === p.practiceId))
			practices.push({ practiceId: p.practiceId, score: p.score, notApplicable: false });
	return { token, answers, practices };
}
