import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, servers } from '../../playwright.config';
import { demo } from './fixtures';

// The two-factor spec's server, on localhost (its ORIGIN): WebAuthn takes no IP address as
// relying party. The lead is not required to have a second factor, and no other spec uses them there.
const base = `http://localhost:${servers.twoFactor}`;

test('a lead adds a passkey, signs out, and signs in with the passkey alone (a virtual authenticator)', async ({
	page
}) => {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('WebAuthn.enable');
	await cdp.send('WebAuthn.addVirtualAuthenticator', {
		options: {
			protocol: 'ctap2',
			transport: 'internal',
			hasResidentKey: true,
			hasUserVerification: true,
			isUserVerified: true,
			automaticPresenceSimulation: true
		}
	});
	await page.goto(`${base}/login`);
	await page.getByLabel('Email').fill(demo.lead);
	await page.getByLabel('Password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await page.waitForURL((url) => url.pathname !== '/login');
	await page.goto(`${base}/account/two-factor`);
	await page.getByLabel('Name of the passkey').fill('Laptop');
	await page.getByRole('button', { name: 'Add a passkey' }).click();
	await expect(page.getByText('The passkey "Laptop" was added.')).toBeVisible();
	// Made with user verification (the authenticator's PIN or biometrics): good for sign-in alone.
	await page.goto(`${base}/account/two-factor`);
	await expect(page.getByText('Laptop, added')).toContainText('also signs in without a password');

	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
	// No email, no password: the authenticator offers the passkey it keeps for this site.
	await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
	await page.goto(`${base}/account`);
	await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
	await expect(page).toHaveURL(`${base}/account`);
});

test('without JavaScript the sign-in page offers no passkey button', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto(`${base}/login`);
	await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toHaveCount(0);
	// (Its <noscript> line is not checked: Chromium with script execution disabled does not show
	// noscript content.)
	await context.close();
});
