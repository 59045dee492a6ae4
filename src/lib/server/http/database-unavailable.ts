import type { Handle, RequestEvent } from '@sveltejs/kit';

/** Requests that failed because the database could not be reached (handleError notes them). */
const failed = new WeakSet<Request>();

/**
 * Called by handleError for an error that isDatabaseUnavailable recognises: the database being
 * down or refusing connections is the server's state, not a bug, so the answer is 503 with
 * Retry-After — what a load balancer and a browser's user should read — instead of SvelteKit's 500.
 */
export function noteDatabaseUnavailable(event: RequestEvent): void {
	failed.add(event.request);
}

/** Turns the 500 of a request that failed for want of the database into 503 with Retry-After. */
export const handleDatabaseUnavailable: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (response.status !== 500 || !failed.has(event.request)) return response;
	const headers = new Headers(response.headers);
	headers.set('Retry-After', '5');
	return new Response(response.body, { status: 503, statusText: 'Service Unavailable', headers });
};
