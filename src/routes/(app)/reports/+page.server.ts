import { requirePermission } from '$lib/server/auth/guard';
import { dashboardCycles } from '$lib/server/dashboard/scope';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'reports.view');
	return { cycles: await dashboardCycles(event.locals.db) };
};
