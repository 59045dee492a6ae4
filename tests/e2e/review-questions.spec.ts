import { readFileSync } from 'node:fs';
import { expect, test, type Browser } from '@playwright/test';
import YAML from 'yaml';
import { demo, signIn } from './fixtures';

type PracticeFile = { levels: { criteria: { id: string; text: string }[] }[] };
const firstCriterion = (practice: string) =>
	(YAML.parse(readFileSync(`content/model/practices/${practice}.yaml`, 'utf8')) as PracticeFile)
		.levels[0]!.criteria[0]!;

async function signedIn(browser: Browser, email: string, javaScriptEnabled = true) {
	const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
	await signIn(page, demo.url, email, demo.password);
	return page;
}

// Analytics' 2026-Q4 assessment is submitted in the demo, with no questions yet.
test('a reviewer asks on a criterion, cannot approve until the team answers it there, then approves', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const base = `${demo.url}/teams/analytics/assessments/2026-Q4`;
	const criterion = firstCriterion('static-analysis');

	const security = await signedIn(browser, demo.security);
	await security.goto(base);
	await security.getByRole('link', { name: /Review workspace/ }).click();
	await expect(security.getByRole('heading', { name: 'Review: Analytics, 2026-Q4' })).toBeVisible();
	await expect(security.getByText(/compared with 2026-Q3/)).toBeVisible();
	// Changed criteria are shown first; the filters work as a plain GET form.
	await expect(security.getByLabel('Criteria', { exact: true })).toHaveValue('changed');
	await security.getByLabel('Phase').selectOption('build');
	await security.getByLabel('Criteria', { exact: true }).selectOption('all');
	await security.getByRole('button', { name: 'Show' }).click();
	await expect(security).toHaveURL(/\?phase=build&show=all/);
	await expect(security.getByRole('heading', { name: 'Plan', exact: true })).toHaveCount(0);

	const row = security.getByRole('article', { name: criterion.text });
	await row.getByText('Ask the team about this criterion').click();
	await row.getByLabel('Your question').fill('Which repositories does SAST run on?');
	await row.getByRole('button', { name: 'Ask' }).click();
	await expect(row.getByRole('status')).toHaveText('Question sent to the team.');
	await expect(row.getByText('Which repositories does SAST run on?')).toBeVisible();
	await expect(row.getByText('Open: waiting for the team')).toBeVisible();

	await security.getByRole('button', { name: 'Approve' }).click();
	await expect(security.getByRole('alert')).toContainText(
		'Not approved: 1 open question to the team'
	);

	// The team sees the question on the assessment page and answers it on the criterion.
	const member = await signedIn(browser, 'tomas.analytics@demo.rampart.test');
	await member.goto(base);
	await expect(member.getByText('1 open question')).toBeVisible();
	await member.getByRole('link', { name: criterion.text }).click();
	await expect(member).toHaveURL(/\/build#question-/);
	const thread = member.locator('.thread', { hasText: 'Which repositories does SAST run on?' });
	await thread.getByLabel('Your answer').fill('Every service repository, on each pull request.');
	await thread.getByRole('button', { name: 'Send answer' }).click();
	await expect(thread.getByRole('status')).toHaveText('Answer sent.');
	await expect(thread.getByText('Every service repository, on each pull request.')).toBeVisible();
	await expect(thread.getByText('Answered')).toBeVisible();

	await security.reload();
	await expect(row.getByText('Every service repository, on each pull request.')).toBeVisible();
	await security.getByRole('button', { name: 'Approve' }).click();
	await expect(security.getByRole('status').filter({ hasText: 'Approved.' })).toBeVisible();
	await security.goto(base);
	await expect(security.getByText('Approved', { exact: true })).toBeVisible();
});

// The same journey without JavaScript, on Notifications (submitted, its questions settled).
test('without JavaScript: ask, answer from the phase form, approve', async ({ browser }) => {
	test.setTimeout(90_000);
	const base = `${demo.url}/teams/notifications/assessments/2026-Q4`;
	const criterion = firstCriterion('secret-detection');

	const security = await signedIn(browser, 'secops@demo.rampart.test', false);
	await security.goto(`${base}/review?phase=build&show=all`);
	const row = security.getByRole('article', { name: criterion.text });
	await row.getByText('Ask the team about this criterion').click();
	await row.getByLabel('Your question').fill('Is the secret scan required on main?');
	await row.getByRole('button', { name: 'Ask' }).click();
	await expect(row.getByText('Open: waiting for the team')).toBeVisible();

	const member = await signedIn(browser, 'lars.notifications@demo.rampart.test', false);
	await member.goto(`${base}/build`);
	const thread = member.locator('.thread', { hasText: 'Is the secret scan required on main?' });
	await thread.getByLabel('Your answer').fill('Yes, a required status check.');
	await thread.getByRole('button', { name: 'Send answer' }).click();
	await expect(member).toHaveURL(/\/build#question-/);
	await expect(thread.getByText('Yes, a required status check.')).toBeVisible();

	await security.goto(`${base}/review`);
	await security.getByRole('button', { name: 'Approve' }).click();
	await expect(security.getByRole('status').filter({ hasText: 'Approved.' })).toBeVisible();
});
