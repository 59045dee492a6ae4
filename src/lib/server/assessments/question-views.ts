import type { Database } from '$lib/server/db';
import type * as table from '$lib/server/db/schema';
import { canOnTeam, type Actor, type Membership } from '$lib/server/auth/policy';
import type { Model, Phase } from '$lib/server/model/types';
import { criterionIdsOf } from '$lib/server/model/criteria';
import { loadThreads, threadsByCriterion, type Thread } from './question-threads';
import { questionStepRefusal } from './question-workflow';
import { reviewRightOn } from './review';

export interface PhaseQuestions {
	/** Threads on this phase's criteria, by criterion id. */
	threads: Record<string, Thread[]>;
	/** Whether this person may answer them now (a member of the team, while under review). */
	canReply: boolean;
}

/** The reviewer's questions on one phase of an assessment, for the criteria on its page. */
export async function phaseQuestions(
	db: Database,
	access: {
		user: Actor;
		membership: Membership | null;
		team: { id: string };
		assessment: typeof table.assessment.$inferSelect;
		cycle: typeof table.cycle.$inferSelect;
	},
	phase: Phase
): Promise<PhaseQuestions> {
	const state = { status: access.assessment.status, cycleStatus: access.cycle.status };
	const canReply =
		canOnTeam(access.user, access.membership, 'answerQuestions') &&
		questionStepRefusal(state, 'open', 'reply') === null;
	// Questions are asked on submitted assessments only: a draft has never had one.
	if (state.status === 'draft') return { threads: {}, canReply };
	const threads = await loadThreads(
		db,
		{ id: access.assessment.id, teamId: access.team.id },
		criterionIdsOf(phase.practices)
	);
	return { threads: threadsByCriterion(threads), canReply };
}

export interface OverviewQuestions {
	/** Open questions, oldest first, with where they are asked. */
	open: { id: string; text: string; phase: string | null; question: string }[];
	total: number;
	/** Whether this person may open the reviewer's workspace. */
	workspace: boolean;
}

/** What the assessment page says about questions: the open ones (they block approval) and the links. */
export async function overviewQuestions(
	db: Database,
	model: Model,
	access: {
		user: Actor;
		membership: Membership | null;
		team: { id: string };
		assessment: typeof table.assessment.$inferSelect;
	}
): Promise<OverviewQuestions> {
	const [threads, right] = await Promise.all([
		access.assessment.status === 'draft'
			? Promise.resolve([])
			: loadThreads(db, { id: access.assessment.id, teamId: access.team.id }),
		reviewRightOn(db, access.user, access.team.id, access.membership)
	]);
	return {
		open: threads
			.filter((t) => t.status === 'open')
			.map((t) => {
				const criterion = model.criterionById.get(t.criterionId);
				return {
					id: t.id,
					text: criterion?.text ?? t.criterionId,
					phase: model.practiceById.get(criterion?.practiceId ?? '')?.phase ?? null,
					question: t.messages[0]!.body
				};
			}),
		total: threads.length,
		workspace: right.allowed
	};
}
