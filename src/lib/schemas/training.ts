import { z } from 'zod';

/** What the quiz form needs to know of a quiz to check a submission: never the answers. */
interface QuizShape {
	questions: readonly {
		id: string;
		kind: 'single' | 'multiple';
		options: readonly { id: string }[];
	}[];
}

const chosen = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * The quiz form: one field per question id holding the chosen option ids (radio buttons for
 * single choice, checkboxes for multiple), plus the time the quiz was opened.
 */
export function quizAnswersSchema(quiz: QuizShape) {
	const fields = Object.fromEntries(
		quiz.questions.map((q) => {
			const ids = new Set(q.options.map((o) => o.id));
			const answer = z
				.preprocess(chosen, z.array(z.string()))
				.refine((a) => a.length > 0, 'Choose an answer.')
				.refine((a) => q.kind === 'multiple' || a.length <= 1, 'Choose only one answer.')
				.refine((a) => a.every((id) => ids.has(id)), 'Choose from the options shown.');
			return [q.id, answer];
		})
	);
	return z.object({
		...fields,
		// Only informative: a time that is not from the last day is dropped rather than stored.
		startedAt: z.preprocess((v) => {
			const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
			return t <= Date.now() && t > Date.now() - 86_400_000 ? new Date(t) : null;
		}, z.date().nullable())
	});
}

/** Splits parsed quiz fields into the answers and the start time. */
export function quizAnswersOf(data: Record<string, unknown>): {
	answers: Record<string, string[]>;
	startedAt: Date | null;
} {
	const { startedAt, ...answers } = data;
	return { answers: answers as Record<string, string[]>, startedAt: startedAt as Date | null };
}

export const assignSchema = z.object({
	userId: z.uuid({ error: 'Choose a member of the team.' }),
	moduleId: z.string({ error: 'Choose a module.' }).min(1, 'Choose a module.').max(100),
	dueOn: z.iso
		.date({ error: 'Enter a due date.' })
		.refine(
			(d) => d >= new Date().toISOString().slice(0, 10),
			'The due date cannot be in the past.'
		)
});

export const removeAssignmentSchema = z.object({
	assignmentId: z.uuid({ error: 'Unknown assignment.' })
});
