/**
 * Where a new plan item starts, read from the page's query string (`?practice=…&criterion=…&source=…`,
 * or `?question=…`): links from next steps, targets and questions lead there and work without
 * JavaScript. Anything unknown is dropped rather than trusted; the create action checks again.
 */
import { planSources, type PlanSource } from '$lib/plan';
import type { Model } from '$lib/server/model/types';

export interface Draft {
	practiceId: string;
	practiceName: string;
	criterionId: string | null;
	source: PlanSource;
	questionId: string | null;
	/** The practice's criteria, level by level, to choose from. */
	criteria: { id: string; text: string; level: number }[];
}

/** The new item's starting point, or null when no known practice is named. */
export function draftFrom(
	params: URLSearchParams,
	model: Model,
	questions: readonly { id: string; practiceId: string; criterionId: string }[]
): Draft | null {
	const question = questions.find((q) => q.id === params.get('question'));
	const practice = model.practiceById.get(question?.practiceId ?? params.get('practice') ?? '');
	if (!practice) return null;
	const wanted = question?.criterionId ?? params.get('criterion');
	const criterion = wanted ? model.criterionById.get(wanted) : undefined;
	const source = params.get('source') ?? '';
	return {
		practiceId: practice.id,
		practiceName: practice.name,
		criterionId: criterion?.practiceId === practice.id ? criterion.id : null,
		source: question
			? 'question'
			: (planSources as readonly string[]).includes(source) && source !== 'question'
				? (source as PlanSource)
				: 'manual',
		questionId: question?.id ?? null,
		criteria: practice.levels.flatMap((l) =>
			l.criteria.map((c) => ({ id: c.id, text: c.text, level: l.level }))
		)
	};
}
