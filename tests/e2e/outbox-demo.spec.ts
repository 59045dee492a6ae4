import { expect, test } from '@playwright/test';
import { demo, signIn } from './fixtures';

// The shared demo server has no SMTP_URL: emails are kept unsent in the admins' outbox.
test('without SMTP an invitation email is shown, not sent, in the admin outbox', async ({
	page
}) => {
	const address = `outbox-${Date.now()}@example.org`;
	await signIn(page, demo.url, demo.admin, demo.password);
	await page.goto(`${demo.url}/admin/users`);
	await page.getByLabel('Email', { exact: true }).fill(address);
	await page.getByRole('button', { name: 'Create invitation link' }).click();
	const link = page.getByTestId('invitation-link');
	await expect(link).toContainText('/invite/');
	const token = /\/invite\/([a-z2-7]+)/.exec((await link.textContent()) ?? '')![1]!;

	await page.goto(`${demo.url}/admin/outbox?state=off`);
	await expect(page.getByRole('note')).toContainText(
		'Email is off (no SMTP_URL): these emails were not sent; they are shown here for the demo'
	);
	const row = page.getByRole('row').filter({ hasText: address });
	await expect(row).toContainText('Not sent');
	await row.getByRole('link').click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('invited you to Rampart');
	await expect(page.locator('pre')).toContainText(`/invite/${token}`);
});
