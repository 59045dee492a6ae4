import { requireTeamAccess } from '$lib/server/auth/guard';
import { findingColumns, findingExport } from '$lib/server/findings/export';
import { downloadHeaders } from '$lib/server/reports/cycles';
import { csvStream } from '$lib/server/reports/export';
import type { RequestHandler } from './$types';

/** A team's findings as its list is filtered (every page), streamed as CSV to those who may see the team. */
export const GET: RequestHandler = async (event) => {
	const { team } = await requireTeamAccess(event, event.params.slug, 'view');
	const { filters, rows } = await findingExport(event.locals.db, team.id, event.url.searchParams);
	const today = new Date().toISOString().slice(0, 10);
	return new Response(csvStream(findingColumns, rows), {
		headers: downloadHeaders(
			'text/csv; charset=utf-8',
			`rampart-${team.slug}-findings-${filters.view}-${today}.csv`
		)
	});
};
