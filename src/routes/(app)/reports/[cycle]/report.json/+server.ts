import { requirePermission } from '$lib/server/auth/guard';
import { selection } from '$lib/server/dashboard/select';
import { getModel } from '$lib/server/model/load-model';
import { exportCycles, downloadHeaders } from '$lib/server/reports/cycles';
import { jsonStream, practiceRows, toolRows } from '$lib/server/reports/export';
import type { RequestHandler } from './$types';

/** The same rows as both CSV files, as one JSON document, streamed. */
export const GET: RequestHandler = async (event) => {
	requirePermission(event, 'reports.view');
	const cycles = await exportCycles(event.locals.db, event.params.cycle);
	const { unit } = await selection(event.locals.db, event.url.searchParams);
	const scope = { unitId: unit?.id ?? null };
	const body = jsonStream(
		{ cycle: event.params.cycle, unit: unit?.name ?? null, model: getModel().version },
		[
			['practices', practiceRows(event.locals.db, getModel(), scope, cycles)],
			['tools', toolRows(event.locals.db, scope, cycles)]
		]
	);
	return new Response(body, {
		headers: downloadHeaders(
			'application/json; charset=utf-8',
			`rampart-${event.params.cycle}.json`
		)
	});
};
