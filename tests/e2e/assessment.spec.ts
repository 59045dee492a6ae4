import { readdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import YAML from 'yaml';
import { demo, signIn, signOut } from './fixtures';

type PracticeFile = {
	id: string;
	phase: string;
	levels: { level: number; criteria: { id: string; text: string }[] }[];
};
const practices: PracticeFile[] = readdirSync('content/model/practices')
	.filter((f) => f.endsWith('.yaml'))
	.map((f) => YAML.parse(readFileSync(`content/model/practices/${f}`, 'utf8')));
const practice = (id: string) => practices.find((p) => p.id === id)!;
const criteria = (id: string, level: number) => practice(id).levels[level - 1]!.criteria;
const inPhase = (phase: string) => practices.filter((p) => p.phase === phase).length;
const total = practices.reduce((n, p) => n + p.levels.flatMap((l) => l.criteria).length, 0);

const slug = 'assessment-journey';
const cycle = '2027-Q1';
const base = `${demo.url}/teams/${slug}/assessments/${cycle}`;

async function answer(
	page: Page,
	text: string,
	choice: 'No' | 'Some teams or repos' | 'Most' | 'All'
) {
	const group = page.getByRole('group', { name: text });
	await group.getByLabel(choice, { exact: true }).check();
	await expect(group.getByRole('status')).toHaveText('Saved');
}

test('open a cycle, answer two phases, submit, return, resubmit, approve, see the scores', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const admin = await browser.newPage();
	await signIn(admin, demo.url, demo.admin, demo.password);
	await admin.goto(`${demo.url}/admin/teams`);
	await admin.getByLabel('Name').fill('Assessment Journey');
	await admin.getByLabel('Slug').fill(slug);
	await admin.getByRole('button', { name: 'Create team' }).click();
	await expect(admin.getByRole('heading', { name: 'Assessment Journey' })).toBeVisible();
	for (const [email, role] of [
		[demo.lead, 'lead'],
		[demo.member, 'member']
	] as const) {
		await admin.getByLabel('Email of an existing user').fill(email);
		await admin.getByLabel('Team role').selectOption(role);
		await admin.getByRole('button', { name: 'Add member' }).click();
		await expect(admin.getByRole('cell', { name: email })).toBeVisible();
	}
	await admin.goto(`${demo.url}/admin/cycles`);
	await admin.getByLabel('Name').fill(cycle);
	await admin.getByLabel('Starts on').fill('2027-01-01');
	await admin.getByLabel('Due on').fill('2027-03-19');
	await admin.getByRole('button', { name: 'Open cycle' }).click();
	await expect(admin.getByRole('status')).toContainText(`${cycle} is open`);
	await admin.close();

	// A member answers the plan and develop phases; answers save as they go.
	const member = await browser.newPage();
	await signIn(member, demo.url, demo.member, demo.password);
	await member.goto(`${base}/plan`);
	for (const c of criteria('threat-modeling', 1)) await answer(member, c.text, 'All');
	await member.goto(`${base}/develop`);
	for (const c of criteria('code-review', 1)) await answer(member, c.text, 'Most');
	await answer(member, criteria('code-review', 2)[0]!.text, 'All');

	// A criterion's comment and evidence fields are made when asked for: with JavaScript at once,
	// focused, saved as you go.
	const noted = member.getByRole('group', { name: criteria('code-review', 1)[0]!.text });
	await expect(noted.getByLabel('Comment')).toHaveCount(0);
	await noted.getByRole('button', { name: 'Add a comment or evidence' }).click();
	await expect(noted.getByLabel('Comment')).toBeFocused();
	await noted.getByLabel('Comment').fill('Two reviewers on payment code.');
	await noted.getByLabel('Comment').blur();
	await expect(noted.getByRole('status')).toHaveText('Saved');
	// Without JavaScript the phase form is saved and comes back with the fields of that criterion.
	const noScript = await browser.newContext({ javaScriptEnabled: false });
	const plain = await noScript.newPage();
	await signIn(plain, demo.url, demo.member, demo.password);
	await plain.goto(`${base}/develop`);
	await expect(plain.getByLabel('Comment')).toHaveCount(1);
	const second = plain.getByRole('group', { name: criteria('code-review', 1)[1]!.text });
	await second.getByRole('button', { name: 'Add a comment or evidence' }).click();
	await expect(plain).toHaveURL(/#criterion-/);
	await second
		.getByLabel('Evidence links (one per line)')
		.fill('https://git.example.com/payments/pulls?q=review');
	await plain.getByRole('button', { name: 'Save Develop' }).click();
	await expect(plain.getByText('Saved Develop.')).toBeVisible();
	await plain.goto(`${base}/develop`);
	await expect(second.getByRole('link', { name: /git\.example\.com/ })).toBeVisible();
	await expect(
		plain.getByRole('group', { name: criteria('code-review', 1)[0]!.text }).getByLabel('Comment')
	).toHaveValue('Two reviewers on payment code.');
	await noScript.close();

	// Two people on one answer: the stale change is refused and the other value shown.
	const lead = await browser.newPage();
	await signIn(lead, demo.url, demo.lead, demo.password);
	await lead.goto(`${base}/plan`);
	const contested = criteria('security-policies', 1)[0]!.text;
	await member.goto(`${base}/plan`);
	await answer(member, contested, 'Some teams or repos');
	const leadGroup = lead.getByRole('group', { name: contested });
	// click, not check: the refusal puts the other person's answer back at once.
	await leadGroup.getByLabel('All', { exact: true }).click();
	await expect(leadGroup.getByRole('alert')).toContainText(
		'changed this answer while you were editing'
	);
	await expect(leadGroup.getByLabel('Some teams or repos', { exact: true })).toBeChecked();
	await expect(member.getByRole('button', { name: 'Submit for review' })).toHaveCount(0);

	// The lead sees what is unanswered, per phase, and must confirm it is submitted as "no".
	await lead.goto(base);
	const submitForm = lead.getByRole('form', { name: 'Submit for review' });
	const answeredByHand =
		criteria('threat-modeling', 1).length + criteria('code-review', 1).length + 2;
	const left = total - answeredByHand;
	await expect(submitForm).toContainText(`${left} criteria are unanswered`);
	await expect(submitForm).toContainText('counts as “no” (0) in the score');
	await expect(submitForm.getByRole('heading', { name: /^Build \(\d+\)$/ })).toBeVisible();
	await lead.getByRole('button', { name: 'Submit for review' }).click();
	await expect(submitForm.getByRole('alert')).toContainText(
		`${left} criteria are unanswered: answer them, or confirm`
	);
	await expect(lead.getByText('Draft', { exact: true })).toBeVisible();
	// A link in the list leads to the criterion on its phase page.
	const firstLink = submitForm.getByRole('link').first();
	const target = (await firstLink.getAttribute('href'))!.split('#')[1]!;
	await firstLink.click();
	await expect(lead.locator(`[id="${target}"]`)).toBeInViewport();
	await expect(lead.getByText(/\d+ of \d+ answered in /)).toBeVisible();
	await lead.goto(base);
	await lead.getByLabel(`Submit the ${left} unanswered criteria as “no”`).check();
	await lead.getByRole('button', { name: 'Submit for review' }).click();
	await expect(lead.getByRole('status')).toContainText('Submitted');
	// The lead submits; security returns it; the lead resubmits; security approves.
	const security = await browser.newPage();
	await signIn(security, demo.url, demo.security, demo.password);
	await security.goto(`${demo.url}/assessments`);
	await security.getByRole('link', { name: 'Assessment Journey' }).first().click();
	await security.getByRole('button', { name: 'Return to the team' }).click();
	await expect(security.getByText('Say what the team should change')).toBeVisible();
	await security
		.getByLabel(/Comment to the team/)
		.fill('Please add evidence for the code review answers.');
	await security.getByRole('button', { name: 'Return to the team' }).click();
	// The queue leads to the reviewer's workspace, which also says the assessment is now returned.
	await expect(security.getByText('Returned to the team with your comment.')).toBeVisible();
	await lead.goto(base);
	await expect(lead.getByText('Please add evidence for the code review answers.')).toBeVisible();
	await lead.getByLabel(`Submit the ${left} unanswered criteria as “no”`).check();
	await lead.getByRole('button', { name: 'Submit for review' }).click();
	await expect(lead.getByRole('status')).toContainText('Submitted');
	await security.goto(base);
	await security.getByRole('button', { name: 'Approve' }).click();
	await expect(security.getByText('Approved', { exact: true })).toBeVisible();

	// Scores computed by hand from the answers given.
	const tm = 1; // threat modeling: level 1 all "all" → 1 + 0 + 0 + 0
	const sp = 0.25 / criteria('security-policies', 1).length; // one "some" at level 1
	const plan = (tm + sp) / inPhase('plan');
	const cr = 0.5 + 1 / criteria('code-review', 2).length; // level 1 "most", one "all" at level 2
	const develop = cr / inPhase('develop');
	const team = (plan + develop) / 6;
	await security.goto(`${demo.url}/teams/${slug}`);
	await expect(security.getByText(`Team score ${team.toFixed(2)} of 4`)).toBeVisible();
	const table = security.getByRole('table', { name: 'Score per phase (0–4)' });
	await expect(table.getByRole('row', { name: /^Plan/ })).toContainText(plan.toFixed(2));
	await expect(table.getByRole('row', { name: /^Develop/ })).toContainText(develop.toFixed(2));
	// The radar is drawn on the server as SVG: this cycle's outline has a point per phase.
	const outline = security.locator('figure.radar polygon.series').first();
	await expect(outline).toBeVisible();
	expect((await outline.getAttribute('points'))!.trim().split(/\s+/)).toHaveLength(6);
	const practicesTable = security.getByRole('table', { name: 'Practices' });
	await expect(practicesTable.getByRole('row', { name: /Threat modeling/ })).toContainText('1.00');
});

test('refused assessment writes change nothing', async ({ page }) => {
	await signIn(page, demo.url, demo.member, demo.password);
	const post = (path: string, form: Record<string, string>) =>
		page.request.post(`${demo.url}${path}?/saveAnswer`, {
			form,
			headers: { origin: demo.url, accept: 'text/html' }
		});
	const criterionId = criteria('threat-modeling', 1)[0]!.id;
	// Another team's assessment: not found, nothing of it shown.
	expect(
		(
			await post('/teams/checkout-web/assessments/2026-Q4/plan', {
				criterionId,
				value: '1',
				baseVersion: '0'
			})
		).status()
	).toBe(404);
	// A value off the scale, an unknown criterion: refused with a message.
	const own = '/teams/payments-api/assessments/2026-Q4/plan';
	const off = await post(own, { criterionId, value: '0.75', baseVersion: '1' });
	expect(off.status()).toBe(400);
	expect(await off.text()).toContain('Choose no, some, most or all.');
	const unknown = await post(own, { criterionId: 'made-up.1.a', value: '1', baseVersion: '0' });
	expect(unknown.status()).toBe(400);
	// A closed cycle is read-only.
	const closed = await post('/teams/payments-api/assessments/2026-Q2/plan', {
		criterionId,
		value: '1',
		baseVersion: '1'
	});
	expect(closed.status()).toBe(400);
	expect(await closed.text()).toContain('This cycle is closed');
	// Not applicable without a reason.
	const na = await page.request.post(`${demo.url}${own}?/savePractice`, {
		form: {
			practiceId: 'threat-modeling',
			notApplicable: 'on',
			reason: '',
			target: '',
			baseVersion: '1'
		},
		headers: { origin: demo.url, accept: 'text/html' }
	});
	expect(na.status()).toBe(400);
	await page.goto(`${demo.url}/teams/payments-api/assessments/2026-Q4`);
	await expect(page.getByRole('row', { name: /Threat modeling/ })).not.toContainText(
		'not applicable'
	);
	await signOut(page);
});
