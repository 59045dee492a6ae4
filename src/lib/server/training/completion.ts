import type { Track, Training, TrainingModule } from './types';

/** What a learner's quiz attempts on one module add up to. */
export interface QuizRecord {
	attempts: number;
	passed: boolean;
	/** Best score so far (0–1), null before the first attempt. */
	bestScore: number | null;
}

export interface ModuleProgress extends QuizRecord {
	/** Ids of the module's current lessons the learner completed, in lesson order. */
	completedLessons: string[];
	lessonsTotal: number;
	started: boolean;
	/** Every lesson completed and the quiz passed. */
	complete: boolean;
}

export interface TrackProgress {
	modulesDone: number;
	modulesTotal: number;
	started: boolean;
	/** Every module of the track complete. */
	complete: boolean;
	/** The first module of the track not yet complete, to continue with. */
	nextModuleId: string | null;
}

export const noQuizRecord: QuizRecord = { attempts: 0, passed: false, bestScore: null };

/**
 * A module's progress from the lessons a learner completed and their quiz record: complete
 * when every current lesson is completed and the quiz passed. Lessons that left the module
 * no longer count.
 */
export function moduleProgress(
	module: TrainingModule,
	completedLessonIds: Iterable<string>,
	quiz: QuizRecord = noQuizRecord
): ModuleProgress {
	const done = new Set(completedLessonIds);
	const completedLessons = module.lessons.filter((l) => done.has(l.id)).map((l) => l.id);
	return {
		...quiz,
		completedLessons,
		lessonsTotal: module.lessons.length,
		started: completedLessons.length > 0 || quiz.attempts > 0,
		complete: completedLessons.length === module.lessons.length && quiz.passed
	};
}

/** A track is complete when all of its modules are. */
export function trackProgress(
	track: Track,
	progress: ReadonlyMap<string, ModuleProgress>
): TrackProgress {
	const states = track.modules.map((id) => progress.get(id));
	const modulesDone = states.filter((p) => p?.complete).length;
	return {
		modulesDone,
		modulesTotal: track.modules.length,
		started: states.some((p) => p?.started),
		complete: modulesDone === track.modules.length,
		nextModuleId: track.modules.find((id) => !progress.get(id)?.complete) ?? null
	};
}

/** Every module's progress for a learner with no records at all. */
export function emptyProgress(training: Training): Map<string, ModuleProgress> {
	return new Map(training.modules.map((m) => [m.id, moduleProgress(m, [])]));
}
