import { expect, test, type Page } from '@playwright/test';
import { demo, signIn } from './fixtures';
import { routeOf } from './routes';

// No page shows a link its reader cannot follow: a link that answers 403 or 404 is a link the
// page should not have drawn (or a route that forgot someone). Each role walks the site the
// way it is linked, breadth-first from its navigation. A member follows every link (every
// lesson, practice and phase of their team: ~100 pages); the other roles a few pages of each
// route (leadership is linked to ~650, most of them one team's assessment phase or another's).

/** Pages of one route visited by the roles that see the whole organisation. */
const PER_ROUTE = 4;
/** A bound on the whole walk, in case a route links endlessly to itself. */
const LIMIT = 150;
/** Requests in flight at once (the server renders organisation-sized pages two at a time). */
const PARALLEL = 4;

interface Visit {
	url: string;
	status: number;
	/** The page the link was found on. */
	from: string;
	/** Where redirects ended. */
	landed: string;
}

/** Same-origin `<a href>` targets in an HTML document, without fragments. */
async function linksIn(page: Page, html: string, base: string): Promise<string[]> {
	// The browser's own parser (no scripts run): hrefs come back decoded and resolvable.
	const hrefs = await page.evaluate(
		(source) =>
			[...new DOMParser().parseFromString(source, 'text/html').querySelectorAll('a[href]')].map(
				(a) => a.getAttribute('href')!
			),
		html
	);
	const origin = new URL(demo.url).origin;
	return hrefs.flatMap((href) => {
		const url = new URL(href, base);
		url.hash = '';
		return url.origin === origin ? [url.href] : [];
	});
}

/** Signing out is a form, not a link; a link to it would end the crawl's session. */
const skipped = (url: string) => new URL(url).pathname === '/logout';

async function crawl(page: Page, start: string[], perRouteLimit: number): Promise<Visit[]> {
	const seen = new Set(start);
	const perRoute = new Map<string, number>();
	const wanted = (url: string) => {
		if (seen.has(url) || skipped(url)) return false;
		seen.add(url);
		const route = routeOf(new URL(url).pathname);
		perRoute.set(route, (perRoute.get(route) ?? 0) + 1);
		return perRoute.get(route)! <= perRouteLimit;
	};
	let frontier = start.map((url) => ({ url, from: '(navigation)' }));
	const visits: Visit[] = [];
	while (frontier.length && visits.length < LIMIT) {
		const next: typeof frontier = [];
		const level = frontier.slice(0, LIMIT - visits.length);
		for (let i = 0; i < level.length; i += PARALLEL) {
			await Promise.all(
				level.slice(i, i + PARALLEL).map(async ({ url, from }) => {
					// page.request shares the page's cookies; downloads are requested like pages.
					const res = await page.request.get(url);
					visits.push({ url, status: res.status(), from, landed: res.url() });
					const type = res.headers()['content-type'] ?? '';
					if (!res.ok() || !type.startsWith('text/html')) return;
					for (const link of await linksIn(page, await res.text(), res.url()))
						if (wanted(link)) next.push({ url: link, from: res.url() });
				})
			);
		}
		frontier = next;
	}
	return visits;
}

/** The main navigation's links and the account link, as the signed-in page shows them. */
async function startingPoints(page: Page): Promise<string[]> {
	const header = page.getByRole('banner');
	const hrefs = await header
		.getByRole('link')
		.evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
	return [...new Set(hrefs)];
}

const roles = [
	{ name: 'a member', email: demo.member, perRoute: Infinity },
	{ name: 'a team lead', email: demo.lead, perRoute: PER_ROUTE },
	{ name: 'leadership', email: demo.leadership, perRoute: PER_ROUTE },
	{ name: 'the security team', email: demo.security, perRoute: PER_ROUTE },
	{ name: 'an admin', email: demo.admin, perRoute: PER_ROUTE }
];

for (const role of roles) {
	test(`every link shown to ${role.name} can be followed`, async ({ page }) => {
		await signIn(page, demo.url, role.email, demo.password);
		const visits = await crawl(page, await startingPoints(page), role.perRoute);
		// Signed out mid-way would make every later page a sign-in form that "works".
		expect(visits.filter((v) => new URL(v.landed).pathname === '/login')).toEqual([]);
		const broken = visits.filter((v) => v.status >= 400);
		expect(broken, `${visits.length} pages visited`).toEqual([]);
		expect(visits.length).toBeGreaterThan(20);
	});
}
