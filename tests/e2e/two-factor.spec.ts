import { expect, test, type Page } from '@playwright/test';
import axe from 'axe-core';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { DEMO_PASSWORD, servers } from '../../playwright.config';
import { demo } from './fixtures';

// The demo with the default MFA policy: admin and security users must have a second factor.
// On localhost (its ORIGIN): WebAuthn takes no IP address as relying party.
const base = `http://localhost:${servers.twoFactor}`;
// The admin's test resets the factor the member's test sets up.
test.describe.configure({ mode: 'serial' });

/** The code an authenticator app shows for a key, `ahead` steps of 30 s from now (±1 accepted). */
const codeFor = (secret: string, ahead = 0) =>
	generateHOTP(
		decodeBase32IgnorePadding(secret),
		BigInt(Math.floor(Date.now() / 30_000) + ahead),
		6
	);

/** axe's WCAG 2.2 AA and best-practice violations on the page, one line each (as a11y.spec.ts). */
async function violations(page: Page): Promise<string[]> {
	await page.evaluate(axe.source);
	const result = await page.evaluate(
		(values) =>
			(window as unknown as { axe: typeof axe }).axe.run(document, {
				runOnly: { type: 'tag', values }
			}),
		['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']
	);
	return result.violations.map((v) => `${page.url()}: ${v.id} ×${v.nodes.length}`);
}

async function passwordStep(page: Page, email: string) {
	await page.goto(`${base}/login`);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	// The sign-in's answer must arrive before the next goto, or that goto cancels it (under load).
	await page.waitForURL((url) => url.pathname !== '/login');
}

test('a member sets up an authenticator app, then signs in with a code and with a recovery code', async ({
	page,
	browser
}) => {
	test.setTimeout(60_000);
	await passwordStep(page, demo.member);
	await page.goto(`${base}/account`);
	await page.getByRole('link', { name: 'Set up two-factor sign-in' }).click();
	await expect(page.getByRole('heading', { name: 'Set up an authenticator app' })).toBeVisible();
	await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
	const secret = (await page.locator('.totp-secret').innerText()).replace(/\s+/g, '');
	expect(secret).toMatch(/^[A-Z2-7]{32}$/);

	// A wrong code is refused beside the field, and the same key is kept.
	const right = codeFor(secret);
	await page.getByLabel('6-digit code from the app').fill(right === '000000' ? '111111' : '000000');
	await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
	await expect(page.getByText('That code is not right')).toBeVisible();
	await expect(page.getByLabel('6-digit code from the app')).toHaveAttribute(
		'aria-invalid',
		'true'
	);
	expect((await page.locator('.totp-secret').innerText()).replace(/\s+/g, '')).toBe(secret);
	const found = await violations(page);

	await page.getByLabel('6-digit code from the app').fill(codeFor(secret));
	await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
	await expect(page.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
	const codes = await page.locator('.recovery-codes code').allInnerTexts();
	expect(codes).toHaveLength(10);
	found.push(...(await violations(page)));

	await page.getByRole('button', { name: 'Sign out' }).click();
	await passwordStep(page, demo.member);
	await expect(page).toHaveURL(/\/login\/two-factor/);
	await expect(page.getByRole('heading', { name: 'Two-factor check' })).toBeVisible();
	found.push(...(await violations(page)));
	expect(found).toEqual([]);
	// The password alone opens nothing: a protected page sends the session back to this step.
	await page.goto(`${base}/teams/payments-api`);
	await expect(page).toHaveURL(/\/login\/two-factor\?next=%2Fteams%2Fpayments-api/);
	// The enrolment's code has been used: the app's next code (one step of drift is allowed).
	await page.getByLabel('6-digit code').fill(codeFor(secret, 1));
	await page.getByRole('button', { name: 'Verify' }).click();
	await expect(page).toHaveURL(`${base}/teams/payments-api`);
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

	// The recovery code, in a browser without JavaScript: plain forms all the way.
	await page.getByRole('button', { name: 'Sign out' }).click();
	const noScript = await browser.newContext({ javaScriptEnabled: false });
	const plain = await noScript.newPage();
	await passwordStep(plain, demo.member);
	await plain.getByText('Use a recovery code instead').click();
	await plain.getByLabel('Recovery code').fill(codes[0]!);
	await plain.getByRole('button', { name: 'Use recovery code' }).click();
	await expect(plain.getByRole('button', { name: 'Sign out' })).toBeVisible();
	await plain.goto(`${base}/account/two-factor`);
	await expect(plain.getByText('Recovery codes left: 9 of 10.')).toBeVisible();

	// Used once, a recovery code is refused after that.
	await plain.getByRole('button', { name: 'Sign out' }).click();
	await passwordStep(plain, demo.member);
	await plain.getByText('Use a recovery code instead').click();
	await plain.getByLabel('Recovery code').fill(codes[0]!);
	await plain.getByRole('button', { name: 'Use recovery code' }).click();
	await expect(
		plain.getByText('That recovery code is not right, or was already used.')
	).toBeVisible();
	await expect(plain.getByLabel('Recovery code')).toHaveAttribute('aria-invalid', 'true');
	await noScript.close();
});

test('an admin without a second factor is led to set one up before anything else', async ({
	page
}) => {
	await passwordStep(page, demo.admin);
	await expect(page).toHaveURL(`${base}/account/two-factor`);
	await expect(page.getByText('Your role requires two-factor sign-in')).toBeVisible();
	await page.goto(`${base}/admin/users`);
	await expect(page).toHaveURL(`${base}/account/two-factor`);
	const secret = (await page.locator('.totp-secret').innerText()).replace(/\s+/g, '');
	await page.getByLabel('6-digit code from the app').fill(codeFor(secret));
	await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
	await expect(page.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
	await page.goto(`${base}/admin/users`);
	await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
	// Ben (who set up his app in the test before) lost his phone: the admin resets his factor.
	await page.getByRole('button', { name: /Reset two-factor sign-in of Ben/ }).click();
	await expect(page.getByRole('status')).toContainText('Two-factor sign-in was reset');
	await page.getByRole('button', { name: 'Sign out' }).click();
	await passwordStep(page, demo.member);
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
	await expect(page).not.toHaveURL(/two-factor/);
});

test('a security user adds a passkey and signs in with it (a virtual authenticator)', async ({
	page
}) => {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('WebAuthn.enable');
	const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
		options: {
			protocol: 'ctap2',
			transport: 'internal',
			hasResidentKey: true,
			hasUserVerification: true,
			isUserVerified: true,
			automaticPresenceSimulation: true
		}
	});
	await passwordStep(page, demo.security);
	await expect(page).toHaveURL(`${base}/account/two-factor`);
	await page.getByLabel('Name of the passkey').fill('Laptop');
	await page.getByRole('button', { name: 'Add a passkey' }).click();
	await expect(page.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
	await expect(page.getByText('The passkey "Laptop" was added.')).toBeVisible();
	// The key lives in the authenticator; the server keeps only its public half.
	const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
	expect(credentials).toHaveLength(1);

	await page.getByRole('button', { name: 'Sign out' }).click();
	await passwordStep(page, demo.security);
	await expect(page).toHaveURL(/\/login\/two-factor/);
	await page.getByRole('button', { name: 'Use a passkey or security key' }).click();
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
	await expect(page).not.toHaveURL(/two-factor/);
});
