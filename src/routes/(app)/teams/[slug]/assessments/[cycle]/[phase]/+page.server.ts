import { error, fail } from '@sveltejs/kit';
import { answerSchema, pick, practiceSettingsSchema } from '$lib/schemas/assessment';
import { formFailure, parseForm, type FieldErrors } from '$lib/schemas/parse';
import { requireAssessmentAccess, requireAssessmentIdAccess } from '$lib/server/auth/guard';
import { canOnTeam } from '$lib/server/auth/policy';
import { getModel } from '$lib/server/model/load-model';
import { criteriaOf, criterionIdsOf } from '$lib/server/model/criteria';
import { phaseForm } from '$lib/server/assessments/phase-form';
import { answerFingerprint, practiceFingerprint } from '$lib/assessments/fingerprint';
import { saveAnswer, savePracticeSettings } from '$lib/server/assessments/assessments';
import { isEditable } from '$lib/server/assessments/workflow';
import { phaseQuestions } from '$lib/server/assessments/question-views';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const access = await requireAssessmentAccess(
		event,
		event.params.slug,
		event.params.cycle,
		'view'
	);
	const model = getModel();
	const phase = model.phases.find((p) => p.id === event.params.phase);
	if (!phase) error(404, 'Unknown phase');
	const { practices: form, progress } = await phaseForm(event.locals.db, model, access, phase);
	const at = model.phases.indexOf(phase);
	const later = progress
		.slice(at + 1)
		.concat(progress.slice(0, at))
		.find((p) => p.unanswered.length);
	const editable =
		canOnTeam(access.user, access.membership, 'edit') &&
		isEditable({ status: access.assessment.status, cycleStatus: access.cycle.status });
	return {
		team: { name: access.team.name, slug: access.team.slug },
		cycle: { name: access.cycle.name, status: access.cycle.status },
		status: access.assessment.status,
		phases: model.phases.map((p) => ({ id: p.id, name: p.name })),
		phase: { id: phase.id, name: phase.name, description: phase.description },
		practices: form,
		// This phase's counts are the page's, from its answers (+page.svelte): not sent twice.
		progress: {
			later: later
				? {
						href: `/teams/${access.team.slug}/assessments/${access.cycle.name}/${later.id}#criterion-${later.unanswered[0]!.id}`,
						phase: later.name
					}
				: null
		},
		previousPhase: at > 0 ? pickPhase(model.phases[at - 1]!) : null,
		nextPhase: at < model.phases.length - 1 ? pickPhase(model.phases[at + 1]!) : null,
		editable,
		/** The security team's questions on this phase's criteria (QuestionThread). */
		questions: await phaseQuestions(event.locals.db, access, phase)
	};
};

const pickPhase = (p: { id: string; name: string }) => ({ id: p.id, name: p.name });

type Event = Parameters<Actions[string]>[0];

async function editAccess(event: Event) {
	const access = await requireAssessmentAccess(
		event,
		event.params.slug!,
		event.params.cycle!,
		'edit'
	);
	return { access, ctx: { actorId: access.user.id, ip: event.locals.ip, teamId: access.team.id } };
}

const answerFields = ['value', 'comment', 'evidence', 'baseVersion'] as const;
const practiceFields = ['practiceId', 'notApplicable', 'reason', 'target', 'baseVersion'] as const;

export const actions: Actions = {
	/** One criterion, saved as you go (JavaScript) . */
	saveAnswer: async (event) => {
		// The hot path: the team check and the assessment's id only (the save reads its state).
		const access = await requireAssessmentIdAccess(
			event,
			event.params.slug!,
			event.params.cycle!,
			'edit'
		);
		const ctx = { actorId: access.user.id, ip: event.locals.ip, teamId: access.team.id };
		const parsed = parseForm(answerSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(
				400,
				formFailure(parsed.errors, {
					action: 'saveAnswer',
					target: parsed.values.criterionId ?? ''
				})
			);
		const result = await saveAnswer(event.locals.db, ctx, getModel(), {
			assessmentId: access.assessmentId,
			...parsed.data
		});
		if (result.ok)
			return { action: 'saveAnswer', target: parsed.data.criterionId, version: result.version };
		return fail(result.kind === 'conflict' ? 409 : 400, {
			...formFailure(
				{ [result.kind === 'invalid' ? result.field : 'form']: result.message },
				{ action: 'saveAnswer', target: parsed.data.criterionId }
			),
			current: result.kind === 'conflict' ? result.current : null
		});
	},
	/** One practice's not-applicable flag, reason and target, saved as you go. */
	savePractice: async (event) => {
		const { access, ctx } = await editAccess(event);
		const parsed = parseForm(practiceSettingsSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(
				400,
				formFailure(parsed.errors, {
					action: 'savePractice',
					target: parsed.values.practiceId ?? ''
				})
			);
		const result = await savePracticeSettings(event.locals.db, ctx, getModel(), {
			assessmentId: access.assessment.id,
			...parsed.data
		});
		if (result.ok)
			return { action: 'savePractice', target: parsed.data.practiceId, version: result.version };
		return fail(result.kind === 'conflict' ? 409 : 400, {
			...formFailure(
				{ [result.kind === 'invalid' ? result.field : 'form']: result.message },
				{ action: 'savePractice', target: parsed.data.practiceId }
			),
			current: result.kind === 'conflict' ? result.current : null
		});
	},
	/** The whole phase at once: the form without JavaScript. Only changed items are written. */
	savePhase: async (event) => {
		const { access, ctx } = await editAccess(event);
		const model = getModel();
		const phase = model.phases.find((p) => p.id === event.params.phase);
		if (!phase) error(404, 'Unknown phase');
		const form = await event.request.formData();
		const errors: FieldErrors = {};
		let saved = 0;
		for (const practice of phase.practices) {
			const settings = parseForm(practiceSettingsSchema, pick(form, practice.id, practiceFields));
			if (form.has(`practiceId:${practice.id}`)) {
				if (!settings.ok) {
					for (const [k, v] of Object.entries(settings.errors)) errors[`${k}:${practice.id}`] = v;
				} else if (form.get(`fingerprint:${practice.id}`) !== practiceFingerprint(settings.data)) {
					const r = await savePracticeSettings(event.locals.db, ctx, model, {
						assessmentId: access.assessment.id,
						...settings.data
					});
					if (!r.ok)
						errors[`${r.kind === 'invalid' ? r.field : 'form'}:${practice.id}`] = r.message;
					else saved++;
				}
			}
			for (const criterion of criteriaOf([practice])) {
				// A row is in the form by its base version: its id is in every field's name.
				if (!form.has(`baseVersion:${criterion.id}`)) continue;
				const fields = pick(form, criterion.id, answerFields);
				fields.set('criterionId', criterion.id);
				const parsed = parseForm(answerSchema, fields);
				if (!parsed.ok) {
					for (const [k, v] of Object.entries(parsed.errors)) errors[`${k}:${criterion.id}`] = v;
					continue;
				}
				// Untouched rows are skipped, so someone else's newer answer is never reported as a conflict.
				if (form.get(`fingerprint:${criterion.id}`) === answerFingerprint(parsed.data)) continue;
				const r = await saveAnswer(event.locals.db, ctx, model, {
					assessmentId: access.assessment.id,
					...parsed.data
				});
				if (!r.ok) errors[`${r.kind === 'invalid' ? r.field : 'form'}:${criterion.id}`] = r.message;
				else saved++;
			}
		}
		// "Add a comment or evidence" on a criterion (the form without JavaScript): the changes so
		// far are saved, and the page comes back with that criterion's fields.
		const asked = form.get('notes');
		const notes =
			typeof asked === 'string' && criterionIdsOf(phase.practices).includes(asked) ? asked : null;
		if (Object.keys(errors).length)
			return fail(400, { ...formFailure(errors, { action: 'savePhase' }), notes });
		return {
			action: 'savePhase',
			notice: notes && !saved ? null : `Saved ${phase.name}.`,
			saved,
			notes
		};
	}
};
