import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, servers } from '../../playwright.config';
import { startSmtpServer } from '../../src/lib/server/mail/testing/smtp';
import { demo, signIn } from './fixtures';
import { startOwnServer, type OwnServer } from './own-server';

// The demo on a server of its own whose SMTP_URL points at a real SMTP server this spec runs on
// 127.0.0.1: what the app sends is read there, as a person would read their mailbox.
const port = servers.spare + 13;
const base = `http://127.0.0.1:${port}`;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let app: OwnServer | undefined;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	test.setTimeout(120_000);
	smtp = await startSmtpServer();
	app = await startOwnServer(port, {
		SMTP_URL: smtp.url,
		SMTP_FROM: 'Rampart <rampart@example.test>',
		// Reminders are worked out every second here (every ten minutes by default).
		MAIL_REMINDER_INTERVAL_SECONDS: '1'
	});
});

test.afterAll(async () => {
	await app?.stop();
	await smtp?.close();
});

/** The first email to `to` whose subject matches, once it has arrived. */
async function mailTo(to: string, subject: RegExp) {
	for (let i = 0; i < 100; i++) {
		const found = smtp.received.find(
			(r) => r.to.includes(to) && subject.test(r.mail.subject ?? '')
		);
		if (found) return found;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`no email "${subject}" to ${to}; received ${smtp.received.length}`);
}

test('forgot password: the emailed link sets a new password, once, and signs out everywhere', async ({
	page,
	browser
}) => {
	// Another browser signed in as the same person: the reset must end that session.
	const other = await browser.newContext();
	const otherPage = await other.newPage();
	await signIn(otherPage, base, demo.member, DEMO_PASSWORD);

	await page.goto(`${base}/login`);
	await page.getByRole('link', { name: 'Forgot password?' }).click();
	await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
	await page.getByLabel('Email').fill(demo.member);
	await page.getByRole('button', { name: 'Send the link' }).click();
	await expect(page.getByRole('status')).toContainText(
		`If ${demo.member} belongs to an account, a link to choose a new password is on its way`
	);

	const email = await mailTo(demo.member, /Reset your Rampart password/);
	expect(email.mail.html).toContain('Choose a new password');
	const link = /http:\/\/127\.0\.0\.1:\d+\/reset-password\/[a-z2-7]+/.exec(
		email.mail.text ?? ''
	)![0];
	expect(link.startsWith(base)).toBe(true);

	await page.goto(link);
	await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
	await page.getByLabel('New password', { exact: true }).fill('short');
	await page.getByLabel('Repeat new password').fill('short');
	await page.getByRole('button', { name: 'Save the new password' }).click();
	await expect(page.getByText('Use at least 8 characters.')).toBeVisible();

	const fresh = 'a reset passphrase for ben';
	await page.getByLabel('New password', { exact: true }).fill(fresh);
	await page.getByLabel('Repeat new password').fill(fresh);
	await page.getByRole('button', { name: 'Save the new password' }).click();
	await expect(page.getByRole('status')).toContainText('Your password was changed');
	await signIn(page, base, demo.member, fresh);

	// The other browser's session ended; the link does not work twice.
	await otherPage.goto(`${base}/account`);
	await expect(otherPage.getByRole('heading', { name: 'Sign in' })).toBeVisible();
	await other.close();
	const again = await page.request.get(link);
	expect(again.status()).toBe(404);
});

test('an unknown address gets the same answer and no email', async ({ page }) => {
	const before = smtp.received.length;
	await page.goto(`${base}/reset-password`);
	await page.getByLabel('Email').fill('nobody@demo.rampart.test');
	await page.getByRole('button', { name: 'Send the link' }).click();
	await expect(page.getByRole('status')).toContainText(
		'If nobody@demo.rampart.test belongs to an account, a link to choose a new password is on its way'
	);
	await new Promise((r) => setTimeout(r, 4000));
	expect(
		smtp.received.slice(before).filter((r) => r.to.includes('nobody@demo.rampart.test'))
	).toEqual([]);
});

test('a cycle opened through the UI: the member gets its email and the 7-day reminder, shown sent in the outbox', async ({
	page
}) => {
	const day = (offset: number) =>
		new Date(Date.now() + offset * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
	await signIn(page, base, demo.admin, DEMO_PASSWORD);
	await page.goto(`${base}/admin/cycles`);
	await page.getByLabel('Name').fill('2031-Q1');
	await page.getByLabel('Starts on').fill(day(0));
	await page.getByLabel('Due on').fill(day(7));
	await page.getByRole('button', { name: 'Open cycle' }).click();
	await expect(page.getByRole('status')).toContainText('2031-Q1 is open');

	const opened = await mailTo(demo.member, /^2031-Q1: Payments API's security assessment is open$/);
	expect(opened.mail.text).toContain(`${base}/teams/payments-api/assessments/2031-Q1`);
	const due = await mailTo(demo.member, /^Payments API's 2031-Q1 assessment is due in 7 days$/);
	expect(due.mail.text).toContain(`(${day(7)})`);

	const sentRow = (subject: string) =>
		page.getByRole('row').filter({ hasText: subject }).filter({ hasText: demo.member });
	await expect(async () => {
		await page.goto(`${base}/admin/outbox?state=sent`);
		await expect(sentRow("2031-Q1: Payments API's security assessment is open")).toContainText(
			'Sent'
		);
		await expect(sentRow("Payments API's 2031-Q1 assessment is due in 7 days")).toContainText(
			'Sent'
		);
	}).toPass({ timeout: 15_000 });
	await expect(page.getByText('Email is off (no SMTP_URL)')).toHaveCount(0);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('email choices on /account are saved per person', async ({ page }) => {
		await signIn(page, base, demo.lead, DEMO_PASSWORD);
		await page.goto(`${base}/account#notifications`);
		const box = page.getByRole('checkbox', { name: 'A new assessment cycle opens' });
		await expect(box).toBeChecked();
		await box.uncheck();
		await page.getByRole('button', { name: 'Save email choices' }).click();
		await expect(page.getByRole('status')).toContainText('Your email choices were saved.');
		await page.goto(`${base}/account`);
		await expect(
			page.getByRole('checkbox', { name: 'A new assessment cycle opens' })
		).not.toBeChecked();
		await expect(
			page.getByRole('checkbox', { name: "My team's assessment is returned with comments" })
		).toBeChecked();
	});
});
