import type { AssessmentStatus } from '$lib/server/db/schema';

/** What decides whether an assessment can change: its own status and its cycle's. */
export interface AssessmentState {
	status: AssessmentStatus;
	cycleStatus: 'open' | 'closed';
}

/** Why an assessment cannot be changed by its team right now, or null when it can. */
export type EditLock = 'cycleClosed' | 'underReview' | null;

/**
 * The one rule for a team's answers: a draft or returned assessment in an open cycle can be
 * changed (and submitted); anything else is locked. Pages, actions and the save path all ask here.
 */
export function editLock(state: AssessmentState): EditLock {
	if (state.cycleStatus !== 'open') return 'cycleClosed';
	return state.status === 'draft' || state.status === 'returned' ? null : 'underReview';
}

/** Whether the team can still change (and submit) the assessment. */
export function isEditable(state: AssessmentState): boolean {
	return editLock(state) === null;
}

export const transitions = {
	submit: { to: 'submitted' },
	approve: { to: 'approved' },
	return: { to: 'returned' }
} as const satisfies Record<string, { to: AssessmentStatus }>;
export type Transition = keyof typeof transitions;

/**
 * Whether a workflow step applies to an assessment in this state: submitting needs an editable
 * assessment, a review a submitted one in an open cycle.
 */
export function stepAllowed(state: AssessmentState, step: Transition): boolean {
	if (step === 'submit') return isEditable(state);
	return state.cycleStatus === 'open' && state.status === 'submitted';
}
