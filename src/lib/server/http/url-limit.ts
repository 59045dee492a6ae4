import type { Handle } from '@sveltejs/kit';

/**
 * Longest address served. Rampart's own are a few hundred characters at most; a longer one only
 * makes the server send more back (redirects that repeat it, headers built from it).
 */
export const MAX_URL_LENGTH = 4096;

/** Answers 414 to an address longer than MAX_URL_LENGTH, before any route sees it. */
export const handleUrlLimit: Handle = ({ event, resolve }) => {
	if (event.request.url.length <= MAX_URL_LENGTH) return resolve(event);
	return new Response('URI Too Long: Rampart’s addresses are shorter.\n', {
		status: 414,
		headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }
	});
};
