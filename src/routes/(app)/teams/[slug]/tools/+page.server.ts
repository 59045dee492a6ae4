import { fail } from '@sveltejs/kit';
import { adoptionSchema } from '$lib/schemas/tools';
import { pick } from '$lib/schemas/assessment';
import { formFailure, parseForm, type FieldErrors } from '$lib/schemas/parse';
import { requireTeamAccess } from '$lib/server/auth/guard';
import { canOnTeam } from '$lib/server/auth/policy';
import { listTeamAdoption, setAdoption } from '$lib/server/tools/adoption';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user, team, membership } = await requireTeamAccess(event, event.params.slug, 'view');
	return {
		team: { name: team.name, slug: team.slug },
		tools: await listTeamAdoption(event.locals.db, team.id),
		editable: canOnTeam(user, membership, 'edit')
	};
};

const fields = ['toolId', 'state', 'since', 'note'] as const;

export const actions: Actions = {
	/** One row, saved as you go. */
	setAdoption: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.slug, 'edit');
		const parsed = parseForm(adoptionSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(
				400,
				formFailure(parsed.errors, { action: 'setAdoption', target: parsed.values.toolId ?? '' })
			);
		const result = await setAdoption(
			event.locals.db,
			{ actorId: user.id, ip: event.locals.ip },
			team.id,
			parsed.data
		);
		if (!result.ok)
			return fail(
				400,
				formFailure(
					{ [result.field]: result.message },
					{ action: 'setAdoption', target: parsed.data.toolId }
				)
			);
		return { action: 'setAdoption', target: parsed.data.toolId };
	},
	/** Every row at once: the form without JavaScript (unchanged rows write nothing). */
	saveAll: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.slug, 'edit');
		const form = await event.request.formData();
		const errors: FieldErrors = {};
		for (const toolId of form.getAll('toolId').map(String)) {
			const parsed = parseForm(adoptionSchema, pick(form, toolId, fields));
			if (!parsed.ok) {
				errors[toolId] = Object.values(parsed.errors)[0]!;
				continue;
			}
			const result = await setAdoption(
				event.locals.db,
				{ actorId: user.id, ip: event.locals.ip },
				team.id,
				parsed.data
			);
			if (!result.ok) errors[toolId] = result.message;
		}
		if (Object.keys(errors).length) return fail(400, formFailure(errors, { action: 'saveAll' }));
		return { action: 'saveAll', notice: 'Tool adoption saved.' };
	}
};
