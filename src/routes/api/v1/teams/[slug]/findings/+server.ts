import { findingsQuerySchema } from '$lib/schemas/integrations';
import { requireApiToken } from '$lib/server/auth/guard';
import { apiError } from '$lib/server/http/api';
import { openFindings } from '$lib/server/integrations/read-api';
import type { RequestHandler } from './$types';

/** The team's open findings, most severe and oldest first, a page at a time. */
export const GET: RequestHandler = async (event) => {
	const auth = await requireApiToken(event, 'read', event.params.slug);
	if (!auth.ok) return auth.response;
	const query = findingsQuerySchema.safeParse(Object.fromEntries(event.url.searchParams));
	if (!query.success) {
		const issue = query.error.issues[0]!;
		return apiError(400, `${issue.path.join('.')}: ${issue.message}`, {
			field: issue.path.join('.')
		});
	}
	const page = await openFindings(event.locals.db, auth.caller.teamId, query.data);
	return Response.json(
		{ team: auth.caller.teamSlug, limit: query.data.limit, offset: query.data.offset, ...page },
		{ headers: { 'Cache-Control': 'no-store' } }
	);
};
