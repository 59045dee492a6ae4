import { requireTeamAccess } from '$lib/server/auth/guard';
import { getModel } from '$lib/server/model/load-model';
import { planColumns, planRows } from '$lib/server/plan/export';
import { today } from '$lib/server/plan/rules';
import { downloadHeaders } from '$lib/server/reports/cycles';
import { csvStream } from '$lib/server/reports/export';
import type { RequestHandler } from './$types';

/** One team's improvement plan, every item, streamed as CSV to those who may see the team. */
export const GET: RequestHandler = async (event) => {
	const { team } = await requireTeamAccess(event, event.params.slug, 'view');
	const rows = planRows(event.locals.db, getModel(), { teamId: team.id });
	return new Response(csvStream(planColumns, rows), {
		headers: downloadHeaders('text/csv; charset=utf-8', `rampart-${team.slug}-plan-${today()}.csv`)
	});
};
