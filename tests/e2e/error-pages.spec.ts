import { expect, test } from '@playwright/test';
import { demo, signIn } from './fixtures';

// An error page says what happened and offers the way back to where the reader can go.

test('a member who opens the admin area is told it is about permission and shown the way back', async ({
	page
}) => {
	await signIn(page, demo.url, demo.member, demo.password);
	const res = await page.goto(`${demo.url}/admin/users`);
	expect(res?.status()).toBe(403);
	await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
	await expect(page.getByText('does not have permission')).toBeVisible();
	const back = page.getByRole('navigation', { name: 'Ways back' });
	await back.getByRole('link', { name: 'Your teams' }).click();
	await expect(page.getByRole('heading', { name: 'My teams' })).toBeVisible();
	await page.goBack();
	await back.getByRole('link', { name: 'Dashboard' }).click();
	await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
});

test('a team a member may not see is not found, with the same way back', async ({ page }) => {
	await signIn(page, demo.url, demo.member, demo.password);
	const res = await page.goto(`${demo.url}/teams/checkout-web`);
	expect(res?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
	const back = page.getByRole('navigation', { name: 'Ways back' });
	await expect(back.getByRole('link', { name: 'Your teams' })).toHaveAttribute('href', '/teams');
	await expect(back.getByRole('link', { name: 'Dashboard' })).toHaveAttribute('href', '/dashboard');
});

test('a visitor on an unknown page is offered to sign in and comes back there', async ({
	page
}) => {
	const res = await page.goto(`${demo.url}/no-such-page?from=mail`);
	expect(res?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
	await page.getByRole('link', { name: 'Sign in' }).click();
	await page.getByLabel('Email').fill(demo.member);
	await page.getByLabel('Password').fill(demo.password);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page).toHaveURL(`${demo.url}/no-such-page?from=mail`);
	// Signed in now: the same page offers their teams instead.
	await expect(page.getByRole('link', { name: 'Your teams' })).toBeVisible();
});
