import { requirePermission } from '$lib/server/auth/guard';
import { can } from '$lib/server/auth/policy';
import { dashboardCycles } from '$lib/server/dashboard/scope';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePermission(event, 'reports.view');
	return {
		cycles: await dashboardCycles(event.locals.db),
		canManageCycles: can(user, 'cycles.manage')
	};
};
