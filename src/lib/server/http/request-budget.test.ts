import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import {
	budgetSettings,
	handleRequestBudget,
	LEASE_MS,
	LEASE_TOKENS,
	PASSWORD_COST,
	passwordRoutes,
	RequestBudget,
	requestBudgetFor,
	requestCost,
	takeTokens
} from './request-budget';

describe('what a request costs', () => {
	it('charges reads 1, other writes 3, password routes more, health checks nothing', () => {
		expect(requestCost('GET', '/(app)/dashboard')).toBe(1);
		expect(requestCost('HEAD', '/(app)/dashboard')).toBe(1);
		expect(requestCost('POST', '/(app)/teams/[slug]')).toBe(3);
		expect(requestCost('POST', null)).toBe(3);
		expect(requestCost('GET', '/(public)/login')).toBe(1);
		for (const route of passwordRoutes) expect(requestCost('POST', route)).toBe(PASSWORD_COST);
		expect(requestCost('GET', '/readyz')).toBe(0);
		// Signing in through the OpenID provider: a token exchange and a session per GET.
		expect(requestCost('GET', '/(public)/login/oidc')).toBe(3);
		expect(requestCost('GET', '/(public)/login/oidc/callback')).toBe(3);
	});

	it('reads its settings from the environment and refuses nonsense', () => {
		expect(budgetSettings({})).toEqual({ burst: 300, perSecond: 5 });
		expect(
			budgetSettings({ REQUEST_BUDGET_BURST: '60', REQUEST_BUDGET_PER_SECOND: '0.5' })
		).toEqual({ burst: 60, perSecond: 0.5 });
		expect(() => budgetSettings({ REQUEST_BUDGET_BURST: 'lots' })).toThrow(/REQUEST_BUDGET_BURST/);
		expect(() => budgetSettings({ REQUEST_BUDGET_BURST: '5' })).toThrow(/at least 20/);
		expect(() => budgetSettings({ REQUEST_BUDGET_PER_SECOND: '0' })).toThrow(/PER_SECOND/);
	});
});

/** Every route module that calls, directly or through src/lib/server, a function that hashes a password. */
function routesThatHash(): Set<string> {
	const files = (dir: string): string[] =>
		readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
			const p = path.join(dir, e.name);
			return e.isDirectory()
				? files(p)
				: /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name)
					? [p]
					: [];
		});
	const hashing = new Set(['hashPassword', 'verifyPassword']);
	const library = files(path.resolve('src/lib/server')).map((f) => readFileSync(f, 'utf8'));
	// Exported functions whose body calls one that hashes, until nothing new is found.
	for (let grew = true; grew;) {
		grew = false;
		for (const text of library) {
			for (const m of text.matchAll(/export (?:async )?function (\w+)[^]*?\n}/g)) {
				const calls = [...hashing].some((h) => new RegExp(`\\b${h}\\(`).test(m[0]));
				if (calls && !hashing.has(m[1]!)) {
					hashing.add(m[1]!);
					grew = true;
				}
			}
		}
	}
	const routes = new Set<string>();
	const root = path.resolve('src/routes');
	for (const file of files(root)) {
		if (!/\+(page\.server|server)\.ts$/.test(file)) continue;
		const text = readFileSync(file, 'utf8');
		if ([...hashing].some((h) => new RegExp(`\\b${h}\\(`).test(text)))
			routes.add('/' + path.relative(root, path.dirname(file)).split(path.sep).join('/'));
	}
	return routes;
}

describe('the routes that hash passwords', () => {
	it('are all charged as such', () => {
		const found = routesThatHash();
		expect([...found].length).toBeGreaterThanOrEqual(4);
		expect([...found].sort()).toEqual([...passwordRoutes].sort());
	});
});

describe('the shared per-address budget', () => {
	let handle: DatabaseHandle;
	const settings = { burst: 100, perSecond: 0.01 };
	beforeAll(async () => {
		handle = await createTestDatabase();
	});
	afterAll(() => handle.close());

	it('starts full, takes until empty, refills with time and says when to come back', async () => {
		const db = handle.db;
		expect(await takeTokens(db, settings, '192.0.2.1', 60)).toEqual({ granted: true });
		expect(await takeTokens(db, settings, '192.0.2.1', 40)).toEqual({ granted: true });
		const refused = await takeTokens(db, settings, '192.0.2.1', 20);
		expect(refused.granted).toBe(false);
		// 20 tokens at 0.01 a second: 2,000 seconds.
		expect(refused.granted === false && refused.retryAfterSeconds).toBeGreaterThan(1990);
		// Another address has its own bucket.
		expect(await takeTokens(db, settings, '192.0.2.2', 100)).toEqual({ granted: true });
		// Half an hour later, 18 tokens are back: not enough for 20, enough for 18.
		await db.execute(
			sql`update request_budget set refilled_at = refilled_at - interval '30 minutes' where address = '192.0.2.1'`
		);
		expect((await takeTokens(db, settings, '192.0.2.1', 20)).granted).toBe(false);
		expect((await takeTokens(db, settings, '192.0.2.1', 17)).granted).toBe(true);
	});

	it('is one budget for every instance: two servers on one database spend from the same bucket', async () => {
		const server = () =>
			new RequestBudget(settings, (address, tokens) =>
				takeTokens(handle.db, settings, address, tokens)
			);
		const [a, b] = [server(), server()];
		let allowed = 0;
		for (let i = 0; i < 10; i++) {
			const spent = await (i % 2 ? a : b).spend('198.51.100.7', PASSWORD_COST);
			if (spent.allowed) allowed++;
		}
		expect(allowed).toBe(settings.burst / PASSWORD_COST);
		// Page views still fit in what the leases hold, never more than one lease per server.
		let views = 0;
		for (let i = 0; i < 50; i++) if ((await a.spend('198.51.100.7', 1)).allowed) views++;
		expect(views).toBeLessThan(LEASE_TOKENS);
	});

	it("grows a busy address's lease, so the bucket is asked less often, never past a tenth of the burst", async () => {
		const roomy = { burst: 1000, perSecond: 1 };
		const asked: number[] = [];
		const budget = new RequestBudget(roomy, async (_address, tokens) => {
			asked.push(tokens);
			return { granted: true };
		});
		for (let i = 0; i < 300; i++) await budget.spend('192.0.2.50', 1, 1_000);
		expect(asked.slice(0, 5)).toEqual([10, 20, 40, 80, 100]);
		expect(Math.max(...asked)).toBe(100);
		// An idle lease starts small again.
		asked.length = 0;
		await budget.spend('192.0.2.50', 1000, 1_000 + LEASE_MS + 1);
		await budget.spend('192.0.2.50', 1, 1_000 + 2 * LEASE_MS + 2);
		expect(asked).toEqual([1000, 10]);
	});

	it('answers 429 with Retry-After before the route (and its password hash) runs', async () => {
		const env = { REQUEST_BUDGET_BURST: '40', REQUEST_BUDGET_PER_SECOND: '0.01' };
		requestBudgetFor(handle.db, env);
		let reached = 0;
		const resolve = async () => {
			reached++;
			return new Response('ok');
		};
		const post = (action: boolean) =>
			handleRequestBudget({
				event: {
					request: new Request('http://127.0.0.1/account?/password', {
						method: 'POST',
						headers: action ? { 'x-sveltekit-action': 'true' } : {}
					}),
					route: { id: '/(app)/account' },
					locals: { db: handle.db, ip: '203.0.113.9' },
					isDataRequest: false
				} as never,
				resolve
			});
		expect((await post(false)).status).toBe(200);
		expect((await post(false)).status).toBe(200);
		const page = await post(false);
		expect(page.status).toBe(429);
		expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await page.text()).toContain('Too many requests from your address');
		const action = await post(true);
		expect(action.status).toBe(429);
		expect(await action.json()).toMatchObject({ type: 'error', error: { message: /Wait \d+/ } });
		expect(reached).toBe(2);
	});
});
