import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { render } from 'svelte/server';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import type { DashboardView } from '$lib/server/dashboard/view';
import { seedDemo } from '$lib/server/demo/seed';
import { load } from './+page.server';
import DashboardBody from './DashboardBody.svelte';

// Leadership's dashboard is rendered once per data revision and view, and served to everyone
// who sees the organisation; a member's is rendered for them alone.
describe('the dashboard page', () => {
	let handle: DatabaseHandle;
	const users: Record<string, SessionUser> = {};

	beforeAll(async () => {
		handle = await createTestDatabase();
		await seedDemo(handle.db, 'demo password for tests');
		for (const u of await handle.db.select().from(table.user)) {
			users[u.role] ??= { id: u.id, email: u.email, name: u.name, role: u.role };
		}
	});
	afterAll(() => handle.close());

	const open = async (user: SessionUser, query = '') => {
		// As a client-side navigation asks for it: the page's HTML comes in the data (a page
		// request gets it spliced in as the HTML leaves, see page-fragment.test.ts).
		const event = {
			locals: { db: handle.db, user },
			url: new URL(`http://127.0.0.1/dashboard${query}`),
			isDataRequest: true
		};
		return (await load(event as never)) as {
			body: string | null;
			view: DashboardView | null;
			sort: string;
			filters: string;
		};
	};
	/** The heatmap's team names, top to bottom. */
	const rowNames = (html: string) =>
		html
			.split('<table class="heatmap">')[1]!
			.split('</table>')[0]!
			.split('<th scope="row">')
			.slice(1)
			.map((cell) => cell.replace(/^<a [^>]*>/, '').split('<')[0]);

	it('serves leadership one rendering per view, shared by everyone who sees the organisation', async () => {
		const a = await open(users.leadership!);
		const b = await open(users.admin!);
		expect(a.body).toContain('<h2>Heatmap</h2>');
		expect(b.body).toBe(a.body);
		expect(a.view).toBeNull();
		expect(rowNames(a.body!)).toHaveLength(12);
		const byScore = await open(users.leadership!, '?sort=score');
		expect(byScore.body).not.toBe(a.body);
		expect(rowNames(byScore.body!).sort()).toEqual(rowNames(a.body!).sort());
		expect(rowNames(byScore.body!)).not.toEqual(rowNames(a.body!));
		const q3 = await open(users.leadership!, '?cycle=2026-Q3');
		expect(q3.body).toContain('2026-Q3 (closed');
		expect(a.body).not.toContain('2026-Q3 (closed');
	});

	it('shows a change on the next view', async () => {
		const [team] = await handle.db.select().from(table.team).limit(1);
		expect((await open(users.leadership!)).body).toContain(`>${team!.name}<`);
		await handle.db
			.update(table.team)
			.set({ name: 'Renamed & Co' })
			.where(eq(table.team.id, team!.id));
		const after = (await open(users.leadership!)).body!;
		expect(after).toContain('>Renamed &amp; Co<');
		expect(after).not.toContain(`>${team!.name}<`);
	});

	it('keeps only the filters it understood in its links', async () => {
		const page = await open(users.leadership!, '?cycle=2026-Q3&sort=nonsense&next=%22evil');
		expect(page.sort).toBe('team');
		expect(page.filters).toBe('cycle=2026-Q3');
		expect(page.body).not.toContain('evil');
		expect(page.body).toContain('href="?cycle=2026-Q3&amp;sort=score"');
	});

	it("renders a member's page for them, never from leadership's", async () => {
		await open(users.leadership!);
		const mine = await open(users.member!);
		expect(mine.body).toBeNull();
		expect(mine.view?.seesAll).toBe(false);
		expect(mine.view!.heatmap.length).toBeGreaterThan(0);
		expect(mine.view!.heatmap.length).toBeLessThan(12);
	});

	it('links the printable report only for those who may open it', async () => {
		const leadership = (await open(users.leadership!)).body!;
		expect(leadership).toMatch(/<a href="\/reports\/2026-Q4"[^>]*>Printable report<\/a>/);
		const mine = await open(users.member!);
		const html = render(DashboardBody, {
			props: { data: mine.view!, sort: mine.sort, filters: mine.filters }
		}).body;
		expect(html).toContain('<h2>Heatmap</h2>');
		expect(html).not.toContain('Printable report');
		expect(html).not.toContain('href="/reports');
	});
});
