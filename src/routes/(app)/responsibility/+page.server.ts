import { requirePermission } from '$lib/server/auth/guard';
import { getModel } from '$lib/server/model/load-model';
import { partyLabels } from '$lib/server/responsibility/responsibility';
import { responsibilityReport } from '$lib/server/responsibility/report';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'teams.viewAll');
	return { report: await responsibilityReport(event.locals.db, getModel()), partyLabels };
};
