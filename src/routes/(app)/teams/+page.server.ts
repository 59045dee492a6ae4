import { can } from '$lib/server/auth/policy';
import { requireUser } from '$lib/server/auth/guard';
import { listVisibleTeams } from '$lib/server/teams/teams';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	return {
		teams: await listVisibleTeams(event.locals.db, user),
		seesAll: can(user, 'teams.viewAll'),
		canManage: can(user, 'teams.manage')
	};
};
