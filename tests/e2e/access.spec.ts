import { expect, test } from '@playwright/test';
import { demo, signIn } from './fixtures';

const nav = (page: import('@playwright/test').Page) =>
	page.getByRole('navigation', { name: 'Main' });

test('navigation shows only what each role may open', async ({ browser }) => {
	const expectations = [
		{ email: demo.admin, admin: true, reports: true, teams: 'Teams' },
		{ email: demo.security, admin: false, reports: true, teams: 'Teams' },
		{ email: demo.leadership, admin: false, reports: true, teams: 'Teams' },
		{ email: demo.member, admin: false, reports: false, teams: 'My teams' }
	];
	for (const e of expectations) {
		const page = await browser.newPage();
		await signIn(page, demo.url, e.email, demo.password);
		// Those who see every team are not told they are "my" teams.
		await expect(nav(page).getByRole('link', { name: e.teams, exact: true })).toHaveCount(1);
		await expect(nav(page).getByRole('link', { name: 'Admin' })).toHaveCount(e.admin ? 1 : 0);
		await expect(nav(page).getByText('Reports')).toHaveCount(e.reports ? 1 : 0);
		const admin = await page.goto(`${demo.url}/admin/users`);
		expect(admin?.status()).toBe(e.admin ? 200 : 403);
		await page.close();
	}
});

test('a member sees their own team and gets nothing of another team', async ({ page }) => {
	await signIn(page, demo.url, demo.member, demo.password);
	await page.goto(`${demo.url}/teams`);
	await expect(page.getByRole('heading', { name: 'My teams' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Payments API', exact: true })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Checkout Web', exact: true })).toHaveCount(0);

	const own = await page.goto(`${demo.url}/teams/payments-api`);
	expect(own?.status()).toBe(200);
	await expect(page.getByRole('cell', { name: demo.lead })).toBeVisible();
	// A plain member cannot manage membership.
	await expect(page.getByRole('button', { name: 'Add member' })).toHaveCount(0);

	const other = await page.goto(`${demo.url}/teams/checkout-web`);
	expect(other?.status()).toBe(404);
	await expect(page.getByText('checkout-web@demo.rampart.test')).toHaveCount(0);
	const body = await page.content();
	expect(body).not.toContain('Checkout Web');

	// The member-management action is refused from the attacker's side too, and changes nothing.
	const post = await page.request.post(`${demo.url}/teams/checkout-web?/addMember`, {
		form: { email: demo.member, role: 'lead' },
		headers: { origin: demo.url }
	});
	expect(post.status()).toBe(404);
});

test('a lead manages their own team: adds a member and marks a champion', async ({ page }) => {
	await signIn(page, demo.url, demo.lead, demo.password);
	await page.goto(`${demo.url}/teams/payments-api`);
	await page.getByLabel('Email of an existing user').fill('security@demo.rampart.test');
	await page.getByRole('button', { name: 'Add member' }).click();
	await expect(page.getByRole('status')).toContainText('was added');
	await expect(page.getByRole('cell', { name: 'security@demo.rampart.test' })).toBeVisible();

	await page.getByLabel('Email of an existing user').fill('nobody@demo.rampart.test');
	await page.getByRole('button', { name: 'Add member' }).click();
	await expect(page.getByText('No active user has this email')).toBeVisible();
});

test('security headers and CSP are sent', async ({ request }) => {
	const res = await request.get(`${demo.url}/login`);
	const h = res.headers();
	expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
	expect(h['content-security-policy']).toMatch(/script-src 'self' 'nonce-/);
	expect(h['content-security-policy']).not.toContain('unsafe-inline');
	expect(h['x-content-type-options']).toBe('nosniff');
	expect(h['referrer-policy']).toBeTruthy();
	expect(h['permissions-policy']).toContain('camera=()');
});

test('a cross-site form post is refused', async ({ request }) => {
	const res = await request.post(`${demo.url}/login`, {
		form: { email: demo.admin, password: demo.password },
		headers: { origin: 'http://evil.example' }
	});
	expect(res.status()).toBe(403);
});

test('pages load without CSP violations or script errors', async ({ page }) => {
	const problems: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error') problems.push(m.text());
	});
	page.on('pageerror', (e) => problems.push(e.message));
	await signIn(page, demo.url, demo.lead, demo.password);
	for (const path of [
		'/teams',
		'/teams/payments-api',
		'/teams/payments-api/assessments/2026-Q4/build',
		'/practices/static-analysis',
		'/scoring',
		'/account'
	]) {
		await page.goto(`${demo.url}${path}`);
		await page.waitForLoadState('networkidle');
	}
	expect(problems).toEqual([]);
});
