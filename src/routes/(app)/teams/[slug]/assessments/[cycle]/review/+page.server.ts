import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { reviewSchema } from '$lib/schemas/assessment';
import { askSchema, questionMessageSchema, withdrawSchema } from '$lib/schemas/question';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { questionRefusals } from '$lib/question-messages';
import { requireAssessmentAccess } from '$lib/server/auth/guard';
import { reviewRightOn, transitionAssessment } from '$lib/server/assessments/review';
import { reviewWorkspace } from '$lib/server/assessments/review-workspace';
import { assessmentContradictions } from '$lib/server/evidence/claims';
import { shownFacts } from '$lib/server/evidence/shown';
import { threadsByCriterion } from '$lib/server/assessments/question-threads';
import { questionStepRefusal } from '$lib/server/assessments/question-workflow';
import {
	askQuestion,
	followUpQuestion,
	withdrawQuestion,
	type QuestionResult
} from '$lib/server/assessments/questions';
import { stepAllowed } from '$lib/server/assessments/workflow';
import { getModel } from '$lib/server/model/load-model';
import { phaseIds, type PhaseId } from '$lib/server/model/types';
import type { Actions, PageServerLoad } from './$types';

type Event = Pick<RequestEvent<{ slug: string; cycle: string }>, 'locals' | 'url' | 'params'>;

/** The assessment, for someone who may review it (separation of duties); 404 or 403 otherwise. */
async function reviewerAccess(event: Event) {
	const a = await requireAssessmentAccess(event, event.params.slug, event.params.cycle, 'view');
	const right = await reviewRightOn(event.locals.db, a.user, a.team.id, a.membership);
	if (!right.allowed)
		error(403, questionRefusals[right.reason === 'ownTeam' ? 'ownTeam' : 'notReviewer']);
	const ctx = { actor: a.user, actorId: a.user.id, ip: event.locals.ip };
	return { ...a, right, ctx };
}

/**
 * The filters from the address: a phase (or every phase), and changed criteria only (the
 * default: what the reviewer came for) or every criterion (`show=all`).
 */
function filterOf(url: URL): { phase: PhaseId | null; changedOnly: boolean } {
	const phase = url.searchParams.get('phase') || null;
	if (phase !== null && !(phaseIds as readonly string[]).includes(phase))
		error(400, 'Unknown phase: choose one from the list.');
	const show = url.searchParams.get('show') || 'changed';
	if (show !== 'changed' && show !== 'all') error(400, 'Show changed criteria or all of them.');
	return { phase: phase as PhaseId | null, changedOnly: show === 'changed' };
}

export const load: PageServerLoad = async (event) => {
	const a = await reviewerAccess(event);
	const filter = filterOf(event.url);
	const model = getModel();
	const state = { status: a.assessment.status, cycleStatus: a.cycle.status };
	const [workspace, contradictions] = await Promise.all([
		reviewWorkspace(event.locals.db, model, { id: a.assessment.id, teamId: a.team.id }, filter),
		assessmentContradictions(event.locals.db, model, {
			assessmentId: a.assessment.id,
			teamId: a.team.id
		})
	]);
	const criterion = (id: string) => model.criterionById.get(id);
	return {
		team: { name: a.team.name, slug: a.team.slug },
		cycle: { name: a.cycle.name, status: a.cycle.status },
		assessment: {
			status: a.assessment.status,
			score: a.assessment.score,
			submittedAt: a.assessment.submittedAt,
			reviewComment: a.assessment.reviewComment
		},
		baseline: workspace.baseline,
		filter,
		/** The filters as a query, kept by the forms' actions. */
		query: new URLSearchParams([
			...(filter.phase ? [['phase', filter.phase]] : []),
			...(filter.changedOnly ? [] : [['show', 'all']])
		]).toString(),
		phases: model.phases.map((p) => ({ id: p.id, name: p.name })),
		view: workspace.view,
		threads: threadsByCriterion(workspace.threads),
		/** Every question not yet settled, for the list at the top (open first). */
		pending: workspace.threads
			.filter((t) => t.status !== 'withdrawn')
			.map((t) => ({
				id: t.id,
				criterionId: t.criterionId,
				phase: model.practiceById.get(criterion(t.criterionId)?.practiceId ?? '')?.phase ?? null,
				text: criterion(t.criterionId)?.text ?? t.criterionId,
				status: t.status,
				question: t.messages[0]!.body
			}))
			.sort((x, y) => Number(y.status === 'open') - Number(x.status === 'open')),
		/** Most/all answers the team's scans contradict, in model order. */
		contradictions: contradictions.map((c) => ({
			criterionId: c.criterionId,
			phase: model.practiceById.get(criterion(c.criterionId)?.practiceId ?? '')?.phase ?? '',
			text: criterion(c.criterionId)?.text ?? c.criterionId,
			value: c.value,
			facts: shownFacts(c.facts)!
		})),
		canAsk: questionStepRefusal(state, null, 'ask') === null,
		canWithdraw: questionStepRefusal(state, 'open', 'withdraw') === null,
		canReview: stepAllowed(state, 'approve'),
		selfReview: a.right.allowed && a.right.selfReview
	};
};

/** A refused question write, answered beside the form it came from. */
function refused(
	result: Exclude<QuestionResult, { ok: true }>,
	action: string,
	target: string,
	values = {}
) {
	const message = result.code === 'body' ? result.message : questionRefusals[result.code];
	const field = result.code === 'body' ? 'body' : 'form';
	return fail(400, formFailure({ [field]: message }, { action, target, values }));
}

export const actions: Actions = {
	/** Approve or return, as on the assessment page (separation of duties, open questions block approval). */
	review: async (event) => {
		const a = await reviewerAccess(event);
		const parsed = parseForm(reviewSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(400, formFailure(parsed.errors, { action: 'review', values: parsed.values }));
		const { decision, comment } = parsed.data;
		const result = await transitionAssessment(
			event.locals.db,
			{ ...a.ctx, teamId: a.team.id },
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
	},
	ask: async (event) => {
		const a = await reviewerAccess(event);
		const parsed = parseForm(askSchema, await event.request.formData());
		const target = parsed.ok ? parsed.data.criterionId : (parsed.values.criterionId ?? '');
		if (!parsed.ok)
			return fail(
				400,
				formFailure(parsed.errors, { action: 'ask', target, values: parsed.values })
			);
		const result = await askQuestion(event.locals.db, a.ctx, getModel(), {
			assessmentId: a.assessment.id,
			...parsed.data
		});
		if (!result.ok) return refused(result, 'ask', target, { body: parsed.data.body });
		return { action: 'ask', target, notice: 'Question sent to the team.' };
	},
	followUp: async (event) => {
		const a = await reviewerAccess(event);
		const parsed = parseForm(questionMessageSchema, await event.request.formData());
		const target = parsed.ok ? parsed.data.questionId : (parsed.values.questionId ?? '');
		if (!parsed.ok)
			return fail(
				400,
				formFailure(parsed.errors, { action: 'followUp', target, values: parsed.values })
			);
		const result = await followUpQuestion(event.locals.db, a.ctx, {
			assessmentId: a.assessment.id,
			...parsed.data
		});
		if (!result.ok) return refused(result, 'followUp', target, { body: parsed.data.body });
		return { action: 'followUp', target, notice: 'Follow-up sent: the question is open again.' };
	},
	withdraw: async (event) => {
		const a = await reviewerAccess(event);
		const parsed = parseForm(withdrawSchema, await event.request.formData());
		const target = parsed.ok ? parsed.data.questionId : (parsed.values.questionId ?? '');
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'withdraw', target }));
		const result = await withdrawQuestion(event.locals.db, a.ctx, {
			assessmentId: a.assessment.id,
			questionId: parsed.data.questionId
		});
		if (!result.ok) return refused(result, 'withdraw', target);
		return { action: 'withdraw', target, notice: 'Question withdrawn.' };
	}
};
