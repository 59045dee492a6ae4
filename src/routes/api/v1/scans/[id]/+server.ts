import { requireApiToken } from '$lib/server/auth/guard';
import { apiError } from '$lib/server/http/api';
import { uploadSummary } from '$lib/server/integrations/read-api';
import type { RequestHandler } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An upload of the token's team, as recorded: the address an upload's answer gives. */
export const GET: RequestHandler = async (event) => {
	const auth = await requireApiToken(event, ['read', 'scans:write']);
	if (!auth.ok) return auth.response;
	const summary = UUID.test(event.params.id)
		? await uploadSummary(event.locals.db, auth.caller.teamId, event.params.id)
		: null;
	if (!summary) return apiError(404, 'This team has no upload with that id.');
	return Response.json(summary, { headers: { 'Cache-Control': 'no-store' } });
};
