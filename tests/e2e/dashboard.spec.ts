import { expect, test, type Page } from '@playwright/test';
import { demo, paintedCanvases, signIn, signOut } from './fixtures';

/**
 * Charts drawn on canvas on leadership's dashboard: phases, levels, targets, 7 trends, tools,
 * responsibility, open critical and high findings per unit.
 */
const CHARTS = 13;
/** Their tables (the trends share one). */
const TABLES = 7;
/** The heatmap, by its caption. */
const HEATMAP = /per team and practice/;

const otherTeams = [
	'Checkout Web',
	'Fraud Detection',
	'Mobile App',
	'Customer Portal',
	'Cloud Platform',
	'Identity'
];

test('leadership filters the dashboard, opens the report, downloads the CSV; the numbers agree', async ({
	page
}) => {
	await signIn(page, demo.url, demo.leadership, demo.password);
	await expect(page).toHaveURL(/\/dashboard$/);
	await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
	await expect(page.getByRole('table', { name: HEATMAP })).toBeVisible();
	// SvelteKit's own page: the chart components draw their canvases once the page is live.
	await expect.poll(() => paintedCanvases(page)).toEqual({ drawn: CHARTS, total: CHARTS });

	// Reached by a client-side navigation, it is drawn all the same, once each; and again after
	// back and forward.
	await page.goto(`${demo.url}/training`);
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Dashboard' })
		.click();
	await expect(page).toHaveURL(/\/dashboard$/);
	await expect(page.getByRole('table', { name: HEATMAP })).toBeVisible();
	await expect.poll(() => paintedCanvases(page)).toEqual({ drawn: CHARTS, total: CHARTS });
	await page.goBack();
	await expect(page).toHaveURL(/\/training$/);
	await page.goForward();
	await expect(page.getByRole('table', { name: HEATMAP })).toBeVisible();
	await expect.poll(() => paintedCanvases(page)).toEqual({ drawn: CHARTS, total: CHARTS });

	await page.getByLabel('Cycle', { exact: true }).selectOption('2026-Q3');
	await page.getByLabel('Org unit', { exact: true }).selectOption({ label: '— Payments' });
	await page.getByRole('button', { name: 'Show' }).click();
	const heatmap = page.getByRole('table', { name: HEATMAP });
	await expect(heatmap.getByRole('rowheader')).toHaveText([
		'Checkout Web',
		'Fraud Detection',
		'Payments API'
	]);
	// The charts follow the figures of the new selection.
	await expect
		.poll(() => page.getByRole('table', { name: 'Maturity score per phase (0–4)' }).textContent())
		.toContain('2026-Q3');
	await expect.poll(() => paintedCanvases(page)).toEqual({ drawn: CHARTS, total: CHARTS });

	// The full heatmap is plain HTML: links and a GET form, no JavaScript sent.
	await page.goto(`${demo.url}/dashboard/heatmap?cycle=2026-Q3&sort=score`);
	const everyTeam = page.getByRole('table', { name: HEATMAP }).getByRole('rowheader');
	await expect(everyTeam.filter({ hasText: 'Cloud Platform' })).toBeVisible();
	expect(await everyTeam.count()).toBeGreaterThan(3);
	expect(await page.locator('script, link[rel="modulepreload"]').count()).toBe(0);
	await page.goBack();

	await page.getByRole('link', { name: 'Printable report' }).click();
	await expect(
		page.getByRole('heading', { name: 'DevSecOps maturity report, 2026-Q3' })
	).toBeVisible();
	// The demo's executive summary for the closed cycle, rendered from markdown.
	const summary = page.getByRole('region', { name: 'Executive summary' });
	await expect(summary.locator('.prose strong').first()).toBeVisible();
	const figures = await summary.getByRole('list').last().textContent();
	const shown = Number(figures!.match(/The organisation scores (\d+\.\d+) of 4/)![1]);
	await expect(page.getByRole('region', { name: 'Improvement plans' })).toBeVisible();

	const download = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Practices CSV' }).click();
	const csv = await (await (await download).createReadStream()).toArray();
	const [header, ...rows] = parseCsv(Buffer.concat(csv).toString('utf8'));
	const col = (name: string) => header!.indexOf(name);
	expect(new Set(rows.map((r) => r[col('team_slug')]))).toEqual(
		new Set(['payments-api', 'checkout-web', 'fraud-detection'])
	);
	// Team score = mean of phase scores = mean of applicable practice scores per phase.
	const teamScores = [...new Set(rows.map((r) => r[col('team_slug')]!))].map((slug) => {
		const mine = rows.filter(
			(r) => r[col('team_slug')] === slug && r[col('not_applicable')] === 'false'
		);
		const phases = [...new Set(mine.map((r) => r[col('phase')]!))].map((ph) => {
			const xs = mine.filter((r) => r[col('phase')] === ph).map((r) => Number(r[col('score')]));
			return xs.reduce((a, b) => a + b, 0) / xs.length;
		});
		return phases.reduce((a, b) => a + b, 0) / phases.length;
	});
	const mean = teamScores.reduce((a, b) => a + b, 0) / teamScores.length;
	expect(mean.toFixed(2)).toBe(shown.toFixed(2));
});

test('the first two screens hold the headline, the phases, the heatmap and where to act; the tables are one click away', async ({
	page
}) => {
	await page.setViewportSize({ width: 1440, height: 900 });
	await signIn(page, demo.url, demo.leadership, demo.password);
	await page.goto(`${demo.url}/dashboard`);
	const bottom = async (name: string, locator: ReturnType<Page['locator']>) => {
		const box = await locator.boundingBox();
		expect(box, name).not.toBeNull();
		const scrolled = await page.evaluate(() => window.scrollY);
		return { name, bottom: Math.round(box!.y + scrolled + box!.height) };
	};
	const parts = [
		await bottom('headline', page.getByRole('region', { name: 'Headline figures' })),
		await bottom('two scales', page.getByRole('complementary', { name: 'Two scales' })),
		await bottom(
			'phase scores',
			page.getByRole('figure', { name: 'Maturity score per phase (0–4)' })
		),
		await bottom('levels', page.getByRole('figure', { name: 'Achieved level per phase (teams)' })),
		await bottom('heatmap', page.getByRole('table', { name: HEATMAP })),
		await bottom('where to act', page.getByRole('region', { name: 'Where to act' }))
	];
	expect(parts.filter((p) => p.bottom > 1800)).toEqual([]);

	// Every chart's table is in the accessibility tree while its disclosure is closed, and takes no
	// room on the screen; one click shows it.
	const disclosures = page.locator('details.chart-data');
	expect(await disclosures.count()).toBe(TABLES);
	for (const details of await disclosures.all()) {
		await expect(details).not.toHaveAttribute('open');
		const table = details.getByRole('table');
		await expect(table).toHaveCount(1);
		const box = await details.locator('.chart-table').boundingBox();
		expect(box!.width * box!.height).toBeLessThanOrEqual(1);
	}
	const tree = await page.locator('main').ariaSnapshot();
	for (const name of [
		'Maturity score per phase (0–4)',
		'Achieved level per phase (teams)',
		'Practice targets met, per phase',
		'Maturity score (0–4) of the organisation and each phase, per cycle',
		'Responsibility per practice (teams)'
	])
		expect(tree).toContain(`table "${name}"`);
	const levels = page.locator('details.chart-data', {
		has: page.getByRole('table', { name: 'Achieved level per phase (teams)' })
	});
	await levels.locator('summary').click();
	await expect(levels).toHaveAttribute('open');
	const shown = await levels.locator('.chart-table').boundingBox();
	expect(shown!.height).toBeGreaterThan(100);
	// Both scales are named and explained where they meet.
	await expect(page.getByRole('complementary', { name: 'Two scales' })).toContainText(
		'maturity score (0.00–4.00)'
	);
	await expect(page.getByRole('complementary', { name: 'Two scales' })).toContainText(
		'achieved level (level 0–4)'
	);
	// The heatmap names each practice in full and has a legend.
	await expect(
		page.getByRole('columnheader', { name: 'Interactive and runtime analysis (IAST, RASP)' })
	).toBeVisible();
	await expect(page.getByText('Achieved level:', { exact: true })).toBeVisible();
});

test('an unchanged dashboard answers a browser that holds it with 304', async ({ page }) => {
	await signIn(page, demo.url, demo.leadership, demo.password);
	const first = await page.request.get(`${demo.url}/dashboard?cycle=2026-Q3`);
	expect(first.status()).toBe(200);
	const etag = first.headers()['etag']!;
	expect(etag).toMatch(/^"[\w-]+"$/);
	expect(first.headers()['cache-control']).toBe('private, no-cache');
	const again = await page.request.get(`${demo.url}/dashboard?cycle=2026-Q3`, {
		headers: { 'if-none-match': etag }
	});
	expect(again.status()).toBe(304);
	expect(await again.body()).toHaveLength(0);
	// Another view, or a stale tag, gets the page.
	const other = await page.request.get(`${demo.url}/dashboard?cycle=2026-Q2`, {
		headers: { 'if-none-match': etag }
	});
	expect(other.status()).toBe(200);
	// The browser itself keeps the page and revalidates it: a reload is a 304 at the network.
	await page.goto(`${demo.url}/dashboard?cycle=2026-Q3`);
	const reload = page.waitForResponse((r) => r.url().endsWith('/dashboard?cycle=2026-Q3'));
	await page.reload();
	expect([200, 304]).toContain((await reload).status());
	await expect(page.getByRole('table', { name: HEATMAP })).toBeVisible();
});

test('the report prints to PDF on A4 with its charts, no table cut across pages', async ({
	page
}) => {
	await signIn(page, demo.url, demo.leadership, demo.password);
	await page.goto(`${demo.url}/reports/2026-Q3`);
	await expect(page.getByRole('region', { name: 'Executive summary' })).toBeVisible();
	// Levels and seven trends on canvas; the radar is SVG.
	await expect.poll(() => paintedCanvases(page)).toEqual({ drawn: 9, total: 9 });
	await expect(
		page
			.getByRole('figure', { name: 'Maturity score per phase (0–4)' })
			.locator('svg polygon.series')
	).toHaveCount(2);

	const pdf = await page.pdf({ format: 'A4', printBackground: true });
	expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
	const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
	expect(pages).toBeGreaterThanOrEqual(4);
	expect(pages).toBeLessThanOrEqual(14);

	// As printed (A4 less the report's margins: 186 mm at 96 dpi), every table row, chart and
	// team plan fits a page and is kept whole, and a table running onto the next page repeats
	// its header.
	await page.emulateMedia({ media: 'print' });
	await page.setViewportSize({ width: 703, height: 1000 });
	const layout = await page.evaluate(() => {
		const pageHeight = ((297 - 30) / 25.4) * 96;
		const kept = [
			...document.querySelectorAll('main tr, main figure, main .team-plan, main section.keep')
		];
		return {
			kept: kept.length,
			notKept: kept
				.filter((e) => getComputedStyle(e).breakInside !== 'avoid')
				.map((e) => e.tagName + '.' + e.className),
			tooTall: kept
				.filter((e) => e.getBoundingClientRect().height > pageHeight)
				.map((e) => e.tagName + '.' + e.className),
			headers: [...document.querySelectorAll('main thead')].map((e) => getComputedStyle(e).display),
			wide: document.scrollingElement!.scrollWidth
		};
	});
	expect(layout.kept).toBeGreaterThan(50);
	expect(layout.notKept).toEqual([]);
	expect(layout.tooTall).toEqual([]);
	expect(new Set(layout.headers)).toEqual(new Set(['table-header-group']));
	expect(layout.wide).toBeLessThanOrEqual(703);
});

test('the security team writes the executive summary on the report; leadership only reads it', async ({
	page
}) => {
	await signIn(page, demo.url, demo.security, demo.password);
	await page.goto(`${demo.url}/reports/2026-Q4`);
	await page.getByText('Edit the executive summary').click();
	await page
		.getByLabel('Summary (markdown)')
		.fill('Quarter in **one line**.\n\n<script>alert(1)</script> [bad](javascript:alert(1))');
	await page.getByRole('button', { name: 'Save summary' }).click();
	const summary = page.getByRole('region', { name: 'Executive summary' });
	await expect(summary.locator('strong', { hasText: 'one line' })).toBeVisible();
	await expect(summary).toContainText('<script>alert(1)</script>');
	await expect(summary.locator('script')).toHaveCount(0);
	await expect(summary.getByRole('link', { name: 'bad' })).toHaveCount(0);
	await signOut(page);

	await signIn(page, demo.url, demo.leadership, demo.password);
	await page.goto(`${demo.url}/reports/2026-Q4`);
	await expect(page.getByRole('region', { name: 'Executive summary' })).toContainText('one line');
	await expect(page.getByText('Edit the executive summary')).toHaveCount(0);
	const refused = await page.request.post(`${demo.url}/reports/2026-Q4?/summary`, {
		form: { summary: 'Leadership rewrites it', seen: '' },
		headers: { origin: demo.url }
	});
	expect(refused.status()).toBe(403);
	await page.reload();
	await expect(page.getByRole('region', { name: 'Executive summary' })).toContainText('one line');
});

test('a member sees anonymous organisation figures and no other team', async ({ page }) => {
	await signIn(page, demo.url, demo.member, demo.password);
	await page.goto(`${demo.url}/dashboard`);
	await expect(page.getByText('Organisation figures are anonymous')).toBeVisible();
	await expect(
		page.getByRole('table', { name: HEATMAP }).getByRole('rowheader', { name: 'Payments API' })
	).toBeVisible();
	const html = await page.content();
	for (const name of otherTeams) expect(html).not.toContain(name);
	for (const path of [
		'/dashboard/heatmap',
		'/reports',
		'/reports/2026-Q3',
		'/reports/2026-Q3/practices.csv',
		'/reports/all/tools.csv',
		'/reports/2026-Q3/report.json'
	]) {
		const res = await page.request.get(`${demo.url}${path}`);
		expect(res.status(), path).toBe(403);
	}
	const cell = await page.request.get(`${demo.url}/h/checkout-web/threat-modeling`, {
		maxRedirects: 0
	});
	expect(cell.status()).toBe(404);
});

/** A small RFC 4180 reader: quoted fields may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(field);
			field = '';
		} else if (c === '\r' && text[i + 1] === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			i++;
		} else field += c;
	}
	if (field || row.length) rows.push([...row, field]);
	return rows;
}
