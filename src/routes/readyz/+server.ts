import { allowAnonymous } from '$lib/server/auth/guard';
import { isDatabaseReady } from '$lib/server/db';
import { isShuttingDown } from '$lib/server/http/shutdown';
import type { RequestHandler } from './$types';

/** Ready to serve: the database answers and the instance is not draining to stop (shutdown.ts). */
export const GET: RequestHandler = async (event) => {
	allowAnonymous(event);
	const problem = isShuttingDown()
		? 'shutting down'
		: (await isDatabaseReady())
			? null
			: 'database unavailable';
	return new Response(problem ? `${problem}\n` : 'ready\n', {
		status: problem ? 503 : 200,
		headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }
	});
};
