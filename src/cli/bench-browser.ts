// The browser side of `npm run bench`: in Debian's Chromium, how long after navigation the
// dashboard's heatmap is visible on a cold cache, and how much gzipped JavaScript the page loads.
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';

export interface BrowserFigures {
	/** Median over fresh browser contexts (cold cache), ms from navigation to a visible heatmap. */
	heatmapVisibleMs: number;
	runsMs: number[];
	/** The JavaScript files the page loaded, gzipped at level 6 as a server would send them. */
	jsGzipKb: number;
	jsFiles: number;
}

export async function measureBrowser(
	origin: string,
	cookie: string,
	path = '/dashboard',
	runs = 5
): Promise<BrowserFigures> {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
	});
	const [name, ...value] = cookie.split(';')[0]!.split('=');
	const runsMs: number[] = [];
	let js = new Map<string, number>();
	try {
		for (let i = 0; i < runs; i++) {
			const context = await browser.newContext();
			await context.addCookies([{ name: name!, value: value.join('='), url: origin }]);
			const page = await context.newPage();
			const scripts = new Map<string, number>();
			page.on('response', async (res) => {
				if (res.request().resourceType() !== 'script') return;
				try {
					scripts.set(res.url(), gzipSync(await res.body()).length);
				} catch {
					// A response without a body (a redirect) loads no code.
				}
			});
			const started = Date.now();
			await page.goto(`${origin}${path}`, { waitUntil: 'commit' });
			await page.locator('table.heatmap').first().waitFor({ state: 'visible' });
			runsMs.push(Date.now() - started);
			await page.waitForLoadState('networkidle');
			js = scripts;
			await context.close();
		}
	} finally {
		await browser.close();
	}
	const sorted = [...runsMs].sort((a, b) => a - b);
	return {
		heatmapVisibleMs: sorted[Math.floor(sorted.length / 2)]!,
		runsMs,
		jsGzipKb: Math.round(([...js.values()].reduce((a, b) => a + b, 0) / 1024) * 10) / 10,
		jsFiles: js.size
	};
}
