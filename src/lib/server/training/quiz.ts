import type { Quiz } from './types';

/** A learner's answers: for each question id, the option ids they chose. */
export type QuizAnswers = Record<string, string[]>;

export interface MarkedQuestion {
	id: string;
	correct: boolean;
	chosen: string[];
}

export interface QuizMark {
	/** Share of questions answered correctly, 0–1. */
	score: number;
	passed: boolean;
	correctCount: number;
	total: number;
	questions: MarkedQuestion[];
}

/**
 * Marks answers against a quiz: a question counts only when exactly its correct options were
 * chosen (no partial credit), and the quiz is passed at or above its pass mark.
 */
export function markQuiz(quiz: Quiz, answers: QuizAnswers): QuizMark {
	const questions = quiz.questions.map((q) => {
		const chosen = [...new Set(answers[q.id] ?? [])].filter((id) =>
			q.options.some((o) => o.id === id)
		);
		const correct =
			chosen.length === q.correct.length && q.correct.every((id) => chosen.includes(id));
		return { id: q.id, correct, chosen };
	});
	const correctCount = questions.filter((q) => q.correct).length;
	const total = quiz.questions.length;
	const score = total ? correctCount / total : 0;
	// A tolerance, so that 4 of 5 passes a pass mark of 0.8 whatever the floating point says.
	return { score, passed: score + 1e-9 >= quiz.passMark, correctCount, total, questions };
}

/** The quiz as the learner sees it before an attempt: no correct options, no explanations. */
export function quizForLearner(quiz: Quiz) {
	return {
		passMark: quiz.passMark,
		questions: quiz.questions.map((q) => ({
			id: q.id,
			kind: q.kind,
			text: q.text,
			options: q.options.map((o) => ({ id: o.id, text: o.text }))
		}))
	};
}

/** An attempt with the correct options and explanations, for after it was submitted. */
export function quizReview(quiz: Quiz, answers: QuizAnswers) {
	const mark = markQuiz(quiz, answers);
	return {
		score: mark.score,
		passed: mark.passed,
		correctCount: mark.correctCount,
		total: mark.total,
		passMark: quiz.passMark,
		questions: quiz.questions.map((q, i) => ({
			id: q.id,
			kind: q.kind,
			text: q.text,
			options: q.options.map((o) => ({
				id: o.id,
				text: o.text,
				chosen: mark.questions[i]!.chosen.includes(o.id),
				correct: q.correct.includes(o.id)
			})),
			correct: mark.questions[i]!.correct,
			explanation: q.explanation
		}))
	};
}

export type QuizReview = ReturnType<typeof quizReview>;
