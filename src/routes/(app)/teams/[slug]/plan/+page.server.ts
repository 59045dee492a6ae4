import { error, fail, redirect } from '@sveltejs/kit';
import { planPath, planProblemMessages } from '$lib/plan';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { createPlanItemSchema, editPlanItemSchema, planStatusSchema } from '$lib/schemas/plan';
import { requireTeamAccess } from '$lib/server/auth/guard';
import { canOnTeam } from '$lib/server/auth/policy';
import { getModel } from '$lib/server/model/load-model';
import { draftFrom } from '$lib/server/plan/draft';
import {
	changePlanStatus,
	createPlanItem,
	editPlanItem,
	type PlanWriteResult
} from '$lib/server/plan/items';
import { teamPlan, type PlanItemView } from '$lib/server/plan/read';
import {
	groupByPractice,
	passesFilter,
	statusFilterOf,
	statusFilters,
	today
} from '$lib/server/plan/rules';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user, team, membership } = await requireTeamAccess(event, event.params.slug, 'view');
	const model = getModel();
	const canEdit = canOnTeam(user, membership, 'editPlan');
	// One query; those who only read the plan get no forms, so nothing the forms need is read.
	const plan = await teamPlan(event.locals.db, model, team.id, canEdit);
	const filter = statusFilterOf(event.url.searchParams.get('status'));
	const counts = Object.fromEntries(
		statusFilters.map((f) => [f, plan.items.filter((i) => passesFilter(i.status, f)).length])
	);
	return {
		team: { name: team.name, slug: team.slug },
		cycle: plan.cycle,
		canEdit,
		filter,
		counts,
		overdue: plan.items.filter((i) => i.overdue).length,
		met: plan.items.filter((i) => i.open && i.met).length,
		projection: plan.projection,
		groups: groupByPractice(
			plan.items.filter((i) => passesFilter(i.status, filter)),
			model.practices.map((p) => p.id)
		),
		editing: event.url.searchParams.get('edit'),
		saved: savedItem(plan.items, event.url.searchParams.get('saved')),
		owners: plan.owners,
		suggestions: plan.suggestions ?? { nextSteps: [], belowTarget: [] },
		questions: plan.questions,
		draft: canEdit ? draftFrom(event.url.searchParams, model, plan.questions) : null,
		practices: model.practices.map((p) => ({ id: p.id, name: p.name })),
		today: today()
	};
};

/** The item a write just changed, to say so at the top (it may have left the filtered list). */
function savedItem(items: readonly PlanItemView[], id: string | null) {
	const item = items.find((i) => i.id === id);
	return item ? { id: item.id, action: item.action, status: item.status } : null;
}

type Event = Parameters<Actions[string]>[0];

async function planAccess(event: Event) {
	const { user, team } = await requireTeamAccess(event, event.params.slug!, 'editPlan');
	return { team, ctx: { actorId: user.id, ip: event.locals.ip } };
}

/** The filter the page was showing, so that a change comes back to the same list. */
const shownFilter = (event: Event) => {
	const filter = statusFilterOf(event.url.searchParams.get('status'));
	return filter === 'open' ? null : filter;
};

/** A refused write: 404 for an item that is not this team's, 409 with the stored item, else 400 beside the fields. */
function refusal(
	result: Exclude<PlanWriteResult, { ok: true }>,
	action: string,
	target: string,
	values: Record<string, string>
) {
	if (result.kind === 'notFound') error(404, 'This plan item does not exist.');
	if (result.kind === 'conflict') {
		const who = result.current.changedBy ?? 'Someone';
		return fail(409, {
			...formFailure(
				{
					form: `${who} changed this item while you were editing it. What is stored now is shown; your change was not saved.`
				},
				{ action, target }
			),
			current: result.current
		});
	}
	const errors = Object.fromEntries(
		Object.entries(result.problems).map(([field, problem]) => [
			field,
			planProblemMessages[problem!]
		])
	);
	return fail(400, { ...formFailure(errors, { action, target, values }), current: null });
}

export const actions: Actions = {
	create: async (event) => {
		const { team, ctx } = await planAccess(event);
		const parsed = parseForm(createPlanItemSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(400, {
				...formFailure(parsed.errors, { action: 'create', values: parsed.values }),
				current: null
			});
		const result = await createPlanItem(event.locals.db, ctx, getModel(), team.id, parsed.data);
		if (!result.ok) {
			const values = { ...parsed.data, criterionId: parsed.data.criterionId ?? '' };
			return refusal(result, 'create', '', values as Record<string, string>);
		}
		redirect(303, `${planPath(team.slug, { saved: result.id })}#item-${result.id}`);
	},
	edit: async (event) => {
		const { team, ctx } = await planAccess(event);
		const parsed = parseForm(editPlanItemSchema, await event.request.formData());
		// An item id that is not one names no item of this team.
		if (!parsed.ok && parsed.errors.itemId) error(404, 'This plan item does not exist.');
		if (!parsed.ok)
			return fail(400, {
				...formFailure(parsed.errors, {
					action: 'edit',
					target: parsed.values.itemId,
					values: parsed.values
				}),
				current: null
			});
		const { itemId, ...input } = parsed.data;
		const result = await editPlanItem(event.locals.db, ctx, team.id, itemId, input);
		if (!result.ok) {
			const { baseVersion: _v, ...values } = parsed.data;
			return refusal(result, 'edit', itemId, values);
		}
		const query = { status: shownFilter(event), saved: itemId };
		redirect(303, `${planPath(team.slug, query)}#item-${itemId}`);
	},
	setStatus: async (event) => {
		const { team, ctx } = await planAccess(event);
		const parsed = parseForm(planStatusSchema, await event.request.formData());
		if (!parsed.ok && parsed.errors.itemId) error(404, 'This plan item does not exist.');
		if (!parsed.ok)
			return fail(400, {
				...formFailure(parsed.errors, { action: 'setStatus', target: parsed.values.itemId }),
				current: null
			});
		const { itemId, ...input } = parsed.data;
		const result = await changePlanStatus(event.locals.db, ctx, team.id, itemId, input);
		if (!result.ok) return refusal(result, 'setStatus', itemId, {});
		const query = { status: shownFilter(event), saved: itemId };
		redirect(303, `${planPath(team.slug, query)}#item-${itemId}`);
	}
};
