import type { Handle } from '@sveltejs/kit';

/** The pipeline API: token-authenticated, no cookies, JSON in and out. */
export const API_PREFIX = '/api/';

export function isApiPath(pathname: string): boolean {
	return pathname.startsWith(API_PREFIX) || pathname === '/api';
}

/** The error codes the API answers with, by status (the `error` field of every error body). */
export const apiErrorCodes: Record<number, string> = {
	400: 'bad_request',
	401: 'unauthorized',
	403: 'forbidden',
	404: 'not_found',
	405: 'method_not_allowed',
	411: 'length_required',
	413: 'payload_too_large',
	414: 'uri_too_long',
	415: 'unsupported_media_type',
	429: 'too_many_requests',
	500: 'internal_error',
	503: 'unavailable'
};

const generic: Record<number, string> = {
	400: 'The request could not be read.',
	401: 'Send a team API token as "Authorization: Bearer rampart_pat_…".',
	403: 'This token may not do that.',
	404: 'There is no API endpoint at this address.',
	405: 'This endpoint does not take that method.',
	413: 'The request is larger than this server accepts.',
	414: 'The address is too long.',
	415: 'This endpoint does not take that content type.',
	429: 'Too many requests: wait for the time in Retry-After and try again.',
	500: 'Something went wrong on our side.',
	503: 'The server cannot take this now: try again after the time in Retry-After.'
};

/** An API error: JSON `{ error, message }` (plus what `more` adds), never cached. */
export function apiError(
	status: number,
	message: string,
	more: Record<string, unknown> = {},
	headers: Record<string, string> = {}
): Response {
	return Response.json(
		{ error: apiErrorCodes[status] ?? 'error', message, ...more },
		{ status, headers: { 'Cache-Control': 'no-store', ...headers } }
	);
}

/**
 * Every answer under /api/ is JSON, never sets a cookie and is never cached: an error made
 * elsewhere (an unknown address, a wrong method, the address checks, the request budget, an
 * unexpected error) is rewritten as `{ error, message }`, keeping its status, Retry-After and
 * Allow, and the error id of an unexpected error. Sessions are not read here (hooks.server.ts
 * skips them), so a cookie can neither sign an API request in nor come back with one.
 */
export const handleApi: Handle = async ({ event, resolve }) => {
	if (!isApiPath(event.url.pathname)) return resolve(event);
	const response = await resolve(event);
	const headers = new Headers(response.headers);
	headers.delete('set-cookie');
	if (!headers.has('cache-control') || response.status >= 400)
		headers.set('Cache-Control', 'no-store');
	if (response.status < 400 || (await isApiErrorBody(response))) {
		return new Response(response.body, { status: response.status, headers });
	}
	const told = await readMessage(response);
	const errorId = told?.errorId ?? event.locals.errorId ?? null;
	const body = {
		error: apiErrorCodes[response.status] ?? 'error',
		message: told?.message ?? generic[response.status] ?? 'The request failed.',
		...(errorId ? { errorId } : {})
	};
	for (const name of ['content-type', 'content-length', 'content-encoding', 'etag'])
		headers.delete(name);
	headers.set('Content-Type', 'application/json');
	return new Response(JSON.stringify(body), { status: response.status, headers });
};

async function isApiErrorBody(response: Response): Promise<boolean> {
	if (!response.headers.get('content-type')?.startsWith('application/json')) return false;
	const body = (await response
		.clone()
		.json()
		.catch(() => null)) as { error?: unknown } | null;
	return typeof body?.error === 'string';
}

/** SvelteKit's own JSON error (`{ message, errorId }`), when it made one; its HTML pages say nothing useful here. */
async function readMessage(
	response: Response
): Promise<{ message: string | null; errorId: string | null } | null> {
	if (!response.headers.get('content-type')?.startsWith('application/json')) {
		await response.body?.cancel();
		return null;
	}
	const body = (await response.json().catch(() => null)) as {
		message?: unknown;
		errorId?: unknown;
	} | null;
	if (!body) return null;
	return {
		message: typeof body.message === 'string' && body.message ? body.message : null,
		errorId: typeof body.errorId === 'string' ? body.errorId : null
	};
}
