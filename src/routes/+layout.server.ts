import { allowAnonymous } from '$lib/server/auth/guard';
import { can, navigationFor } from '$lib/server/auth/policy';
import { belongsToAnyTeam } from '$lib/server/teams/teams';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
	allowAnonymous(event);
	const user = event.locals.user;
	if (!user) return { user: null, nav: [] };
	// Only those who do not see every team need to be asked whether they are in one.
	const inAnyTeam =
		can(user, 'teams.viewAll') || (await belongsToAnyTeam(event.locals.db, user.id));
	return {
		user: { name: user.name, email: user.email, role: user.role },
		nav: navigationFor(user, { inAnyTeam })
	};
};
