import { expect, test } from '@playwright/test';
import { demo, paintedCanvases, signIn } from './fixtures';

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
	await expect(page.getByRole('table', { name: /Achieved level/ })).toBeVisible();
	// Served without SvelteKit's client: the standalone chart script draws every chart, and it
	// is the only JavaScript the page loads besides Chart.js.
	await expect.poll(() => paintedCanvases(page)).toEqual({ drawn: 4, total: 4 });
	const scripts = await page
		.locator('script[src]')
		.evaluateAll((s) => s.map((e) => new URL((e as HTMLScriptElement).src).pathname));
	expect(scripts).toEqual(['/_app/charts.js']);

	// Reached from a page with SvelteKit's client, the dashboard is rendered in the browser: its
	// charts are drawn all the same, once each.
	await page.goto(`${demo.url}/training`);
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Dashboard' })
		.click();
	await expect(page).toHaveURL(/\/dashboard$/);
	await expect(page.getByRole('table', { name: /Achieved level/ })).toBeVisible();
	await expect.poll(() => paintedCanvases(page)).toEqual({ drawn: 4, total: 4 });
	// Back and forward again: rendered in the browser a second time, where the chart script has
	// already run.
	await page.goBack();
	await expect(page).toHaveURL(/\/training$/);
	await page.goForward();
	await expect(page.getByRole('table', { name: /Achieved level/ })).toBeVisible();
	await expect.poll(() => paintedCanvases(page)).toEqual({ drawn: 4, total: 4 });

	await page.getByLabel('Cycle', { exact: true }).selectOption('2026-Q3');
	await page.getByLabel('Org unit', { exact: true }).selectOption({ label: '— Payments' });
	await page.getByRole('button', { name: 'Show' }).click();
	const heatmap = page.getByRole('table', { name: /Achieved level/ });
	await expect(heatmap.getByRole('rowheader')).toHaveText([
		'Checkout Web',
		'Fraud Detection',
		'Payments API'
	]);

	// The full heatmap is plain HTML: links and a GET form, no JavaScript sent.
	await page.goto(`${demo.url}/dashboard/heatmap?cycle=2026-Q3&sort=score`);
	const everyTeam = page.getByRole('table', { name: /Achieved level/ }).getByRole('rowheader');
	await expect(everyTeam.filter({ hasText: 'Cloud Platform' })).toBeVisible();
	expect(await everyTeam.count()).toBeGreaterThan(3);
	expect(await page.locator('script, link[rel="modulepreload"]').count()).toBe(0);
	await page.goBack();

	await page.getByRole('link', { name: 'Printable report' }).click();
	await expect(
		page.getByRole('heading', { name: 'DevSecOps maturity report, 2026-Q3' })
	).toBeVisible();
	const summary = await page.getByRole('region', { name: 'Summary' }).textContent();
	const shown = Number(summary!.match(/The organisation scores (\d+\.\d+) of 4/)![1]);

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

	const pdf = await page.pdf({ format: 'A4', printBackground: true });
	const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
	expect(pages).toBeGreaterThanOrEqual(2);
	expect(pages).toBeLessThanOrEqual(12);
});

test('a member sees anonymous organisation figures and no other team', async ({ page }) => {
	await signIn(page, demo.url, demo.member, demo.password);
	await page.goto(`${demo.url}/dashboard`);
	await expect(page.getByText('Organisation figures are anonymous')).toBeVisible();
	await expect(
		page
			.getByRole('table', { name: /Achieved level/ })
			.getByRole('rowheader', { name: 'Payments API' })
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
