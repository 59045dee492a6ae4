import { readdirSync, readFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import YAML from 'yaml';
import { servers } from '../../playwright.config';
import { demo } from './fixtures';
import { startOwnServer, type OwnServer } from './own-server';

// A demo server of its own: this journey opens a cycle, which would change the current cycle
// under every other spec on the shared demo server.
const port = servers.spare + 6;
const base = `http://127.0.0.1:${port}`;
const cycle = '2027-Q1';

const phaseOf = new Map(
	readdirSync('content/model/practices')
		.filter((f) => f.endsWith('.yaml'))
		.map((f) => YAML.parse(readFileSync(`content/model/practices/${f}`, 'utf8')))
		.map((p: { id: string; phase: string }) => [p.id, p.phase])
);

let server: OwnServer | undefined;

test.beforeAll(async () => {
	test.setTimeout(120_000);
	server = await startOwnServer(port);
});

test.afterAll(async () => {
	await server?.stop();
});

async function signedIn(browser: Browser, email: string, javaScriptEnabled = true): Promise<Page> {
	const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
	await page.goto(`${base}/login`);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(demo.password);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	// Signed in once the sign-in page is left (the header differs by screen width).
	await expect(page).not.toHaveURL(/\/login/);
	return page;
}

test('a lead plans a next step; the item carries into the next cycle and reports itself met', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const action = 'Make this criterion true for every repository';
	const lead = await signedIn(browser, demo.lead);

	// From the team page's plan section to the next steps on the plan page.
	await lead.goto(`${base}/teams/payments-api`);
	const section = lead.getByRole('region', { name: 'Improvement plan' });
	await section.getByRole('link', { name: 'Plan a next step' }).click();
	const nextSteps = lead.getByRole('region', { name: 'Turn into plan items' });
	const planThis = nextSteps.getByRole('link', { name: /^Plan this\b/ }).first();
	const href = (await planThis.getAttribute('href'))!;
	const criterionId = new URL(href, base).searchParams.get('criterion')!;
	const text = (await planThis.textContent())!.replace(/^Plan this: /, '');
	await planThis.click();

	// The form starts from that criterion; the lead names an owner and a due date.
	const form = lead.getByRole('region', { name: 'Add an item' });
	await expect(form.getByRole('radio', { name: new RegExp(escape(text)) })).toBeChecked();
	await form.getByLabel('What will be done', { exact: true }).fill(action);
	await form.getByLabel('Owner', { exact: true }).selectOption({ label: 'Ben (Payments API)' });
	await form.getByLabel('Due on', { exact: true }).fill('2027-02-15');
	await form.getByRole('button', { name: 'Add to plan' }).click();
	await expect(lead.getByRole('status')).toHaveText(`Saved: “${action}” is planned.`);
	const item = lead.getByRole('listitem', { name: action });
	await expect(item).toContainText(text);
	await expect(item).toContainText('Owner: Ben (Payments API)');
	await expect(item).toContainText('Due 2027-02-15');
	await expect(item).toContainText('made in 2026-Q4');
	await expect(item).not.toContainText('met in');

	// Without JavaScript, the same forms work: the lead starts the work.
	const plain = await signedIn(browser, demo.lead, false);
	await plain.goto(`${base}/teams/payments-api/plan`);
	await plain
		.getByRole('listitem', { name: action })
		.getByRole('button', { name: /^Start\b/ })
		.click();
	await expect(plain.getByRole('status')).toHaveText(`Saved: “${action}” is in progress.`);
	await plain.close();

	// The admin opens the next cycle.
	const admin = await signedIn(browser, demo.admin);
	await admin.goto(`${base}/admin/cycles`);
	await admin.getByLabel('Name').fill(cycle);
	await admin.getByLabel('Starts on').fill('2027-01-01');
	await admin.getByLabel('Due on').fill('2027-03-19');
	await admin.getByRole('button', { name: 'Open cycle' }).click();
	await expect(admin.getByRole('status')).toContainText(`${cycle} is open`);
	await admin.close();

	// The item is still on the plan, carried over from the cycle it was made in.
	await lead.goto(`${base}/teams/payments-api/plan`);
	await expect(item).toContainText('In progress');
	await expect(item).toContainText('made in 2026-Q4; carried over');
	await expect(item).not.toContainText('met in');

	// The member answers the criterion "all" in the new cycle: the item reports itself met.
	const member = await signedIn(browser, demo.member);
	const phase = phaseOf.get(criterionId.split('.')[0]!)!;
	await member.goto(`${base}/teams/payments-api/assessments/${cycle}/${phase}`);
	const group = member.getByRole('group', { name: text });
	await group.getByLabel('All', { exact: true }).check();
	await expect(group.getByRole('status')).toHaveText('Saved');
	await member.close();

	await lead.goto(`${base}/teams/payments-api/plan`);
	await expect(item).toContainText(`met in ${cycle}`);
	await lead.goto(`${base}/teams/payments-api`);
	await expect(
		section.getByRole('listitem').filter({ hasText: action }).getByText('met', { exact: true })
	).toBeVisible();
});

function escape(text: string) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
