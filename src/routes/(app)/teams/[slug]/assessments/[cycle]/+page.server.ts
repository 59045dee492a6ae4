import { error, fail } from '@sveltejs/kit';
import { reviewSchema, submitSchema } from '$lib/schemas/assessment';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { requireAssessmentAccess } from '$lib/server/auth/guard';
import { canOnTeam } from '$lib/server/auth/policy';
import { reviewRightOn, transitionAssessment } from '$lib/server/assessments/review';
import { isEditable, stepAllowed } from '$lib/server/assessments/workflow';
import { assessmentOverview } from '$lib/server/assessments/overview';
import { overviewQuestions } from '$lib/server/assessments/question-views';
import { getModel } from '$lib/server/model/load-model';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const a = await requireAssessmentAccess(event, event.params.slug, event.params.cycle, 'view');
	const state = { status: a.assessment.status, cycleStatus: a.cycle.status };
	const review = stepAllowed(state, 'approve')
		? await reviewRightOn(event.locals.db, a.user, a.team.id, a.membership)
		: null;
	return {
		team: { name: a.team.name, slug: a.team.slug },
		cycle: { name: a.cycle.name, status: a.cycle.status, dueOn: a.cycle.dueOn },
		assessment: {
			status: a.assessment.status,
			score: a.assessment.score,
			modelVersion: a.assessment.modelVersion,
			reviewComment: a.assessment.reviewComment,
			submittedAt: a.assessment.submittedAt,
			reviewedAt: a.assessment.reviewedAt
		},
		phases: await assessmentOverview(event.locals.db, getModel(), a.assessment.id),
		canSubmit: isEditable(state) && canOnTeam(a.user, a.membership, 'submit'),
		canReview: review?.allowed === true,
		selfReview: review?.allowed === true && review.selfReview,
		/** A reviewer who belongs to the team is told why they see no review form. */
		ownTeamReview: review?.allowed === false && review.reason === 'ownTeam',
		selfReviewed: a.assessment.selfReviewed,
		/** Open questions (they block approval) and the links to the threads and the workspace. */
		questions: await overviewQuestions(event.locals.db, getModel(), a)
	};
};

export const actions: Actions = {
	submit: async (event) => {
		const a = await requireAssessmentAccess(event, event.params.slug, event.params.cycle, 'submit');
		const parsed = parseForm(submitSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'submit' }));
		const result = await transitionAssessment(
			event.locals.db,
			{ actor: a.user, actorId: a.user.id, ip: event.locals.ip, teamId: a.team.id },
			a.assessment.id,
			'submit',
			'',
			{ model: getModel(), confirmedUnanswered: parsed.data.confirmUnanswered }
		);
		if (!result.ok)
			return fail(400, formFailure({ [result.field]: result.message }, { action: 'submit' }));
		return { action: 'submit', notice: 'Submitted for review by the security team.' };
	},
	review: async (event) => {
		const a = await requireAssessmentAccess(event, event.params.slug, event.params.cycle, 'view');
		const right = await reviewRightOn(event.locals.db, a.user, a.team.id, a.membership);
		if (!right.allowed)
			error(
				403,
				right.reason === 'ownTeam'
					? 'You belong to this team: someone outside it reviews its assessment.'
					: 'Only the security team reviews assessments.'
			);
		const parsed = parseForm(reviewSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(400, formFailure(parsed.errors, { action: 'review', values: parsed.values }));
		const { decision, comment } = parsed.data;
		const result = await transitionAssessment(
			event.locals.db,
			{ actor: a.user, actorId: a.user.id, ip: event.locals.ip, teamId: a.team.id },
			a.assessment.id,
			decision,
			comment
		);
		if (!result.ok)
			return fail(
				400,
				formFailure({ [result.field]: result.message }, { action: 'review', values: { comment } })
			);
		return {
			action: 'review',
			notice: decision === 'approve' ? 'Approved.' : 'Returned to the team with your comment.'
		};
	}
};
