import { expect, test } from '@playwright/test';
import { demo, signIn, signOut } from './fixtures';

test('signing out invalidates the session cookie on the server', async ({ page, browser }) => {
	await signIn(page, demo.url, demo.leadership, demo.password);
	const cookies = await page.context().cookies();
	const session = cookies.find((c) => c.name === 'rampart_session')!;
	expect(session.httpOnly).toBe(true);
	expect(session.sameSite).toBe('Lax');
	expect(session.path).toBe('/');
	await signOut(page);

	// Replaying the old cookie in a fresh browser gets the sign-in page, not the account.
	const replay = await browser.newContext();
	await replay.addCookies([session]);
	const again = await replay.newPage();
	await again.goto(`${demo.url}/account`);
	await expect(again).toHaveURL(/\/login\?next=%2Faccount/);
	await replay.close();
});

test('the account page lists sessions and can end another one', async ({ browser }) => {
	const first = await browser.newPage();
	await signIn(first, demo.url, demo.security, demo.password);
	const second = await browser.newPage();
	await signIn(second, demo.url, demo.security, demo.password);
	await second.goto(`${demo.url}/account`);
	await expect(second.getByText('this session')).toBeVisible();
	await second.getByRole('button', { name: 'Sign out everywhere else' }).click();
	await expect(second.getByRole('status')).toContainText('other sessions were ended');
	await first.goto(`${demo.url}/account`);
	await expect(first).toHaveURL(/\/login/);
});
