import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, servers } from '../../playwright.config';
import {
	startTestProvider,
	type TestProvider
} from '../../src/lib/server/auth/oidc/testing/provider';
import { demo } from './fixtures';
import { startOwnServer, type OwnServer } from './own-server';

// The demo on a server of its own, signing in through a real OpenID provider (oidc-provider with
// its own login and consent pages) that this spec runs on 127.0.0.1; local passwords are off
// for everyone but the break-glass admin.
const port = servers.spare + 21;
const base = `http://127.0.0.1:${port}`;
let provider: TestProvider;
let app: OwnServer | undefined;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	test.setTimeout(120_000);
	provider = await startTestProvider({
		clients: [
			{
				clientId: 'rampart-e2e',
				clientSecret: 'rampart-e2e-client-secret',
				redirectUris: [`${base}/login/oidc/callback`]
			}
		],
		accounts: {
			nora: { email: 'nora@demo.rampart.test', email_verified: true, name: 'Nora New' },
			ben: { email: demo.member, email_verified: true, name: 'Ben at the provider' },
			ulla: { email: 'ulla@demo.rampart.test', email_verified: false, name: 'Ulla Unverified' }
		}
	});
	app = await startOwnServer(port, {
		OIDC_ISSUER: provider.issuer,
		OIDC_CLIENT_ID: 'rampart-e2e',
		OIDC_CLIENT_SECRET: 'rampart-e2e-client-secret',
		OIDC_NAME: 'Acme SSO',
		OIDC_ALLOWED_DOMAINS: 'demo.rampart.test',
		LOCAL_PASSWORDS: 'off',
		BREAK_GLASS_ADMIN: demo.admin
	});
});

test.afterAll(async () => {
	await app?.stop();
	await provider?.close();
});

/** From Rampart's sign-in page through the provider's login and consent pages. */
async function signInAtProvider(page: Page, login: string) {
	await page.goto(`${base}/login`);
	await page.getByRole('link', { name: 'Sign in with Acme SSO' }).click();
	await page.getByPlaceholder('Enter any login').fill(login);
	await page.getByPlaceholder('and password').fill('anything');
	await page.getByRole('button', { name: 'Sign-in' }).click();
	await page.getByRole('button', { name: 'Continue' }).click();
}

test('a new person signs in through the provider and gets an account', async ({ page }) => {
	await signInAtProvider(page, 'nora');
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
	await page.goto(`${base}/account`);
	await expect(page.getByText('nora@demo.rampart.test')).toBeVisible();
});

test('an existing user is matched by verified email and sees their team', async ({ page }) => {
	await signInAtProvider(page, 'ben');
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
	await page.goto(`${base}/teams`);
	await expect(page.getByRole('link', { name: 'Payments API' }).first()).toBeVisible();
});

test('an unverified email is refused with a clear message', async ({ page }) => {
	await signInAtProvider(page, 'ulla');
	await expect(page.getByRole('heading', { name: 'Sign-in refused' })).toBeVisible();
	await expect(page.getByRole('alert')).toContainText('not verified');
	await page.goto(`${base}/account`);
	await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('a callback this browser did not start is refused (a code pushed by someone else)', async ({
	page
}) => {
	await page.goto(`${base}/login/oidc/callback?code=stolen-code&state=forged-state`);
	await expect(page.getByRole('heading', { name: 'Sign-in refused' })).toBeVisible();
	await expect(page.getByRole('alert')).toContainText('not started in this browser');
	await page.goto(`${base}/account`);
	await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('with local passwords off, only the break-glass admin uses one', async ({ page }) => {
	await page.goto(`${base}/login`);
	await page.getByLabel('Email').fill(demo.member);
	await page.getByLabel('Password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(
		page.getByText('Passwords are turned off here: sign in with Acme SSO.')
	).toBeVisible();
	await page.getByLabel('Email').fill(demo.admin);
	await page.getByLabel('Password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});
