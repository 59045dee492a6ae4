import { describe, expect, it } from 'vitest';
import { markQuiz, quizForLearner, quizReview } from './quiz';
import type { Quiz } from './types';

const quiz: Quiz = {
	passMark: 0.8,
	questions: [
		{
			id: 'q1',
			kind: 'single',
			text: 'One?',
			options: [
				{ id: 'a', text: 'A' },
				{ id: 'b', text: 'B' }
			],
			correct: ['a'],
			explanation: 'Because a.'
		},
		{
			id: 'q2',
			kind: 'multiple',
			text: 'Two?',
			options: [
				{ id: 'a', text: 'A' },
				{ id: 'b', text: 'B' },
				{ id: 'c', text: 'C' }
			],
			correct: ['a', 'c'],
			explanation: 'Because a and c.'
		},
		...['q3', 'q4', 'q5'].map((id) => ({
			id,
			kind: 'single' as const,
			text: `${id}?`,
			options: [
				{ id: 'x', text: 'X' },
				{ id: 'y', text: 'Y' }
			],
			correct: ['y'],
			explanation: 'Y it is.'
		}))
	]
};

const allRight = { q1: ['a'], q2: ['c', 'a'], q3: ['y'], q4: ['y'], q5: ['y'] };

describe('markQuiz', () => {
	it('passes a fully correct attempt, whatever the order of chosen options', () => {
		expect(markQuiz(quiz, allRight)).toMatchObject({
			score: 1,
			passed: true,
			correctCount: 5,
			total: 5
		});
	});

	it('passes exactly at the pass mark (4 of 5 is 80 %)', () => {
		const mark = markQuiz(quiz, { ...allRight, q5: ['x'] });
		expect(mark.score).toBeCloseTo(0.8);
		expect(mark.passed).toBe(true);
	});

	it('fails below the pass mark', () => {
		const mark = markQuiz(quiz, { ...allRight, q4: ['x'], q5: ['x'] });
		expect(mark).toMatchObject({ correctCount: 3, passed: false });
	});

	it('gives no partial credit on multiple choice: missing or extra options are wrong', () => {
		expect(markQuiz(quiz, { ...allRight, q2: ['a'] }).questions[1]!.correct).toBe(false);
		expect(markQuiz(quiz, { ...allRight, q2: ['a', 'b', 'c'] }).questions[1]!.correct).toBe(false);
	});

	it('counts unanswered questions as wrong and ignores options the question does not offer', () => {
		const mark = markQuiz(quiz, { q1: ['a', 'zzz'], q2: ['a', 'c', 'a'], unknown: ['a'] });
		expect(mark.questions.map((q) => q.correct)).toEqual([true, true, false, false, false]);
		expect(mark.questions[0]!.chosen).toEqual(['a']);
		expect(mark.questions[1]!.chosen).toEqual(['a', 'c']);
		expect(mark.correctCount).toBe(2);
	});

	it('honours a lower pass mark', () => {
		expect(markQuiz({ ...quiz, passMark: 0.4 }, { q1: ['a'], q2: ['a', 'c'] }).passed).toBe(true);
	});
});

describe('what the learner is sent', () => {
	it('before an attempt: questions and options only', () => {
		const sent = JSON.stringify(quizForLearner(quiz));
		expect(sent).not.toContain('correct');
		expect(sent).not.toContain('explanation');
		expect(sent).not.toContain('Because');
		expect(quizForLearner(quiz).questions[1]).toEqual({
			id: 'q2',
			kind: 'multiple',
			text: 'Two?',
			options: quiz.questions[1]!.options
		});
	});

	it('after an attempt: the chosen and correct options and the explanation', () => {
		const review = quizReview(quiz, { q1: ['b'] });
		expect(review).toMatchObject({ correctCount: 0, total: 5, passed: false, passMark: 0.8 });
		expect(review.questions[0]).toEqual({
			id: 'q1',
			kind: 'single',
			text: 'One?',
			correct: false,
			explanation: 'Because a.',
			options: [
				{ id: 'a', text: 'A', chosen: false, correct: true },
				{ id: 'b', text: 'B', chosen: true, correct: false }
			]
		});
	});
});
