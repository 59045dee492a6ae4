import { allowAnonymous } from '$lib/server/auth/guard';
import { openApiDocument } from '$lib/server/integrations/openapi';
import type { RequestHandler } from './$types';

/** The API's OpenAPI 3.1 description: public, it holds no team's data. */
export const GET: RequestHandler = (event) => {
	allowAnonymous(event);
	return Response.json(openApiDocument, { headers: { 'Cache-Control': 'public, max-age=300' } });
};
