import { requirePermission } from '$lib/server/auth/guard';
import { getTraining } from '$lib/server/training/load-training';
import { trainingReport } from '$lib/server/training/report';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'reports.view');
	return { report: await trainingReport(event.locals.db, getTraining()) };
};
