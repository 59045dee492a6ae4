import type { Handle, RequestEvent } from '@sveltejs/kit';
import { isStorageFull } from '$lib/server/db/errors';

export const STORAGE_FULL_MESSAGE =
	"The server's storage is full: nothing was saved. Reading works; try again once your Rampart administrator has freed some space.";

/**
 * Called by handleError: a write refused because the storage is full is the server's state, not
 * a bug, so it answers 503 with a message that says so (SvelteKit renders errors as 500; the
 * handle below changes the status once the response is made).
 */
export function storageFullError(error: unknown, event: RequestEvent): App.Error | null {
	if (!isStorageFull(error)) return null;
	event.locals.storageFull = true;
	return { message: STORAGE_FULL_MESSAGE };
}

/** Turns the 500 of a request that failed on a full disk into 503 with Retry-After. */
export const handleStorageFull: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (!event.locals.storageFull || response.status !== 500) return response;
	const headers = new Headers(response.headers);
	headers.set('Retry-After', '60');
	return new Response(response.body, { status: 503, statusText: 'Service Unavailable', headers });
};
