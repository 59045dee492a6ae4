import { getContext, setContext } from 'svelte';
import type { PhaseQuestions } from '$lib/server/assessments/question-views';

const KEY = Symbol('phase questions');

/** What a criterion needs to show its questions and take the team's answer. */
export interface QuestionsContext extends PhaseQuestions {
	/** The reply action (on the questions page) and this phase, for the way back. */
	action: string;
	phase: string;
}

/** Shares the page's questions with each criterion; a getter, so reloaded data shows. */
export function provideQuestions(get: () => QuestionsContext): void {
	setContext(KEY, get);
}

export function questionsContext(): (() => QuestionsContext) | undefined {
	return getContext<(() => QuestionsContext) | undefined>(KEY);
}

/** The form the answer boxes belong to: it sits outside the phase form, as forms cannot nest. */
export const REPLY_FORM_ID = 'question-reply';
