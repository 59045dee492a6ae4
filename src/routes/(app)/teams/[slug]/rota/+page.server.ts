import { fail } from '@sveltejs/kit';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { rotaOrder, rotaSchema, swapSchema } from '$lib/schemas/tools';
import { requireTeamAccess } from '$lib/server/auth/guard';
import { canOnTeam } from '$lib/server/auth/policy';
import { turns } from '$lib/server/responsibility/rota';
import { loadRota, saveRota, swapTurn } from '$lib/server/responsibility/rota-store';
import { listTeamMembers } from '$lib/server/teams/teams';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user, team, membership } = await requireTeamAccess(event, event.params.slug, 'view');
	const today = new Date().toISOString().slice(0, 10);
	const [plan, members] = await Promise.all([
		loadRota(event.locals.db, team.id),
		listTeamMembers(event.locals.db, team.id)
	]);
	const name = new Map(members.map((m) => [m.userId, m.name]));
	const upcoming = plan
		? turns(plan, today, 8).map((t) => ({ ...t, name: name.get(t.userId) ?? 'someone who left' }))
		: [];
	return {
		team: { name: team.name, slug: team.slug },
		today,
		rota: plan
			? { startsOn: plan.startsOn, rotationWeeks: plan.rotationWeeks, members: plan.members }
			: null,
		members: members.map((m) => ({
			id: m.userId,
			name: m.name,
			position: plan ? plan.members.indexOf(m.userId) + 1 : 0
		})),
		upcoming,
		canManage: canOnTeam(user, membership, 'manageRota'),
		canSwap: canOnTeam(user, membership, 'edit')
	};
};

export const actions: Actions = {
	save: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.slug, 'manageRota');
		const form = await event.request.formData();
		const parsed = parseForm(rotaSchema, form);
		if (!parsed.ok)
			return fail(400, formFailure(parsed.errors, { action: 'save', values: parsed.values }));
		const order = rotaOrder(form);
		if (order.error) return fail(400, formFailure({ members: order.error }, { action: 'save' }));
		const result = await saveRota(
			event.locals.db,
			{ actorId: user.id, ip: event.locals.ip },
			team.id,
			{ ...parsed.data, members: order.members }
		);
		if (!result.ok)
			return fail(400, formFailure({ [result.field]: result.message }, { action: 'save' }));
		return { action: 'save', notice: 'The rota is saved.' };
	},
	swap: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.slug, 'edit');
		const parsed = parseForm(swapSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'swap' }));
		const result = await swapTurn(
			event.locals.db,
			{ actorId: user.id, ip: event.locals.ip },
			team.id,
			parsed.data
		);
		if (!result.ok)
			return fail(400, formFailure({ [result.field]: result.message }, { action: 'swap' }));
		return { action: 'swap', notice: 'The turn was swapped.' };
	}
};
