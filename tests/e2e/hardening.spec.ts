import { expect, test } from '@playwright/test';
import { servers } from '../../playwright.config';
import { demo, signIn } from './fixtures';

// What the production server answers to requests a careful client never sends: from the
// attacker's side, over HTTP, checking what comes back and what changed.

test('every page and data request that depends on who is signed in says private, no-store (the dashboard private, no-cache); assets keep their long caching', async ({
	page,
	request
}) => {
	await signIn(page, demo.url, demo.member, demo.password);
	const team = await page.goto(`${demo.url}/teams/payments-api`);
	expect(team?.headers()['cache-control']).toBe('private, no-store');
	// The dashboard alone may be kept by the browser, which asks whether it changed (its ETag).
	const dashboard = await page.goto(`${demo.url}/dashboard`);
	expect(dashboard?.headers()['cache-control']).toBe('private, no-cache');
	const data = await page.request.get(
		`${demo.url}/teams/payments-api/__data.json?x-sveltekit-invalidated=11`
	);
	expect(data.status()).toBe(200);
	expect(data.headers()['cache-control']).toBe('private, no-store');
	const anonymous = await request.get(`${demo.url}/login`);
	expect(anonymous.headers()['cache-control']).toBe('private, no-store');
	const script = await page.evaluate(
		() => document.querySelector<HTMLLinkElement>('link[rel="modulepreload"]')?.href
	);
	expect(script).toContain('/_app/immutable/');
	const asset = await request.get(script!);
	expect(asset.headers()['cache-control']).toContain('immutable');
});

test('a long made-up address makes a short answer', async ({ request }) => {
	// Below the limit: a 404 whose headers and page do not grow with the path.
	const deep = await request.get(`${demo.url}${'/a'.repeat(1500)}`);
	expect(deep.status()).toBe(404);
	const headerBytes = Object.entries(deep.headers()).reduce(
		(n, [k, v]) => n + k.length + v.length,
		0
	);
	expect(headerBytes).toBeLessThan(3000);
	expect((await deep.body()).length).toBeLessThan(12_000);
	// Above it: 414 at once.
	const tooLong = await request.get(`${demo.url}${'/a'.repeat(3000)}`);
	expect(tooLong.status()).toBe(414);
	expect((await tooLong.body()).length).toBeLessThan(200);
});

test('password changes from one address stop at its budget: 429 with Retry-After, nothing hashed', async ({
	request
}) => {
	const base = `http://127.0.0.1:${servers.budget}`;
	const form = { origin: base, accept: 'text/html' };
	const signedIn = await request.post(`${base}/login`, {
		form: { email: demo.member, password: demo.password },
		headers: form,
		maxRedirects: 0
	});
	expect(signedIn.status()).toBe(303);
	// A budget of 100 with a password POST costing 20: after the sign-in, a few guesses at the
	// current password get an answer, then none does until the budget refills.
	const statuses: number[] = [];
	for (let i = 0; i < 6; i++) {
		const r = await request.post(`${base}/account?/password`, {
			form: {
				current: `guess ${i}`,
				password: 'a new password 123',
				confirm: 'a new password 123'
			},
			headers: form,
			maxRedirects: 0
		});
		statuses.push(r.status());
		if (r.status() === 429) {
			expect(Number(r.headers()['retry-after'])).toBeGreaterThan(0);
			expect(await r.text()).toContain('Too many requests from your address');
		}
	}
	expect(statuses.slice(0, 3)).toEqual([400, 400, 400]);
	expect(statuses.slice(4)).toEqual([429, 429]);
	// Refused before the route ran: a sign-in with the right password is refused too.
	const again = await request.post(`${base}/login`, {
		form: { email: demo.member, password: demo.password },
		headers: form,
		maxRedirects: 0
	});
	expect(again.status()).toBe(429);
});
