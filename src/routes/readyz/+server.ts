import { allowAnonymous } from '$lib/server/auth/guard';
import { isDatabaseReady } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** Ready to serve: the database answers. */
export const GET: RequestHandler = async (event) => {
	allowAnonymous(event);
	const ready = await isDatabaseReady();
	return new Response(ready ? 'ready\n' : 'database unavailable\n', {
		status: ready ? 200 : 503,
		headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }
	});
};
