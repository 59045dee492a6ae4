import { describe, expect, it } from 'vitest';
import { assessmentStatuses } from '$lib/server/db/schema';
import { editLock, isEditable, stepAllowed } from './workflow';

describe('the assessment workflow rule', () => {
	for (const cycleStatus of ['open', 'closed'] as const) {
		for (const status of assessmentStatuses) {
			const editable = cycleStatus === 'open' && (status === 'draft' || status === 'returned');
			it(`a ${status} assessment in a ${cycleStatus} cycle is ${editable ? '' : 'not '}editable`, () => {
				expect(isEditable({ status, cycleStatus })).toBe(editable);
				expect(stepAllowed({ status, cycleStatus }, 'submit')).toBe(editable);
				expect(editLock({ status, cycleStatus })).toBe(
					editable ? null : cycleStatus === 'closed' ? 'cycleClosed' : 'underReview'
				);
				const reviewable = cycleStatus === 'open' && status === 'submitted';
				expect(stepAllowed({ status, cycleStatus }, 'approve')).toBe(reviewable);
				expect(stepAllowed({ status, cycleStatus }, 'return')).toBe(reviewable);
			});
		}
	}
});
