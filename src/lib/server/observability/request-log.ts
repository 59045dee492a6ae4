import type { Handle, RequestEvent } from '@sveltejs/kit';
import { log, type LogLevel } from '$lib/server/log';
import { requestEnded, requestStarted } from './app-metrics';

/**
 * One log line and one count per request: its id, method, route id, status, duration, user and
 * address. Never the path (it holds invitation and reset tokens: /invite/<token>), its query,
 * cookies, the Authorization header or the body — the route id says which page without them.
 */

/**
 * An id a proxy in front may have given the request (HAProxy's unique-id, nginx's $request_id,
 * a UUID): letters, digits, dot, dash, underscore, colon, 8 to 64 of them. Anything else is
 * replaced by an id of our own.
 */
const GIVEN_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$/;

/** The request's id: the one it came with when well formed, else a new one. */
export function requestIdOf(headers: Headers): string {
	const given = headers.get('x-request-id');
	return given && GIVEN_ID.test(given) ? given : crypto.randomUUID();
}

/** Load balancers' and scrapers' routes: logged only at LOG_LEVEL=debug, they come all day. */
const probeRoutes: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/** How loud a request's line is: probes debug, server errors warn (the error itself is logged too). */
export function requestLevel(routeId: string | null, status: number): LogLevel {
	if (status >= 500) return 'warn';
	return routeId && probeRoutes.has(routeId) ? 'debug' : 'info';
}

function logRequest(event: RequestEvent, requestId: string, status: number, start: number) {
	const ms = performance.now() - start;
	requestEnded(event.request.method, event.route.id, status, ms / 1000);
	log[requestLevel(event.route.id, status)]('request', {
		requestId,
		method: event.request.method,
		route: event.route.id,
		status,
		ms: Math.round(ms * 10) / 10,
		user: event.locals.user?.id,
		ip: event.locals.ip
	});
}

/**
 * Outermost handle: gives the request its id (kept in locals for the error log, and sent back
 * as X-Request-Id), then logs and counts it once its response is ready (the body may still be
 * streaming). A handle that throws is logged as a 500 and the error goes on as before.
 */
export const handleRequestLog: Handle = async ({ event, resolve }) => {
	const start = performance.now();
	const requestId = requestIdOf(event.request.headers);
	event.locals.requestId = requestId;
	requestStarted();
	let response: Response;
	try {
		response = await resolve(event);
	} catch (e) {
		logRequest(event, requestId, 500, start);
		throw e;
	}
	logRequest(event, requestId, response.status, start);
	try {
		response.headers.set('X-Request-Id', requestId);
	} catch {
		// An immutable response (one fetched from elsewhere) goes out without it.
	}
	return response;
};
