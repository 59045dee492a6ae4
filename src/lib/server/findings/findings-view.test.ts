import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '$lib/server/content/markdown';
import {
	ageGroup,
	countFromFacets,
	locationLink,
	locationText,
	readFilters,
	weeklySeries,
	type AnalysisName,
	type FacetRow
} from './findings-view';

describe('the findings page’s rules', () => {
	const known = { tools: ['Semgrep OSS', 'Grype'], repositories: ['payments/api'] };
	const read = (q: string) => readFilters(new URLSearchParams(q), known);

	it('reads the filters it offers and ignores anything else', () => {
		expect(
			read('state=fixed&severity=high&tool=Grype&repository=payments/api&q=%20sql%20&page=3')
		).toEqual({
			filters: {
				view: 'fixed',
				severity: 'high',
				tool: 'Grype',
				repository: 'payments/api',
				text: 'sql'
			},
			page: 3
		});
		const ignored = {
			filters: { view: 'open', severity: null, tool: null, repository: null, text: null },
			page: 1
		};
		for (const q of [
			'state=all&severity=urgent&tool=grype&repository=x',
			'state=&severity=&tool=&repository=&q=%20%20',
			'page=0',
			'page=-2',
			'page=1.5',
			'page=abc',
			'page=99999999999999999999',
			'state=__proto__&severity=constructor&tool=toString'
		])
			expect(read(q).filters.view, q).toBe('open');
		expect(read('page=abc&severity=urgent')).toEqual(ignored);
		expect(read('page=0').page).toBe(1);
		expect(read('page=1e3').page).toBe(1000);
		// Text is kept to 200 characters.
		expect(read(`q=${'x'.repeat(500)}`).filters.text).toHaveLength(200);
	});

	it('groups ages at 7, 30, 90 and 180 days', () => {
		expect([0, 6.99, 7, 29.9, 30, 89, 90, 179.9, 180, 5000].map(ageGroup)).toEqual([
			0, 0, 1, 1, 2, 2, 3, 3, 4, 4
		]);
	});

	it('counts the list from the figures when it can', () => {
		const more = { category: '', webAddress: null, defaultBranch: 'main' };
		const analyses: AnalysisName[] = [
			{ id: 'a', tool: 'Semgrep OSS', repositoryId: 'r1', repository: 'payments/api', ...more },
			{ id: 'b', tool: 'Grype', repositoryId: 'r1', repository: 'payments/api', ...more },
			{ id: 'c', tool: 'Semgrep OSS', repositoryId: 'r2', repository: 'payments/web', ...more }
		];
		const row = (
			view: FacetRow['view'],
			severity: FacetRow['severity'],
			analysisId: string,
			n: number
		): FacetRow => ({
			view,
			severity,
			analysisId,
			age: null,
			n,
			oldestDays: 1
		});
		const rows = [
			row('open', 'high', 'a', 3),
			row('open', 'low', 'b', 2),
			row('open', 'high', 'c', 5),
			row('suppressed', 'high', 'a', 7),
			row('dismissed', 'low', 'c', 1)
		];
		const filters = {
			view: 'open',
			severity: null,
			tool: null,
			repository: null,
			text: null
		} as const;
		expect(countFromFacets(rows, filters, analyses)).toBe(10);
		expect(countFromFacets(rows, { ...filters, severity: 'high' }, analyses)).toBe(8);
		expect(countFromFacets(rows, { ...filters, tool: 'Semgrep OSS' }, analyses)).toBe(8);
		expect(countFromFacets(rows, { ...filters, repository: 'payments/api' }, analyses)).toBe(5);
		expect(
			countFromFacets(rows, { ...filters, tool: 'Grype', repository: 'payments/web' }, analyses)
		).toBe(0);
		expect(countFromFacets(rows, { ...filters, view: 'suppressed' }, analyses)).toBe(7);
		expect(countFromFacets(rows, { ...filters, text: 'x' }, analyses)).toBeNull();
		expect(countFromFacets(rows, { ...filters, view: 'fixed' }, analyses)).toBeNull();
	});

	it('fills twelve weeks, ending with this one', () => {
		const now = new Date('2026-05-13T10:00:00Z'); // a Wednesday
		const series = weeklySeries(
			[
				{ kind: 'new', week: '2026-05-11', n: 3 },
				{ kind: 'fixed', week: '2026-02-23', n: 2 },
				// Before the first week: not shown.
				{ kind: 'new', week: '2026-02-16', n: 9 }
			],
			now
		);
		expect(series.weeks[0]).toBe('2026-02-23');
		expect(series.weeks.at(-1)).toBe('2026-05-11');
		expect(series.new).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]);
		expect(series.fixed).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
	});

	it('links a file only under an http(s) web address, inside the repository, encoded', () => {
		const web = 'https://git.example.com/payments/api';
		expect(locationLink(web, 'main', 'src/app.ts', 12)).toBe(
			'https://git.example.com/payments/api/blob/main/src/app.ts#L12'
		);
		expect(locationLink(`${web}/`, 'release/2.x', 'src/a b#?%.ts', null)).toBe(
			'https://git.example.com/payments/api/blob/release/2.x/src/a%20b%23%3F%25.ts'
		);
		expect(locationLink(web, 'main', 'src/<script>.ts', 1)).toBe(
			'https://git.example.com/payments/api/blob/main/src/%3Cscript%3E.ts#L1'
		);
		for (const [address, path] of [
			[null, 'src/app.ts'],
			[web, null],
			['javascript:alert(1)//', 'src/app.ts'],
			['data:text/html,x', 'src/app.ts'],
			['ftp://git.example.com/x', 'src/app.ts'],
			['https://user:pw@git.example.com/x', 'src/app.ts'],
			['not a url', 'src/app.ts'],
			[web, '../../etc/passwd'],
			[web, 'src/../../x'],
			[web, '/home/runner/work/app.ts'],
			[web, 'C:\\work\\app.ts'],
			[web, 'javascript:alert(1)'],
			[web, 'src//app.ts']
		] as const)
			expect(locationLink(address, 'main', path, 1), `${address} ${path}`).toBeNull();
	});

	it('writes a location as path:line', () => {
		expect(locationText('src/a.ts', 3, null)).toBe('src/a.ts:3');
		expect(locationText('src/a.ts', 3, 3)).toBe('src/a.ts:3');
		expect(locationText('src/a.ts', 3, 9)).toBe('src/a.ts:3-9');
		expect(locationText('src/a.ts', null, null)).toBe('src/a.ts');
		expect(locationText(null, 3, null)).toBeNull();
	});

	it('renders a scanner’s help inert: no HTML, no script links, images as their text', () => {
		const { html } = renderMarkdown(
			[
				'<script>alert(1)</script> <img src=x onerror=alert(2)>',
				'[click](javascript:alert(3)) [data](data:text/html,x) [vb](vbscript:x)',
				'![pixel](https://evil.example/p.png) ![local](/favicon.png)',
				'[ok](https://owasp.org/)'
			].join('\n\n'),
			{ imagesAsText: true }
		);
		expect(html).not.toMatch(/<script|<img|<[^>]*onerror/i);
		// Refused links stay as their text; the one allowed link is the only anchor.
		expect(html.match(/<a /g)).toHaveLength(1);
		expect(html).toContain('&lt;script&gt;');
		expect(html).toContain('pixel');
		expect(html).toContain('<a href="https://owasp.org/" rel="noopener noreferrer">ok</a>');
	});
});
