import { fail } from '@sveltejs/kit';
import { pick } from '$lib/schemas/assessment';
import { formFailure, parseForm, type FieldErrors } from '$lib/schemas/parse';
import { responsibilitySchema } from '$lib/schemas/tools';
import { requireTeamAccess } from '$lib/server/auth/guard';
import { canOnTeam } from '$lib/server/auth/policy';
import { getModel } from '$lib/server/model/load-model';
import { listResponsibility, setResponsibility } from '$lib/server/responsibility/responsibility';
import { listTeamMembers } from '$lib/server/teams/teams';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user, team, membership } = await requireTeamAccess(event, event.params.slug, 'view');
	const model = getModel();
	const [rows, members] = await Promise.all([
		listResponsibility(event.locals.db, team.id),
		listTeamMembers(event.locals.db, team.id)
	]);
	return {
		team: { name: team.name, slug: team.slug },
		members: members.map((m) => ({ id: m.userId, name: m.name })),
		phases: model.phases.map((ph) => ({
			id: ph.id,
			name: ph.name,
			practices: ph.practices.map((p) => ({
				id: p.id,
				name: p.name,
				party: rows.get(p.id)?.party ?? '',
				accountableUserId: rows.get(p.id)?.accountableUserId ?? ''
			}))
		})),
		editable: canOnTeam(user, membership, 'editResponsibility')
	};
};

const fields = ['practiceId', 'party', 'accountableUserId'] as const;

export const actions: Actions = {
	set: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.slug, 'editResponsibility');
		const parsed = parseForm(responsibilitySchema, await event.request.formData());
		if (!parsed.ok)
			return fail(
				400,
				formFailure(parsed.errors, { action: 'set', target: parsed.values.practiceId ?? '' })
			);
		const practices = new Set(getModel().practiceById.keys());
		const result = await setResponsibility(
			event.locals.db,
			{ actorId: user.id, ip: event.locals.ip },
			team.id,
			practices,
			parsed.data
		);
		if (!result.ok)
			return fail(
				400,
				formFailure(
					{ [result.field]: result.message },
					{ action: 'set', target: parsed.data.practiceId }
				)
			);
		return { action: 'set', target: parsed.data.practiceId };
	},
	saveAll: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.slug, 'editResponsibility');
		const form = await event.request.formData();
		const practices = new Set(getModel().practiceById.keys());
		const errors: FieldErrors = {};
		for (const practiceId of practices) {
			if (!form.get(`party:${practiceId}`)) continue;
			const parsed = parseForm(responsibilitySchema, pick(form, practiceId, fields));
			if (!parsed.ok) {
				errors[practiceId] = Object.values(parsed.errors)[0]!;
				continue;
			}
			const result = await setResponsibility(
				event.locals.db,
				{ actorId: user.id, ip: event.locals.ip },
				team.id,
				practices,
				parsed.data
			);
			if (!result.ok) errors[practiceId] = result.message;
		}
		if (Object.keys(errors).length) return fail(400, formFailure(errors, { action: 'saveAll' }));
		return { action: 'saveAll', notice: 'Responsibilities saved.' };
	}
};
