import { requirePermission } from '$lib/server/auth/guard';
import { selection } from '$lib/server/dashboard/select';
import { exportCycles, downloadHeaders } from '$lib/server/reports/cycles';
import { csvStream, toolColumns, toolRows } from '$lib/server/reports/export';
import type { RequestHandler } from './$types';

/** One row per team × tool (× cycle for `all`), streamed. */
export const GET: RequestHandler = async (event) => {
	requirePermission(event, 'reports.view');
	const cycles = await exportCycles(event.locals.db, event.params.cycle);
	const { unit } = await selection(event.locals.db, event.url.searchParams);
	const rows = toolRows(event.locals.db, { unitId: unit?.id ?? null }, cycles);
	return new Response(csvStream(toolColumns, rows), {
		headers: downloadHeaders('text/csv; charset=utf-8', `rampart-${event.params.cycle}-tools.csv`)
	});
};
