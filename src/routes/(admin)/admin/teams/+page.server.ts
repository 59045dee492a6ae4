import { fail, redirect } from '@sveltejs/kit';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { teamSchema } from '$lib/schemas/admin';
import { requirePermission } from '$lib/server/auth/guard';
import { listOrgUnits } from '$lib/server/teams/org-units';
import { createTeam, listVisibleTeams } from '$lib/server/teams/teams';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const me = requirePermission(event, 'teams.manage');
	const [teams, units] = await Promise.all([
		listVisibleTeams(event.locals.db, me),
		listOrgUnits(event.locals.db)
	]);
	return { teams, units };
};

export const actions: Actions = {
	create: async (event) => {
		const me = requirePermission(event, 'teams.manage');
		const parsed = parseForm(teamSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { values: parsed.values }));
		const result = await createTeam(
			event.locals.db,
			{ actorId: me.id, ip: event.locals.ip },
			parsed.data
		);
		if (!result.ok) {
			return fail(
				400,
				formFailure(
					{ [result.field]: result.message },
					{ values: { ...parsed.data, orgUnitId: parsed.data.orgUnitId ?? '' } }
				)
			);
		}
		redirect(303, `/teams/${result.slug}`);
	}
};
