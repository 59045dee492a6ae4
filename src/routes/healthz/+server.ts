import { allowAnonymous } from '$lib/server/auth/guard';
import type { RequestHandler } from './$types';

/** The process is up (for load balancers); says nothing about the database. */
export const GET: RequestHandler = (event) => {
	allowAnonymous(event);
	return new Response('ok\n', {
		headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }
	});
};
