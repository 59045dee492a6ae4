import { error, fail, redirect } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { teamSchema } from '$lib/schemas/admin';
import { requirePermission } from '$lib/server/auth/guard';
import { listOrgUnits } from '$lib/server/teams/org-units';
import { setTeamActive, updateTeam } from '$lib/server/teams/teams';
import type { Actions, PageServerLoad } from './$types';

async function findTeam(event: { locals: App.Locals; params: { slug: string } }) {
	const [team] = await event.locals.db
		.select()
		.from(table.team)
		.where(eq(table.team.slug, event.params.slug));
	if (!team) error(404, 'Team not found');
	return team;
}

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'teams.manage');
	const [team, units] = await Promise.all([findTeam(event), listOrgUnits(event.locals.db)]);
	return { team, units };
};

export const actions: Actions = {
	update: async (event) => {
		const me = requirePermission(event, 'teams.manage');
		const team = await findTeam(event);
		const parsed = parseForm(teamSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { values: parsed.values }));
		const result = await updateTeam(
			event.locals.db,
			{ actorId: me.id, ip: event.locals.ip },
			team.id,
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
		redirect(303, `/admin/teams/${result.slug}`);
	},
	archive: async (event) => {
		const me = requirePermission(event, 'teams.manage');
		const team = await findTeam(event);
		await setTeamActive(
			event.locals.db,
			{ actorId: me.id, ip: event.locals.ip },
			team.id,
			!team.active
		);
		return { notice: team.active ? 'The team was archived.' : 'The team was restored.' };
	}
};
