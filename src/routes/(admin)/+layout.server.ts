import { requirePermission } from '$lib/server/auth/guard';
import type { LayoutServerLoad } from './$types';

// Defence in depth: each page and action under (admin) requires its own admin-only permission
// (actions never run this load); this refuses everyone else should one of them forget.
export const load: LayoutServerLoad = (event) => {
	requirePermission(event, 'users.manage');
};
