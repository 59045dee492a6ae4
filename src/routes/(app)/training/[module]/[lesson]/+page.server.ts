import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { completeLesson } from '$lib/server/training/learning';
import { getTraining } from '$lib/server/training/load-training';
import { isLessonCompleted } from '$lib/server/training/progress';
import type { Actions, PageServerLoad } from './$types';

/** The module and lesson named in the URL; 404 when either does not exist. */
function lessonOf(params: { module: string; lesson: string }) {
	const module = getTraining().moduleById.get(params.module);
	const index = module?.lessons.findIndex((l) => l.id === params.lesson) ?? -1;
	if (!module || index === -1) error(404, 'Unknown lesson');
	return { module, lesson: module.lessons[index]!, index };
}

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { module, lesson, index } = lessonOf(event.params);
	const link = (l: { id: string; title: string } | undefined) =>
		l ? { href: `/training/${module.id}/${l.id}`, title: l.title } : null;
	return {
		module: { id: module.id, title: module.title },
		lesson: {
			id: lesson.id,
			title: lesson.title,
			html: lesson.html,
			headings: lesson.headings,
			minutes: lesson.minutes,
			number: index + 1,
			of: module.lessons.length
		},
		completed: await isLessonCompleted(event.locals.db, user.id, module.id, lesson.id),
		previous: link(module.lessons[index - 1]),
		next: link(module.lessons[index + 1]) ?? {
			href: `/training/${module.id}/quiz`,
			title: `Quiz: ${module.title}`
		}
	};
};

export const actions: Actions = {
	complete: async (event) => {
		const user = requireUser(event);
		const { module, lesson } = lessonOf(event.params);
		const result = await completeLesson(
			event.locals.db,
			getTraining(),
			{ id: user.id, name: user.name, ip: event.locals.ip },
			module.id,
			lesson.id
		);
		if (!result) error(404, 'Unknown lesson');
		return {
			action: 'complete',
			notice: 'Lesson marked as completed.',
			certificates: result.certificates.map((c) => ({
				trackId: c.trackId,
				trackTitle: c.trackTitle
			}))
		};
	}
};
