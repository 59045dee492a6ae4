import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import ExternalLink from './ExternalLink.svelte';

describe('ExternalLink', () => {
	const html = (props: { href: string; label?: string }) =>
		render(ExternalLink, { props }).body.replace(/<!--[^>]*-->/g, '');

	it('shows a tool homepage under the tool’s name, its real host beside it', () => {
		expect(html({ href: 'https://semgrep.dev/docs', label: 'Semgrep' })).toMatch(
			/^<a href="https:\/\/semgrep\.dev\/docs" rel="noopener noreferrer nofollow"[^>]*>Semgrep<\/a>\s*<span class="host[^"]*">\(semgrep\.dev\)<\/span>$/
		);
	});

	it('names the host a look-alike link really goes to', () => {
		expect(html({ href: 'https://semgrep.dev@evil.example/', label: 'Semgrep' })).toContain(
			'(evil.example)'
		);
		expect(html({ href: 'http://evil.example\\@semgrep.dev', label: 'Semgrep' })).toContain(
			'(evil.example)'
		);
		expect(html({ href: 'https://s\u0435mgrep.dev/', label: 'Semgrep' })).toContain(
			'(xn--smgrep-3of.dev)'
		);
	});

	it('makes no link of anything but a web address', () => {
		const out = html({ href: 'javascript:alert(1)', label: 'Evil' });
		expect(out).not.toContain('<a');
		expect(out).toContain('(not a web address)');
	});
});
