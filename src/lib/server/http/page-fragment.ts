import type { Handle, RequestEvent } from '@sveltejs/kit';

/**
 * A page's body rendered ahead of SvelteKit (the dashboard, kept per data revision), spliced into
 * the HTML as it leaves. Returned as load data instead, it would be escaped into the page's data
 * script on every view, although a page without SvelteKit's client (csr = false) never reads
 * it: for the dashboard's ~55 KB that cost more than the rest of a cached view's rendering.
 * A request for the page's data (a client-side navigation) gets the HTML itself.
 */
const PLACEHOLDER = '<!--rampart:page-fragment-->';

/** What the load returns for the page to render with {@html}: the HTML, or its placeholder. */
export function pageFragment(event: RequestEvent, html: string): string {
	if (event.isDataRequest) return html;
	event.locals.pageFragment = html;
	return PLACEHOLDER;
}

/** Puts a page's fragment in place of its placeholder (the first one: Svelte escapes any other). */
export const handlePageFragment: Handle = ({ event, resolve }) =>
	resolve(event, {
		transformPageChunk: ({ html }) => {
			const fragment = event.locals.pageFragment;
			if (fragment === undefined) return html;
			const at = html.indexOf(PLACEHOLDER);
			return at < 0 ? html : html.slice(0, at) + fragment + html.slice(at + PLACEHOLDER.length);
		}
	});
