import { error, fail } from '@sveltejs/kit';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { quizAnswersOf, quizAnswersSchema } from '$lib/schemas/training';
import { requireUser } from '$lib/server/auth/guard';
import { submitQuiz } from '$lib/server/training/learning';
import { getTraining } from '$lib/server/training/load-training';
import { latestAttempt, learnerProgress } from '$lib/server/training/progress';
import { quizForLearner, quizReview } from '$lib/server/training/quiz';
import type { Actions, PageServerLoad } from './$types';

function moduleOf(id: string) {
	const module = getTraining().moduleById.get(id);
	if (!module) error(404, 'Unknown module');
	return module;
}

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const module = moduleOf(event.params.module);
	const db = event.locals.db;
	const [latest, progress] = await Promise.all([
		latestAttempt(db, user.id, module.id),
		learnerProgress(db, getTraining(), user.id)
	]);
	// The last attempt is reviewed unless the learner asked to retake the quiz; an attempt at an
	// earlier version of the quiz cannot be reviewed against the current questions.
	const reviewable = latest && latest.moduleVersion === module.version;
	const retake = event.url.searchParams.has('retake') || !reviewable;
	const mine = progress.get(module.id)!;
	return {
		module: { id: module.id, title: module.title },
		record: { attempts: mine.attempts, bestScore: mine.bestScore, passed: mine.passed },
		// Before an attempt only the questions and options are sent: no answers, no explanations.
		quiz: retake ? quizForLearner(module.quiz) : null,
		review: retake ? null : quizReview(module.quiz, latest!.answers),
		startedAt: new Date().toISOString()
	};
};

export const actions: Actions = {
	submit: async (event) => {
		const user = requireUser(event);
		const module = moduleOf(event.params.module);
		const form = await event.request.formData();
		const parsed = parseForm(quizAnswersSchema(module.quiz), form);
		if (!parsed.ok) {
			// Checkbox groups send several values; keep every choice so the form shows them again.
			const values = Object.fromEntries(
				[...new Set(form.keys())].map((k) => [k, form.getAll(k).map(String).join(' ')])
			);
			return fail(400, formFailure(parsed.errors, { action: 'submit', values }));
		}
		const { answers, startedAt } = quizAnswersOf(parsed.data);
		const result = await submitQuiz(
			event.locals.db,
			getTraining(),
			{ id: user.id, name: user.name, ip: event.locals.ip },
			module.id,
			answers,
			startedAt
		);
		if (!result) error(404, 'Unknown module');
		return {
			action: 'submit',
			review: quizReview(module.quiz, answers),
			certificates: result.certificates.map((c) => ({
				trackId: c.trackId,
				trackTitle: c.trackTitle
			}))
		};
	}
};
