import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { getModel } from '$lib/server/model/load-model';
import { getTraining } from '$lib/server/training/load-training';
import { learnerProgress } from '$lib/server/training/progress';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const training = getTraining();
	const module = training.moduleById.get(event.params.module);
	if (!module) error(404, 'Unknown module');
	const progress = await learnerProgress(event.locals.db, training, user.id);
	const mine = progress.get(module.id)!;
	const model = getModel();
	const done = new Set(mine.completedLessons);
	return {
		module: {
			id: module.id,
			title: module.title,
			summary: module.summary,
			minutes: module.minutes,
			introHtml: module.introHtml,
			phase: model.phases.find((p) => p.id === module.phase)?.name ?? module.phase
		},
		practices: module.practices.map((id) => ({ id, name: model.practiceById.get(id)?.name ?? id })),
		prerequisites: module.prerequisites.map((id) => ({
			id,
			title: training.moduleById.get(id)?.title ?? id,
			complete: progress.get(id)?.complete ?? false
		})),
		lessons: module.lessons.map((l) => ({
			id: l.id,
			title: l.title,
			minutes: l.minutes,
			done: done.has(l.id)
		})),
		quiz: {
			questions: module.quiz.questions.length,
			passMark: module.quiz.passMark,
			attempts: mine.attempts,
			bestScore: mine.bestScore,
			passed: mine.passed
		},
		complete: mine.complete
	};
};
