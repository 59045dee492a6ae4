import { describe, expect, it } from 'vitest';
import type { RequestEvent, ResolveOptions } from '@sveltejs/kit';
import { handlePageFragment, pageFragment } from './page-fragment';

describe('a page fragment rendered ahead of SvelteKit', () => {
	const event = (isDataRequest: boolean) =>
		({ isDataRequest, locals: {} }) as unknown as RequestEvent;
	/** Runs the hook around a "page" whose load hands over `fragment` and renders `page(marker)`. */
	const serve = async (e: RequestEvent, fragment: string, page: (marker: string) => string) => {
		let sent = '';
		await handlePageFragment({
			event: e,
			resolve: async (_event: RequestEvent, opts?: ResolveOptions) => {
				const html = page(pageFragment(e, fragment));
				sent = String(await opts!.transformPageChunk!({ html, done: true }));
				return new Response(sent);
			}
		});
		return sent;
	};

	it('leaves the page data with a placeholder and puts the HTML in its place as the page leaves', async () => {
		const e = event(false);
		let data = '';
		const sent = await serve(e, '<table>figures</table>', (marker) => {
			data = marker;
			return `<main>${marker}</main><script>data: ${JSON.stringify(marker)}</script>`;
		});
		expect(data).not.toContain('figures');
		expect(sent.startsWith('<main><table>figures</table></main>')).toBe(true);
		// Only the first placeholder: the data script still holds the (escaped) placeholder.
		expect(sent.match(/figures/g)).toHaveLength(1);
	});

	it('gives a request for the page data (a client-side navigation) the HTML itself', () => {
		expect(pageFragment(event(true), '<table>figures</table>')).toBe('<table>figures</table>');
	});

	it('changes nothing on a page without a fragment', async () => {
		const e = event(false);
		let sent = '';
		await handlePageFragment({
			event: e,
			resolve: async (_event, opts) => {
				sent = String(await opts!.transformPageChunk!({ html: '<p>x</p>', done: true }));
				return new Response(sent);
			}
		});
		expect(sent).toBe('<p>x</p>');
	});
});
