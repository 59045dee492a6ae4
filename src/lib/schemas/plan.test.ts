import { describe, expect, it } from 'vitest';
import { parseForm } from './parse';
import { createPlanItemSchema, editPlanItemSchema, planStatusSchema } from './plan';

const uuid = '6d6f3c1e-1111-4aaa-8bbb-123456789abc';
const form = (entries: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(entries)) f.append(k, v);
	return f;
};
const created = {
	practiceId: 'threat-modeling',
	criterionId: '',
	action: 'Run a threat modeling session',
	ownerId: uuid,
	dueOn: '2027-01-31'
};

describe('the plan forms', () => {
	it('read a new item: empty criterion and question are none, the source defaults to by hand', () => {
		const parsed = parseForm(createPlanItemSchema, form(created));
		expect(parsed).toEqual({
			ok: true,
			data: { ...created, criterionId: null, questionId: null, source: 'manual' }
		});
	});

	it('refuse empty, overlong and unsafe text with a message beside the field', () => {
		const problem = (action: string) => {
			const parsed = parseForm(createPlanItemSchema, form({ ...created, action }));
			return parsed.ok ? null : parsed.errors.action;
		};
		expect(problem('   ')).toBe('Say what will be done.');
		expect(problem('x'.repeat(501))).toBe('Use at most 500 characters.');
		expect(problem('x\u0000')).toMatch(/NUL character/);
		expect(problem('x\u001b[2J')).toMatch(/invisible control character/);
		// Several lines are fine: it is a textarea.
		expect(problem('First this,\nthen that')).toBeNull();
	});

	it('refuse an owner, date, source, question or status that is not one', () => {
		const errors = (schema: Parameters<typeof parseForm>[0], entries: Record<string, string>) => {
			const parsed = parseForm(schema, form(entries));
			return parsed.ok ? {} : parsed.errors;
		};
		expect(
			errors(createPlanItemSchema, {
				...created,
				ownerId: 'x',
				dueOn: '31/01/2027',
				source: 'hack',
				questionId: 'nope'
			})
		).toEqual({
			ownerId: 'Choose a member of the team.',
			dueOn: 'Enter a due date.',
			source: 'Unknown source.',
			questionId: 'Unknown question.'
		});
		expect(errors(editPlanItemSchema, { ...created, itemId: 'x', baseVersion: '0' })).toEqual({
			itemId: 'Unknown plan item.',
			baseVersion: expect.any(String)
		});
		expect(errors(planStatusSchema, { itemId: uuid, status: 'closed', baseVersion: '1' })).toEqual({
			status: 'Choose a status.'
		});
	});
});
