/**
 * The improvement plan's words and paths, shared by the server and the pages: status and
 * source labels, what each refusal says, and where a team's plan lives.
 */
import type { PlanStatus } from '$lib/server/db/schema';

export const planStatusLabels: Record<PlanStatus, string> = {
	planned: 'Planned',
	in_progress: 'In progress',
	done: 'Done',
	dropped: 'Dropped'
};
export const planStatusList = Object.keys(planStatusLabels) as PlanStatus[];

/** Where an item came from: a next step, a target, a reviewer's question, or typed by hand. */
export const planSources = ['next_step', 'target', 'question', 'manual'] as const;
export type PlanSource = (typeof planSources)[number];

export const planSourceLabels: Record<PlanSource, string> = {
	next_step: 'Next step',
	target: 'Target',
	question: 'Reviewer’s question',
	manual: 'Added by hand'
};

/** Why the domain refused a field of a plan item. */
export type PlanProblem =
	'unknownPractice' | 'unknownCriterion' | 'ownerNotMember' | 'dueInPast' | 'unknownQuestion';

export const planProblemMessages: Record<PlanProblem, string> = {
	unknownPractice: 'Choose a practice from the list.',
	unknownCriterion: 'Choose a criterion of this practice, or the whole practice.',
	ownerNotMember: 'Choose an owner who is a member of this team.',
	dueInPast: 'The due date cannot be in the past.',
	unknownQuestion: 'Choose a reviewer’s question asked on this team’s assessment.'
};

/** A team's plan page, optionally with a status filter or a new item's starting point. */
export function planPath(slug: string, query: Record<string, string | null | undefined> = {}) {
	const params = new URLSearchParams(
		Object.entries(query).filter((e): e is [string, string] => !!e[1])
	);
	const search = params.size ? `?${params}` : '';
	return `/teams/${encodeURIComponent(slug)}/plan${search}`;
}
