import { describe, expect, it } from 'vitest';
import { assessmentStatuses, questionStatuses } from '$lib/server/db/schema';
import { questionStepRefusal } from './question-workflow';

describe('the question rule', () => {
	it('takes nothing in a closed cycle', () => {
		for (const status of assessmentStatuses)
			for (const step of ['ask', 'followUp', 'reply', 'withdraw'] as const)
				expect(questionStepRefusal({ status, cycleStatus: 'closed' }, 'open', step)).toBe(
					'cycleClosed'
				);
	});

	it('lets the reviewer ask and follow up only while the assessment is submitted', () => {
		for (const status of assessmentStatuses) {
			const state = { status, cycleStatus: 'open' as const };
			const expected = status === 'submitted' ? null : 'notSubmitted';
			expect(questionStepRefusal(state, null, 'ask')).toBe(expected);
			expect(questionStepRefusal(state, 'answered', 'followUp')).toBe(expected);
			expect(questionStepRefusal(state, 'open', 'followUp')).toBe(expected);
		}
	});

	it('lets the team answer, and the reviewer withdraw, while submitted or returned', () => {
		for (const status of assessmentStatuses) {
			const state = { status, cycleStatus: 'open' as const };
			const expected = status === 'submitted' || status === 'returned' ? null : 'notUnderReview';
			expect(questionStepRefusal(state, 'open', 'reply')).toBe(expected);
			expect(questionStepRefusal(state, 'answered', 'reply')).toBe(expected);
			expect(questionStepRefusal(state, 'open', 'withdraw')).toBe(expected);
		}
	});

	it('closes a withdrawn question for good, and withdraws only an open one', () => {
		const state = { status: 'submitted' as const, cycleStatus: 'open' as const };
		for (const step of ['followUp', 'reply', 'withdraw'] as const)
			expect(questionStepRefusal(state, 'withdrawn', step)).toBe('withdrawn');
		for (const status of questionStatuses)
			expect(questionStepRefusal(state, status, 'withdraw')).toBe(
				status === 'open' ? null : status === 'withdrawn' ? 'withdrawn' : 'notOpen'
			);
	});
});
