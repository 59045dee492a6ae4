import { error } from '@sveltejs/kit';
import { requirePermission } from '$lib/server/auth/guard';
import { toCsv } from '$lib/server/reports/csv';
import { getTraining } from '$lib/server/training/load-training';
import { reportTables, trainingReport, type ReportTable } from '$lib/server/training/report';
import type { RequestHandler } from './$types';

/** One table of the training report as CSV: `?table=teams` (default), modules, tracks, champions or overdue. */
export const GET: RequestHandler = async (event) => {
	requirePermission(event, 'reports.view');
	const name = event.url.searchParams.get('table') ?? 'teams';
	if (!Object.hasOwn(reportTables, name)) error(404, 'No such table');
	const report = await trainingReport(event.locals.db, getTraining());
	const rows = reportTables[name as ReportTable](report);
	return new Response(toCsv(rows), {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="training-${name}-${report.on}.csv"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
