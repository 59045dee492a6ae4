import { error, fail, redirect } from '@sveltejs/kit';
import { questionMessageSchema } from '$lib/schemas/question';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { questionRefusals } from '$lib/question-messages';
import { requireAssessmentAccess } from '$lib/server/auth/guard';
import { canOnTeam } from '$lib/server/auth/policy';
import { reviewRightOn } from '$lib/server/assessments/review';
import { loadThreads } from '$lib/server/assessments/question-threads';
import { questionStepRefusal } from '$lib/server/assessments/question-workflow';
import { answerQuestion } from '$lib/server/assessments/questions';
import { getModel } from '$lib/server/model/load-model';
import { phaseIds } from '$lib/server/model/types';
import type { Actions, PageServerLoad } from './$types';

/** Every question on the assessment, for the team and the security team; the team answers here too. */
export const load: PageServerLoad = async (event) => {
	const a = await requireAssessmentAccess(event, event.params.slug, event.params.cycle, 'view');
	const model = getModel();
	const state = { status: a.assessment.status, cycleStatus: a.cycle.status };
	const [threads, review] = await Promise.all([
		loadThreads(event.locals.db, a.assessment),
		reviewRightOn(event.locals.db, a.user, a.team.id, a.membership)
	]);
	return {
		team: { name: a.team.name, slug: a.team.slug },
		cycle: { name: a.cycle.name },
		threads: threads.map((t) => {
			const criterion = model.criterionById.get(t.criterionId);
			const practice = model.practiceById.get(criterion?.practiceId ?? '');
			return {
				...t,
				text: criterion?.text ?? t.criterionId,
				practice: practice?.name ?? null,
				phase: practice?.phase ?? null
			};
		}),
		canReply:
			canOnTeam(a.user, a.membership, 'answerQuestions') &&
			questionStepRefusal(state, 'open', 'reply') === null,
		canReview: review.allowed
	};
};

export const actions: Actions = {
	/**
	 * A member of the team answers a question: from this page, or from the criterion on a phase
	 * page (its form names the phase, and the answer leads back there).
	 */
	reply: async (event) => {
		const a = await requireAssessmentAccess(
			event,
			event.params.slug,
			event.params.cycle,
			'answerQuestions'
		);
		const form = await event.request.formData();
		// The phase page's answer boxes share one form: each box is named after its question.
		const questionId = String(form.get('questionId') ?? '');
		const body = form.get(`body:${questionId}`) ?? form.get('body') ?? '';
		// Checked before anything is stored: it only names the page to go back to.
		const phase = String(form.get('phase') ?? '');
		if (phase && !(phaseIds as readonly string[]).includes(phase)) error(400, 'Unknown phase.');
		const input = new FormData();
		input.set('questionId', questionId);
		input.set('body', body);
		const parsed = parseForm(questionMessageSchema, input);
		if (!parsed.ok)
			return fail(
				400,
				formFailure(parsed.errors, {
					action: 'reply',
					target: questionId,
					values: { body: String(body) }
				})
			);
		const result = await answerQuestion(
			event.locals.db,
			{ actor: a.user, actorId: a.user.id, ip: event.locals.ip },
			{ assessmentId: a.assessment.id, ...parsed.data }
		);
		if (!result.ok) {
			const message = result.code === 'body' ? result.message : questionRefusals[result.code];
			return fail(
				400,
				formFailure(
					{ [result.code === 'body' ? 'body' : 'form']: message },
					{ action: 'reply', target: questionId, values: { body: parsed.data.body } }
				)
			);
		}
		if (phase)
			redirect(
				303,
				`/teams/${a.team.slug}/assessments/${a.cycle.name}/${phase}#question-${questionId}`
			);
		return { action: 'reply', target: questionId, notice: 'Answer sent to the security team.' };
	}
};
