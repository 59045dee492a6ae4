import { error, redirect } from '@sveltejs/kit';
import { desc, eq } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { requireTeamAccess } from '$lib/server/auth/guard';
import { getModel } from '$lib/server/model/load-model';
import type { RequestHandler } from './$types';

/** A heatmap cell: a short link that opens the team's answers for that practice, if you may see them. */
export const GET: RequestHandler = async (event) => {
	const { team } = await requireTeamAccess(event, event.params.slug, 'view');
	const practice = getModel().practiceById.get(event.params.practice);
	if (!practice) error(404, 'Unknown practice');
	const cycle = event.url.searchParams.get('cycle');
	const [latest] = await event.locals.db
		.select({ name: table.cycle.name })
		.from(table.assessment)
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.where(eq(table.assessment.teamId, team.id))
		.orderBy(desc(table.cycle.startsOn))
		.limit(1);
	const name = cycle && /^\d{4}-Q[1-4]$/.test(cycle) ? cycle : latest?.name;
	if (!name) error(404, 'This team has no assessment yet.');
	redirect(
		303,
		`/teams/${team.slug}/assessments/${name}/${practice.phase}#practice-${practice.id}`
	);
};
