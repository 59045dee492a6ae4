import { describe, expect, it } from 'vitest';
import { parseForm } from './parse';
import { assignSchema, quizAnswersOf, quizAnswersSchema } from './training';

const quiz = {
	questions: [
		{ id: 'q1', kind: 'single' as const, options: [{ id: 'a' }, { id: 'b' }] },
		{ id: 'q2', kind: 'multiple' as const, options: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] }
	]
};

const form = (entries: [string, string][]) => {
	const f = new FormData();
	for (const [k, v] of entries) f.append(k, v);
	return f;
};

describe('quizAnswersSchema', () => {
	it('reads one radio choice and several checkbox choices', () => {
		const startedAt = new Date(Date.now() - 60_000).toISOString();
		const parsed = parseForm(
			quizAnswersSchema(quiz),
			form([
				['q1', 'b'],
				['q2', 'a'],
				['q2', 'c'],
				['startedAt', startedAt]
			])
		);
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(quizAnswersOf(parsed.data)).toEqual({
			answers: { q1: ['b'], q2: ['a', 'c'] },
			startedAt: new Date(startedAt)
		});
	});

	it('asks for an answer to every question, one for single choice, from the options shown', () => {
		const parsed = parseForm(
			quizAnswersSchema(quiz),
			form([
				['q1', 'a'],
				['q1', 'b']
			])
		);
		expect(parsed).toMatchObject({
			ok: false,
			errors: { q1: 'Choose only one answer.', q2: 'Choose an answer.' }
		});
		const unknown = parseForm(
			quizAnswersSchema(quiz),
			form([
				['q1', 'z'],
				['q2', 'a']
			])
		);
		expect(unknown).toMatchObject({ ok: false, errors: { q1: 'Choose from the options shown.' } });
	});

	it('drops a start time that is not from the last day', () => {
		for (const value of ['', 'yesterday', '2001-01-01T00:00:00Z', '2999-01-01T00:00:00Z']) {
			const parsed = parseForm(
				quizAnswersSchema(quiz),
				form([
					['q1', 'a'],
					['q2', 'a'],
					['startedAt', value]
				])
			);
			expect(parsed.ok && quizAnswersOf(parsed.data).startedAt).toBeNull();
		}
	});
});

describe('assignSchema', () => {
	const userId = '7b0f6d0e-8a55-4c55-9d8e-0a3d1f1b2c3d';

	it('accepts a member, a module and a due date from today on', () => {
		const dueOn = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
		expect(assignSchema.safeParse({ userId, moduleId: 'threat-modeling', dueOn }).success).toBe(
			true
		);
	});

	it('gives a message per field', () => {
		const parsed = parseForm(
			assignSchema,
			form([
				['userId', 'nobody'],
				['moduleId', ''],
				['dueOn', '2020-01-01']
			])
		);
		expect(parsed).toMatchObject({
			ok: false,
			errors: {
				userId: 'Choose a member of the team.',
				moduleId: 'Choose a module.',
				dueOn: 'The due date cannot be in the past.'
			}
		});
	});
});
