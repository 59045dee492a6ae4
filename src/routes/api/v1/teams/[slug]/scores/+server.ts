import { requireApiToken } from '$lib/server/auth/guard';
import { teamScores } from '$lib/server/integrations/read-api';
import type { RequestHandler } from './$types';

/** The team's scores per cycle: team, phases and practices. */
export const GET: RequestHandler = async (event) => {
	const auth = await requireApiToken(event, 'read', event.params.slug);
	if (!auth.ok) return auth.response;
	const cycles = await teamScores(event.locals.db, auth.caller.teamId);
	return Response.json(
		{ team: auth.caller.teamSlug, cycles },
		{ headers: { 'Cache-Control': 'no-store' } }
	);
};
