import { requireUser } from '$lib/server/auth/guard';
import { can } from '$lib/server/auth/policy';
import { getModel } from '$lib/server/model/load-model';
import { adoptionOverview, teamsWithoutTools } from '$lib/server/tools/report';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const seesTeams = can(user, 'teams.viewAll');
	const [overview, without] = await Promise.all([
		adoptionOverview(event.locals.db),
		// Team names only for those who may see every team.
		seesTeams ? teamsWithoutTools(event.locals.db, getModel()) : Promise.resolve(null)
	]);
	return { overview, without, canManage: can(user, 'tools.manage') };
};
