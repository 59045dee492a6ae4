import { createHash } from 'node:crypto';
import { version } from '$app/environment';

/**
 * A strong ETag for a page made by this build from `parts` (a data revision's validator, the
 * reader, the view): SvelteKit answers 304 itself when a request's If-None-Match equals the ETag
 * a load set with `setHeaders`. Every part that changes what the page shows (its layout
 * included) must be among `parts`, or a browser keeps showing the old page.
 */
export function etagOf(...parts: (string | number | boolean | null | undefined)[]): string {
	const hash = createHash('sha256').update([version, ...parts].join('\u0000'));
	return `"${hash.digest('base64url').slice(0, 27)}"`;
}

/**
 * Lets browsers keep a page and ask whether it changed (If-None-Match) instead of storing
 * nothing: still private, never kept by a shared cache.
 */
export const REVALIDATE = 'private, no-cache';
