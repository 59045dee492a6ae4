import { getTraining } from './load-training';

/** The modules that teach a practice, for its guidance page: a weak score leads to the lesson. */
export function modulesForPractice(practiceId: string, training = getTraining()) {
	return training.modules
		.filter((m) => m.practices.includes(practiceId))
		.map((m) => ({
			id: m.id,
			title: m.title,
			summary: m.summary,
			minutes: m.minutes,
			href: `/training/${m.id}`
		}));
}

export type PracticeModule = ReturnType<typeof modulesForPractice>[number];
