import type { Handle } from '@sveltejs/kit';
import { isApiPath } from './api';

const FORM_TYPES = new Set([
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'text/plain',
	'application/x-sveltekit-formdata'
]);
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether a request is a form post from another site (SvelteKit's own rule, no trusted origins). */
export function isCrossSiteForm(request: Request, origin: string): boolean {
	if (!UNSAFE.has(request.method)) return false;
	const type = request.headers.get('content-type')?.split(';', 1)[0]!.trim().toLowerCase() ?? '';
	if (!FORM_TYPES.has(type)) return false;
	return request.headers.get('origin') !== origin;
}

/**
 * SvelteKit's check against cross-site form posts (CSRF), made here instead of by SvelteKit
 * (svelte.config.js trusts '*' so that its own check stands aside) so that one part of the app
 * can be left out of it: the pipeline API under /api/, which takes no cookie (only a token in a
 * header, which no form can send), so a form post cannot act for anyone there, and which
 * answers a CI client that sent the wrong content type with 415 JSON instead of SvelteKit's
 * 403 text. Everything else is refused as SvelteKit refuses it, in development too.
 */
export const handleFormOrigin: Handle = ({ event, resolve }) => {
	if (isApiPath(event.url.pathname) || !isCrossSiteForm(event.request, event.url.origin))
		return resolve(event);
	const message = `Cross-site ${event.request.method} form submissions are forbidden`;
	return event.request.headers.get('accept') === 'application/json'
		? Response.json({ message }, { status: 403 })
		: new Response(message, { status: 403, headers: { 'Content-Type': 'text/plain' } });
};
