/**
 * What the team's current answers say about its plan, without a database: whether an item is
 * met, and the team score it would reach if its open items were done (through the scoring module).
 */
import { aggregateScores, rescore } from '$lib/server/assessments/rescore';
import { scorePractice } from '$lib/server/assessments/scoring';
import type { Model, Practice } from '$lib/server/model/types';

/** A practice as stored on the team's current assessment. */
export interface CurrentPractice {
	practiceId: string;
	score: number;
	notApplicable: boolean;
	achievedLevel: number;
	target: number | null;
}

/**
 * The team's current assessment as far as the plan needs it: every stored practice row, and the
 * answers to the criteria of the practices the plan touches (other answers may be left out).
 */
export interface CurrentAnswers {
	practices: ReadonlyMap<string, CurrentPractice>;
	answers: ReadonlyMap<string, number | null>;
}

interface ItemTarget {
	practiceId: string;
	criterionId: string | null;
}

/**
 * Met: a criterion item's criterion is answered "all"; a practice item's practice has reached
 * the team's target level (no target set: not met). `facts` are the current answer to the
 * item's criterion and the current practice row; null without a current assessment.
 */
export function metBy(
	item: ItemTarget,
	facts: {
		answer: number | null | undefined;
		practice: Pick<CurrentPractice, 'achievedLevel' | 'target'> | null | undefined;
	} | null
): boolean {
	if (!facts) return false;
	if (item.criterionId) return facts.answer === 1;
	const practice = facts.practice;
	return !!practice && practice.target !== null && practice.achievedLevel >= practice.target;
}

/** Whether the current answers show an item as met (see metBy). */
export function isMet(item: ItemTarget, current: CurrentAnswers | null): boolean {
	return metBy(
		item,
		current && {
			answer: item.criterionId ? current.answers.get(item.criterionId) : undefined,
			practice: current.practices.get(item.practiceId)
		}
	);
}

export interface Projection {
	/** The team score from the current answers. */
	current: number | null;
	/** The team score with every open item done. */
	projected: number | null;
}

/**
 * The team score if the open items were done: each item's criterion counts as answered "all";
 * an item for a whole practice lifts the criteria of that practice's next level not yet reached
 * (once per practice, after its criterion items). Not-applicable practices stay out of the score.
 */
export function projectScore(
	model: Model,
	current: CurrentAnswers,
	openItems: readonly ItemTarget[]
): Projection {
	const stored = [...current.practices.values()];
	const now = aggregateScores(model, stored).team;
	const answers = new Map(current.answers);
	const touched = new Map<string, Practice>();
	const wholePractice = new Set<string>();
	for (const item of openItems) {
		const practice = model.practiceById.get(item.practiceId);
		if (!practice) continue;
		touched.set(practice.id, practice);
		if (!item.criterionId) wholePractice.add(practice.id);
		else if (model.criterionById.get(item.criterionId)?.practiceId === practice.id)
			answers.set(item.criterionId, 1);
	}
	for (const id of wholePractice) {
		const practice = touched.get(id)!;
		const next = practice.levels[scorePractice(practice.levels, answers).achievedLevel];
		for (const c of next?.criteria ?? []) answers.set(c.id, 1);
	}
	if (!touched.size) return { current: now, projected: now };
	return {
		current: now,
		projected: rescore(model, [...touched.values()], answers, stored).team
	};
}
