import type { Handle } from '@sveltejs/kit';

/**
 * The largest request body a page's form may send. The server itself (BODY_SIZE_LIMIT, set to
 * 10M by `npm start`) lets pipeline uploads through up to their own limit (integrations/
 * upload-body.ts); every other route keeps the adapter's default of 512 KB, far above any form.
 */
export const FORM_BODY_LIMIT = 512 * 1024;

/** The routes that take large bodies and limit them themselves, as they stream them. */
export const uploadRoutes: ReadonlySet<string> = new Set(['/api/v1/scans', '/api/v1/sboms']);

/** Whether a request's body may be refused before it is read: 413 too large, 411 of unknown length. */
export function bodyRefusal(request: Request, routeId: string | null): 411 | 413 | null {
	if (routeId && uploadRoutes.has(routeId)) return null;
	const length = request.headers.get('content-length');
	if (length !== null) return Number(length) > FORM_BODY_LIMIT ? 413 : null;
	// A streamed body of unknown length: no browser sends a form that way.
	return request.headers.has('transfer-encoding') ? 411 : null;
}

/** Refuses a body larger than a form's before any route reads it. */
export const handleBodyLimit: Handle = ({ event, resolve }) => {
	const status = bodyRefusal(event.request, event.route.id);
	if (!status) return resolve(event);
	const text =
		status === 413
			? 'Payload Too Large: a form sends at most 512 KB.'
			: 'Length Required: send the body with a Content-Length.';
	return new Response(`${text}\n`, {
		status,
		headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }
	});
};
