import { expect, test } from '@playwright/test';
import { servers } from '../../playwright.config';

const base = `http://127.0.0.1:${servers.throttle}`;

test('ten failed sign-ins from one address answer 429 with Retry-After', async ({
	page,
	request
}) => {
	const attempt = (email: string) =>
		request.post(`${base}/login`, {
			form: { email, password: 'not the password' },
			headers: { origin: base, accept: 'text/html' },
			maxRedirects: 0
		});
	// Unknown and known emails get the same answer.
	const unknown = await attempt('nobody@demo.rampart.test');
	const known = await attempt('admin@demo.rampart.test');
	expect(unknown.status()).toBe(400);
	expect(known.status()).toBe(unknown.status());
	for (let i = 0; i < 8; i++) await attempt(`someone${i}@demo.rampart.test`);
	const blocked = await attempt('cto@demo.rampart.test');
	expect(blocked.status()).toBe(429);
	expect(Number(blocked.headers()['retry-after'])).toBeGreaterThan(0);

	await page.goto(`${base}/login`);
	await page.getByLabel('Email').fill('cto@demo.rampart.test');
	await page.getByLabel('Password').fill('e2e demo password only');
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page.getByRole('alert')).toContainText('Too many failed sign-ins');
});
