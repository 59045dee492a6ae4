import type { Model, PhaseId } from '$lib/server/model/types';

/*
 * What changed in an assessment since the team's last approved one: pure, so the reviewer's
 * workspace is a rendering of these results and the rules are tested without a database.
 */

export interface AnswerState {
	value: number | null;
	comment: string;
	evidence: string[];
}

export type AnswerChange = 'value' | 'comment' | 'evidence';

export interface PracticeState {
	notApplicable: boolean;
	reason: string;
	target: number | null;
	score: number;
	achievedLevel: number;
}

export type PracticeChange = 'notApplicable' | 'reason' | 'target';

/** An assessment's stored answers and practice rows, keyed by criterion and practice id. */
export interface AssessmentSnapshot {
	answers: ReadonlyMap<string, AnswerState & { updatedBy?: string | null }>;
	practices: ReadonlyMap<string, PracticeState>;
}

const unanswered: AnswerState = { value: null, comment: '', evidence: [] };
const untouched: PracticeState = {
	notApplicable: false,
	reason: '',
	target: null,
	score: 0,
	achievedLevel: 0
};

/** What differs between an answer then and now; a missing answer is an unanswered one. */
export function answerChanges(
	before: AnswerState | null | undefined,
	after: AnswerState | null | undefined
): AnswerChange[] {
	const a = before ?? unanswered;
	const b = after ?? unanswered;
	const changes: AnswerChange[] = [];
	if (a.value !== b.value) changes.push('value');
	if (a.comment.trim() !== b.comment.trim()) changes.push('comment');
	if (a.evidence.length !== b.evidence.length || a.evidence.some((l, i) => l !== b.evidence[i]))
		changes.push('evidence');
	return changes;
}

/** What differs in a practice's settings; the reason only counts while the practice is not applicable. */
export function practiceChanges(
	before: PracticeState | null | undefined,
	after: PracticeState | null | undefined
): PracticeChange[] {
	const a = before ?? untouched;
	const b = after ?? untouched;
	const changes: PracticeChange[] = [];
	if (a.notApplicable !== b.notApplicable) changes.push('notApplicable');
	else if (b.notApplicable && a.reason.trim() !== b.reason.trim()) changes.push('reason');
	if (a.target !== b.target) changes.push('target');
	return changes;
}

export interface PracticeMove {
	practiceId: string;
	name: string;
	before: number;
	after: number;
	delta: number;
}

/**
 * The practices whose score moved most (up or down), largest move first, ties in model order.
 * A practice not applicable then or now has no comparable score and is left out, as is one
 * that did not move.
 */
export function mostMovedPractices(
	model: Model,
	before: ReadonlyMap<string, PracticeState>,
	after: ReadonlyMap<string, PracticeState>,
	limit = 5
): PracticeMove[] {
	const moves: PracticeMove[] = [];
	for (const p of model.practices) {
		const a = before.get(p.id) ?? untouched;
		const b = after.get(p.id) ?? untouched;
		if (a.notApplicable || b.notApplicable) continue;
		// Stored scores carry four decimals: a smaller difference is rounding, not a move.
		const delta = Math.round((b.score - a.score) * 10000) / 10000;
		if (delta === 0) continue;
		moves.push({ practiceId: p.id, name: p.name, before: a.score, after: b.score, delta });
	}
	// Array.prototype.sort is stable, so equal moves keep model order.
	return moves.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta)).slice(0, limit);
}

export interface CriterionView {
	id: string;
	text: string;
	level: number;
	/** The answer in the last approved assessment; null when there is none to compare with. */
	before: AnswerState | null;
	now: AnswerState & { updatedBy: string | null };
	changes: AnswerChange[];
	/** Evidence links the last approved answer had and this one no longer has. */
	removedEvidence: string[];
}

export interface PracticeView {
	id: string;
	name: string;
	now: PracticeState;
	before: PracticeState | null;
	changes: PracticeChange[];
	criteria: CriterionView[];
}

export interface PhaseView {
	id: PhaseId;
	name: string;
	practices: PracticeView[];
}

export interface ReviewFilter {
	phase: PhaseId | null;
	changedOnly: boolean;
}

export interface ReviewView {
	phases: PhaseView[];
	/** Criteria whose answer changed, in the whole assessment (whatever the filter). */
	changedCriteria: number;
	totalCriteria: number;
	moved: PracticeMove[];
}

/**
 * The reviewer's workspace: every practice and criterion now and at the last approved
 * assessment, with what changed, filtered by phase and to changes only. Without a baseline
 * everything answered counts as changed (there is nothing approved to compare with).
 */
export function reviewView(
	model: Model,
	current: AssessmentSnapshot,
	baseline: AssessmentSnapshot | null,
	filter: ReviewFilter
): ReviewView {
	let changedCriteria = 0;
	let totalCriteria = 0;
	const phases: PhaseView[] = [];
	for (const phase of model.phases) {
		const shown = filter.phase === null || filter.phase === phase.id;
		const practices: PracticeView[] = [];
		for (const p of phase.practices) {
			const now = current.practices.get(p.id) ?? untouched;
			const before = baseline ? (baseline.practices.get(p.id) ?? untouched) : null;
			const changes = baseline ? practiceChanges(before, now) : [];
			const criteria: CriterionView[] = [];
			for (const level of p.levels) {
				for (const c of level.criteria) {
					const answer = current.answers.get(c.id);
					const then = baseline ? (baseline.answers.get(c.id) ?? unanswered) : null;
					const criterionChanges = answerChanges(then, answer);
					totalCriteria++;
					if (criterionChanges.length) changedCriteria++;
					if (!shown || (filter.changedOnly && !criterionChanges.length)) continue;
					const evidence = answer?.evidence ?? [];
					criteria.push({
						id: c.id,
						text: c.text,
						level: level.level,
						before: then,
						now: {
							value: answer?.value ?? null,
							comment: answer?.comment ?? '',
							evidence,
							updatedBy: answer?.updatedBy ?? null
						},
						changes: criterionChanges,
						removedEvidence: then ? then.evidence.filter((l) => !evidence.includes(l)) : []
					});
				}
			}
			if (!shown || (filter.changedOnly && !criteria.length && !changes.length)) continue;
			practices.push({ id: p.id, name: p.name, now, before, changes, criteria });
		}
		if (practices.length) phases.push({ id: phase.id, name: phase.name, practices });
	}
	const moved = baseline ? mostMovedPractices(model, baseline.practices, current.practices) : [];
	return { phases, changedCriteria, totalCriteria, moved };
}
