import { requirePermission } from '$lib/server/auth/guard';
import { adminOverview, gettingStarted } from '$lib/server/admin/overview';
import { unmappedScanners } from '$lib/server/tools/scanner-names';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'users.manage');
	const [counts, unmapped] = await Promise.all([
		adminOverview(event.locals.db),
		unmappedScanners(event.locals.db)
	]);
	return { counts, steps: gettingStarted(counts), unmappedScanners: unmapped.length };
};
