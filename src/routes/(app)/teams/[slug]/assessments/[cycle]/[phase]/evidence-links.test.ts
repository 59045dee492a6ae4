import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import CriterionRow from './CriterionRow.svelte';

/** Each rendered link with the host shown beside it. */
function linksWithHosts(html: string) {
	return [
		...html.matchAll(
			/<a href="([^"]*)"[^>]*>([^<]*)<\/a>\s*<span class="host[^"]*">\(([^)]*)\)<\/span>/g
		)
	].map(([, href, text, host]) => ({ href, text, host }));
}

describe('evidence links on the phase form', () => {
	const row = (evidence: string[]) =>
		render(CriterionRow, {
			props: {
				criterion: {
					id: 'c1',
					text: 'SAST runs on every pull request',
					answer: { value: 1, comment: '', evidence, version: 1 },
					previous: null
				},
				editable: false
			}
		}).body;

	it('shows the real host beside every link, punycode for look-alike letters', () => {
		const html = row([
			'https://github.com/acme/payments/actions',
			'https://u:p@evil.example/',
			'https://user@evil.example/',
			'https://\u0430pple.com/security'
		]);
		expect(linksWithHosts(html)).toEqual([
			{
				href: 'https://github.com/acme/payments/actions',
				text: 'https://github.com/acme/payments/actions',
				host: 'github.com'
			},
			{
				href: 'https://u:p@evil.example/',
				text: 'https://u:p@evil.example/',
				host: 'evil.example'
			},
			{
				href: 'https://user@evil.example/',
				text: 'https://user@evil.example/',
				host: 'evil.example'
			},
			{
				href: 'https://\u0430pple.com/security',
				text: 'https://\u0430pple.com/security',
				host: 'xn--pple-43d.com'
			}
		]);
		expect(html).toContain('aria-describedby="evidence-links-c1"');
		expect(html).toContain('<ul class="links');
		expect(html).toMatch(/id="evidence-links-c1"/);
	});

	it('never makes a link of text that is not a web address', () => {
		const html = row(['javascript:alert(1)']);
		expect(html).not.toContain('href="javascript:');
		expect(html).toContain('(not a web address)');
	});

	it('shows no list without evidence', () => {
		const html = row([]);
		expect(html).not.toContain('evidence-links-c1');
	});
});
