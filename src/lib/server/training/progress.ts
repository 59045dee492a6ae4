import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { emptyProgress, moduleProgress, type ModuleProgress, type QuizRecord } from './completion';
import type { Training } from './types';

/** One learner's progress in every module, by module id. */
export type LearnerProgress = ReadonlyMap<string, ModuleProgress>;

export interface ProgressLookup {
	/** A learner's progress; learners without records get empty progress. */
	of(userId: string): LearnerProgress;
	/** Everyone among those read who has completed a lesson or attempted a quiz. */
	learners: string[];
}

/**
 * Progress of many learners in two grouped queries (lessons, quiz attempts), however many
 * there are. Without `userIds`, everybody's records are read (for the organisation report).
 */
export async function progressByUser(
	db: Tx,
	training: Training,
	userIds?: readonly string[]
): Promise<ProgressLookup> {
	if (userIds && !userIds.length) return progressOf(training, [], []);
	const lessonFilter = userIds ? inArray(table.lessonProgress.userId, [...userIds]) : undefined;
	const quizFilter = userIds ? inArray(table.quizAttempt.userId, [...userIds]) : undefined;
	const [lessons, quizzes] = await Promise.all([
		db
			.select({
				userId: table.lessonProgress.userId,
				moduleId: table.lessonProgress.moduleId,
				lessons: sql<string[]>`array_agg(${table.lessonProgress.lessonId})`
			})
			.from(table.lessonProgress)
			.where(lessonFilter)
			.groupBy(table.lessonProgress.userId, table.lessonProgress.moduleId),
		db
			.select({
				userId: table.quizAttempt.userId,
				moduleId: table.quizAttempt.moduleId,
				attempts: sql<number>`count(*)::int`,
				passed: sql<boolean>`bool_or(${table.quizAttempt.passed})`,
				bestScore: sql<number>`max(${table.quizAttempt.score})`
			})
			.from(table.quizAttempt)
			.where(quizFilter)
			.groupBy(table.quizAttempt.userId, table.quizAttempt.moduleId)
	]);
	return progressOf(training, lessons, quizzes);
}

/** Completed lessons of one learner in one module, as read grouped. */
export interface LessonRows {
	userId: string;
	moduleId: string;
	lessons: string[];
}

/** Quiz attempts of one learner at one module, as read grouped. */
export interface QuizRows {
	userId: string;
	moduleId: string;
	attempts: number;
	passed: boolean;
	bestScore: number | string | null;
}

/** progressByUser from rows already read (the team page reads them with the rest of the page). */
export function progressOf(
	training: Training,
	lessons: readonly LessonRows[],
	quizzes: readonly QuizRows[]
): ProgressLookup {
	const byUser = new Map<string, Map<string, { lessons: string[]; quiz?: QuizRecord }>>();
	const entry = (userId: string, moduleId: string) => {
		let modules = byUser.get(userId);
		if (!modules) byUser.set(userId, (modules = new Map()));
		let e = modules.get(moduleId);
		if (!e) modules.set(moduleId, (e = { lessons: [] }));
		return e;
	};
	for (const r of lessons) entry(r.userId, r.moduleId).lessons = r.lessons;
	for (const r of quizzes) {
		entry(r.userId, r.moduleId).quiz = {
			attempts: r.attempts,
			passed: r.passed,
			bestScore: r.bestScore === null ? null : Number(r.bestScore)
		};
	}
	const empty = emptyProgress(training);
	const cache = new Map<string, LearnerProgress>();
	return {
		learners: [...byUser.keys()],
		of(userId) {
			const records = byUser.get(userId);
			if (!records) return empty;
			let progress = cache.get(userId);
			if (!progress) {
				progress = new Map(
					training.modules.map((m) => {
						const r = records.get(m.id);
						return [m.id, r ? moduleProgress(m, r.lessons, r.quiz) : empty.get(m.id)!];
					})
				);
				cache.set(userId, progress);
			}
			return progress;
		}
	};
}

/** One learner's progress in every module. */
export async function learnerProgress(
	db: Tx,
	training: Training,
	userId: string
): Promise<LearnerProgress> {
	return (await progressByUser(db, training, [userId])).of(userId);
}

/** The learner's latest attempt at a module's quiz, if any. */
export async function latestAttempt(db: Tx, userId: string, moduleId: string) {
	const [row] = await db
		.select({
			moduleVersion: table.quizAttempt.moduleVersion,
			score: table.quizAttempt.score,
			passed: table.quizAttempt.passed,
			answers: table.quizAttempt.answers,
			submittedAt: table.quizAttempt.submittedAt
		})
		.from(table.quizAttempt)
		.where(and(eq(table.quizAttempt.userId, userId), eq(table.quizAttempt.moduleId, moduleId)))
		.orderBy(desc(table.quizAttempt.submittedAt))
		.limit(1);
	return row ?? null;
}

/** Whether the learner has marked one lesson as completed. */
export async function isLessonCompleted(
	db: Tx,
	userId: string,
	moduleId: string,
	lessonId: string
): Promise<boolean> {
	const rows = await db
		.select({ at: table.lessonProgress.completedAt })
		.from(table.lessonProgress)
		.where(
			and(
				eq(table.lessonProgress.userId, userId),
				eq(table.lessonProgress.moduleId, moduleId),
				eq(table.lessonProgress.lessonId, lessonId)
			)
		);
	return rows.length > 0;
}
