import { requireApiToken } from '$lib/server/auth/guard';
import { toolEvidence } from '$lib/server/integrations/read-api';
import type { RequestHandler } from './$types';

/** The team's tools: its recorded adoption and what its pipelines ran, with the last run. */
export const GET: RequestHandler = async (event) => {
	const auth = await requireApiToken(event, 'read', event.params.slug);
	if (!auth.ok) return auth.response;
	const evidence = await toolEvidence(event.locals.db, auth.caller.teamId);
	return Response.json(
		{ team: auth.caller.teamSlug, ...evidence },
		{ headers: { 'Cache-Control': 'no-store' } }
	);
};
