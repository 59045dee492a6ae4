import type { QuestionStatus } from '$lib/server/db/schema';
import type { AssessmentState } from './workflow';

/** What can happen to a reviewer's question: asked, followed up, answered by the team, withdrawn. */
export type QuestionStep = 'ask' | 'followUp' | 'reply' | 'withdraw';

/** Why a step cannot be taken in this state. */
export type QuestionStateRefusal =
	'cycleClosed' | 'notSubmitted' | 'notUnderReview' | 'withdrawn' | 'notOpen';

/** The status a question has after each step. */
export const questionStatusAfter: Record<QuestionStep, QuestionStatus> = {
	ask: 'open',
	followUp: 'open',
	reply: 'answered',
	withdraw: 'withdrawn'
};

/**
 * The one rule for questions: the reviewer asks (or follows up, which opens the question again)
 * while the assessment is submitted; the team answers, and the reviewer withdraws, while it is
 * submitted or returned; a withdrawn question is closed for good, and only an open one can be
 * withdrawn. A closed cycle takes nothing. `question` is null for a new question.
 */
export function questionStepRefusal(
	state: AssessmentState,
	question: QuestionStatus | null,
	step: QuestionStep
): QuestionStateRefusal | null {
	if (state.cycleStatus !== 'open') return 'cycleClosed';
	if (step === 'ask' || step === 'followUp') {
		if (state.status !== 'submitted') return 'notSubmitted';
	} else if (state.status !== 'submitted' && state.status !== 'returned') return 'notUnderReview';
	if (question === 'withdrawn') return 'withdrawn';
	if (step === 'withdraw' && question !== 'open') return 'notOpen';
	return null;
}
