import { requirePermission } from '$lib/server/auth/guard';
import { adminOverview } from '$lib/server/admin/overview';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'users.manage');
	return { counts: await adminOverview(event.locals.db) };
};
