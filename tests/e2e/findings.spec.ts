import { expect, test, type Browser, type Page } from '@playwright/test';
import { demo, paintedCanvases, signIn } from './fixtures';

// A team's findings page in the demo organisation (Payments API's pipelines upload Semgrep,
// Grype and Gitleaks results): figures with a drawn chart, the GET filters, the help disclosure,
// and a dismissal taken back, with and without JavaScript. Each dismissal is undone at once, so
// the shared demo server ends as it began.

const findings = `${demo.url}/teams/payments-api/findings`;
// The dismissal tests count Semgrep's findings only: integrations.spec.ts, which may run beside
// them on the same demo server, uploads CodeQL and Gitleaks results to this team.
const semgrep = `${findings}?tool=Semgrep+OSS`;

async function signedIn(browser: Browser, email: string, javaScriptEnabled = true): Promise<Page> {
	const context = await browser.newContext({ javaScriptEnabled });
	const page = await context.newPage();
	await signIn(page, demo.url, email, demo.password);
	return page;
}

/** The page's count of open findings, from its heading. */
async function openCount(page: Page): Promise<number> {
	const heading = await page.getByRole('heading', { name: /^Open findings: \d+$/ }).textContent();
	return Number(heading!.replace(/\D+/g, ''));
}

/**
 * How many findings the filtered list holds ("N open findings that match the filters."): the
 * team's whole count above it also moves when a spec beside this one uploads to the same team.
 */
async function listedCount(page: Page): Promise<number> {
	const line = await page
		.locator('section[aria-labelledby="list-heading"] > p[role="status"]')
		.textContent();
	return Number(/^\s*(\d+)/.exec(line!)![1]);
}

test('a member reads the figures, filters the list and opens a rule’s help', async ({
	browser
}) => {
	const page = await signedIn(browser, demo.member);
	await page.goto(`${demo.url}/teams/payments-api`);
	await page
		.getByRole('navigation', { name: 'Team' })
		.getByRole('link', { name: 'Findings' })
		.click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Payments API: findings');
	const open = await openCount(page);
	expect(open).toBeGreaterThan(0);
	// The weekly chart is drawn once the page is live; its numbers are one click away.
	await expect.poll(async () => (await paintedCanvases(page)).drawn).toBeGreaterThan(0);
	await page.getByRole('group').filter({ hasText: 'Table' }).first().getByText('Table').click();
	await expect(
		page.getByRole('table', { name: /first seen \(new\) and fixed per week/ })
	).toBeVisible();

	// The filters are a GET form: the address says what is shown.
	await page.getByLabel('Severity').selectOption('high');
	await page.getByRole('button', { name: 'Show' }).click();
	await expect(page).toHaveURL(/[?&]severity=high(?:&|$)/);
	const badges = page.locator('.findings .badge');
	await expect(badges.first()).toBeVisible();
	expect(new Set(await badges.allTextContents())).toEqual(new Set(['High']));

	// "How to fix" opens the rule's help further down.
	const howTo = page.getByRole('link', { name: /^How to fix/ }).first();
	await howTo.click();
	await expect(page.locator('details.help[open]')).toHaveCount(1);
	await page.context().close();
});

test('a member dismisses a finding with a reason and takes it back', async ({ browser }) => {
	const page = await signedIn(browser, demo.member);
	await page.goto(semgrep);
	await expect(page.getByLabel('Tool')).toHaveValue('Semgrep OSS');
	const before = await listedCount(page);
	const first = page.locator('.findings > li').first();
	const rule = (await first.locator('strong').first().textContent())!;
	await first.getByText('Dismiss', { exact: true }).click();
	// A reason is required: the browser asks for one before anything is sent.
	await first.getByRole('button', { name: 'Dismiss the finding' }).click();
	await expect(page).toHaveURL(semgrep);
	await first.getByLabel(/Why is this no problem/).fill('Test code only: never deployed.');
	await first.getByRole('button', { name: 'Dismiss the finding' }).click();
	const notice = page.getByRole('status').filter({ hasText: 'Dismissed:' });
	await expect(notice).toContainText(rule);
	expect(await listedCount(page)).toBe(before - 1);
	// The security team reads the reason among the dismissed findings.
	const security = await signedIn(browser, demo.security);
	await security.goto(`${findings}?state=dismissed`);
	await expect(security.getByText('Test code only: never deployed.')).toBeVisible();
	// That the security team outside the team may not dismiss or restore is tested on the route
	// (findings page.server.test.ts): here other specs running beside this one may have made the
	// demo's security user a member of the team.
	await security.context().close();
	await notice.getByRole('button', { name: 'Undo' }).click();
	await expect(notice).toHaveCount(0);
	expect(await listedCount(page)).toBe(before);
	await page.context().close();
});

test('dismissing and taking it back work without JavaScript', async ({ browser }) => {
	const page = await signedIn(browser, demo.lead, false);
	await page.goto(semgrep);
	await expect(page.getByLabel('Tool')).toHaveValue('Semgrep OSS');
	const before = await listedCount(page);
	const first = page.locator('.findings > li').first();
	await first.getByText('Dismiss', { exact: true }).click();
	await first.getByLabel(/Why is this no problem/).fill('Accepted risk until the rewrite.');
	await first.getByRole('button', { name: 'Dismiss the finding' }).click();
	// Back on the same filtered list, saying what was dismissed.
	await expect(page).toHaveURL(/\?tool=Semgrep\+OSS&dismissed=/);
	expect(await listedCount(page)).toBe(before - 1);
	await page.getByRole('status').getByRole('button', { name: 'Undo' }).click();
	await expect(page).toHaveURL(/\?tool=Semgrep\+OSS(?:#|$)/);
	expect(await listedCount(page)).toBe(before);
	await page.context().close();
});
