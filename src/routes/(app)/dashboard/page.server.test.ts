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

// Leadership's view is made once per data revision and shared by everyone who sees the
// organisation; a member's is made for them alone. Every view carries an ETag that changes
// with the data, the reader and the view.
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
		const headers: Record<string, string> = {};
		const event = {
			locals: { db: handle.db, user },
			url: new URL(`http://127.0.0.1/dashboard${query}`),
			setHeaders: (h: Record<string, string>) => Object.assign(headers, h)
		};
		const data = (await load(event as never)) as {
			view: DashboardView;
			sort: string;
			filters: string;
		};
		const html = render(DashboardBody, {
			props: { data: data.view, sort: data.sort, filters: data.filters }
		}).body;
		return { ...data, headers, html };
	};
	/** The heatmap's row names, top to bottom. */
	const rowNames = (html: string) =>
		html
			.split('<table class="heatmap')[1]!
			.split('</table>')[0]!
			.split('<th scope="row"')
			.slice(1)
			.map(
				(cell) =>
					cell
						.replace(/^[^>]*>/, '')
						.replace(/^<a [^>]*>/, '')
						.split('<')[0]
			);

	it('makes leadership one view per data revision, shared by everyone who sees the organisation', async () => {
		const a = await open(users.leadership!);
		const b = await open(users.admin!);
		expect(a.html).toContain('Heatmap</h2>');
		expect(b.view).toBe(a.view);
		expect(rowNames(a.html)).toHaveLength(12);
		const byScore = await open(users.leadership!, '?sort=score');
		expect(byScore.view).toBe(a.view);
		expect(rowNames(byScore.html).sort()).toEqual(rowNames(a.html).sort());
		expect(rowNames(byScore.html)).not.toEqual(rowNames(a.html));
		const q3 = await open(users.leadership!, '?cycle=2026-Q3');
		expect(q3.view.cycle?.name).toBe('2026-Q3');
		expect(q3.html).toContain('2026-Q3 (closed');
		expect(a.html).not.toContain('2026-Q3 (closed');
	});

	it('shows a change on the next view, under a new ETag', async () => {
		const [team] = await handle.db.select().from(table.team).limit(1);
		const before = await open(users.leadership!);
		expect(before.html).toContain(`>${team!.name}<`);
		expect((await open(users.leadership!)).headers.etag).toBe(before.headers.etag);
		await handle.db
			.update(table.team)
			.set({ name: 'Renamed & Co' })
			.where(eq(table.team.id, team!.id));
		const after = await open(users.leadership!);
		expect(after.html).toContain('>Renamed &amp; Co<');
		expect(after.html).not.toContain(`>${team!.name}<`);
		expect(after.headers.etag).not.toBe(before.headers.etag);
	});

	it('gives each reader and each view an ETag of its own, and lets browsers keep it privately', async () => {
		const tags = new Set<string>();
		for (const [user, query] of [
			[users.leadership!, ''],
			[users.admin!, ''],
			[users.member!, ''],
			[users.leadership!, '?sort=score'],
			[users.leadership!, '?cycle=2026-Q3']
		] as const) {
			const page = await open(user, query);
			expect(page.headers['cache-control']).toBe('private, no-cache');
			expect(page.headers.etag).toMatch(/^"[\w-]+"$/);
			tags.add(page.headers.etag!);
		}
		expect(tags.size).toBe(5);
		// Parameters the page does not understand change nothing.
		expect((await open(users.leadership!, '?junk=1')).headers.etag).toBe(
			(await open(users.leadership!)).headers.etag
		);
	});

	it('keeps only the filters it understood in its links', async () => {
		const page = await open(users.leadership!, '?cycle=2026-Q3&sort=nonsense&next=%22evil');
		expect(page.sort).toBe('team');
		expect(page.filters).toBe('cycle=2026-Q3');
		expect(page.html).not.toContain('evil');
		expect(page.html).toContain('href="?cycle=2026-Q3&amp;sort=score"');
	});

	it("makes a member's view for them, never from leadership's", async () => {
		const leadership = await open(users.leadership!);
		const mine = await open(users.member!);
		expect(mine.view).not.toBe(leadership.view);
		expect(mine.view.seesAll).toBe(false);
		expect(mine.view.heatmap.length).toBeGreaterThan(0);
		expect(mine.view.heatmap.length).toBeLessThan(12);
	});

	it('links the printable report only for those who may open it', async () => {
		const leadership = (await open(users.leadership!)).html;
		expect(leadership).toMatch(/<a href="\/reports\/2026-Q4"[^>]*>Printable report<\/a>/);
		const mine = (await open(users.member!)).html;
		expect(mine).toContain('Heatmap</h2>');
		expect(mine).not.toContain('Printable report');
		expect(mine).not.toContain('href="/reports');
	});
});
