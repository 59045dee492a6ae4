import { allowAnonymous } from '$lib/server/auth/guard';
import { navigationFor } from '$lib/server/auth/policy';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
	allowAnonymous(event);
	const user = event.locals.user;
	return {
		user: user ? { name: user.name, email: user.email, role: user.role } : null,
		nav: user ? navigationFor(user) : []
	};
};
