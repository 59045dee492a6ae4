import { redirect } from '@sveltejs/kit';
import { allowAnonymous } from '$lib/server/auth/guard';
import { hasUsers } from '$lib/server/auth/sign-in';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	allowAnonymous(event);
	if (event.locals.user) redirect(303, '/dashboard');
	if (!(await hasUsers(event.locals.db))) redirect(303, '/setup');
	redirect(303, '/login');
};
