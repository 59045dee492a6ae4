import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { issueEarnedCertificates, type IssuedCertificate } from './certificates';
import { markQuiz, type QuizAnswers, type QuizMark } from './quiz';
import type { Training } from './types';

/** The learner acting, as the session knows them, and where from (for the audit log). */
export interface Learner {
	id: string;
	name: string;
	ip?: string;
}

/**
 * Marks a lesson as completed (again is harmless) and issues any certificate the learner has
 * thereby earned; null when the module or lesson does not exist.
 */
export async function completeLesson(
	db: Database,
	training: Training,
	learner: Learner,
	moduleId: string,
	lessonId: string
): Promise<{ certificates: IssuedCertificate[] } | null> {
	if (!training.moduleById.get(moduleId)?.lessonById.has(lessonId)) return null;
	return db.transaction(async (tx) => {
		await tx
			.insert(table.lessonProgress)
			.values({ userId: learner.id, moduleId, lessonId })
			.onConflictDoNothing();
		return { certificates: await issueEarnedCertificates(tx, training, learner, learner.ip) };
	});
}

/**
 * Marks a quiz attempt on the server and stores it with its score and times; a pass may
 * complete a track and issue its certificate in the same transaction. Null for an unknown module.
 */
export async function submitQuiz(
	db: Database,
	training: Training,
	learner: Learner,
	moduleId: string,
	answers: QuizAnswers,
	startedAt: Date | null
): Promise<{ mark: QuizMark; certificates: IssuedCertificate[] } | null> {
	const module = training.moduleById.get(moduleId);
	if (!module) return null;
	const mark = markQuiz(module.quiz, answers);
	// Only answers to this quiz's questions, with the options it offers, are stored.
	const stored = Object.fromEntries(mark.questions.map((q) => [q.id, q.chosen]));
	return db.transaction(async (tx) => {
		await tx.insert(table.quizAttempt).values({
			userId: learner.id,
			moduleId,
			moduleVersion: module.version,
			score: mark.score,
			passed: mark.passed,
			answers: stored,
			startedAt
		});
		const certificates = mark.passed
			? await issueEarnedCertificates(tx, training, learner, learner.ip)
			: [];
		return { mark, certificates };
	});
}
