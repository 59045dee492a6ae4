import { requirePermission } from '$lib/server/auth/guard';
import { adminOverview, gettingStarted } from '$lib/server/admin/overview';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'users.manage');
	const counts = await adminOverview(event.locals.db);
	return { counts, steps: gettingStarted(counts) };
};
