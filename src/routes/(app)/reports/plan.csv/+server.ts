import { requirePermission } from '$lib/server/auth/guard';
import { selection } from '$lib/server/dashboard/select';
import { getModel } from '$lib/server/model/load-model';
import { planColumns, planRows } from '$lib/server/plan/export';
import { today } from '$lib/server/plan/rules';
import { downloadHeaders } from '$lib/server/reports/cycles';
import { csvStream } from '$lib/server/reports/export';
import type { RequestHandler } from './$types';

/** Every active team's improvement plan (or one org unit's, `?unit=`), streamed as CSV. */
export const GET: RequestHandler = async (event) => {
	requirePermission(event, 'reports.view');
	const { unit } = await selection(event.locals.db, event.url.searchParams);
	const rows = planRows(event.locals.db, getModel(), { scope: { unitId: unit?.id ?? null } });
	return new Response(csvStream(planColumns, rows), {
		headers: downloadHeaders('text/csv; charset=utf-8', `rampart-plans-${today()}.csv`)
	});
};
