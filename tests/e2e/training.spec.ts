import { readFileSync, readdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import YAML from 'yaml';
import { demo, signIn, signOut } from './fixtures';

type Question = {
	id: string;
	kind: 'single' | 'multiple';
	text: string;
	options: { id: string; text: string }[];
	correct: string[];
	explanation: string;
};
const dir = 'content/training';
const tracks: { id: string; title: string; modules: string[] }[] = YAML.parse(
	readFileSync(`${dir}/tracks.yaml`, 'utf8')
).tracks;
const champion = tracks.find((t) => t.id === 'security-champion')!;
const frontMatter = (file: string) =>
	YAML.parse(readFileSync(file, 'utf8').split(/^---$/m)[1]!) as { title: string };

// The demo member (Ben, champion of Payments API) has done everything in the champion track
// except the last module's last lesson and its quiz.
const last = champion.modules.at(-1)!;
const lastTitle = frontMatter(`${dir}/${last}/module.md`).title;
const lessons = readdirSync(`${dir}/${last}`)
	.filter((f) => /^\d{2}-.*\.md$/.test(f))
	.sort()
	.map((f) => ({ id: f.slice(0, -3), title: frontMatter(`${dir}/${last}/${f}`).title }));
const questions: Question[] = YAML.parse(
	readFileSync(`${dir}/${last}/quiz.yaml`, 'utf8')
).questions;

/** How many pixels the page is wider than the screen (0 when nothing scrolls sideways). */
const overflow = (page: Page) =>
	page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function answerQuiz(page: Page, pick: (q: Question) => string[]) {
	for (const q of questions) {
		const group = page.getByRole('group', { name: q.text });
		for (const id of pick(q)) {
			await group.getByLabel(q.options.find((o) => o.id === id)!.text, { exact: true }).check();
		}
	}
	await page.getByRole('button', { name: 'Submit answers' }).click();
}

test('a champion reads, fails the quiz, retakes it, finishes the track and gets a certificate', async ({
	page,
	browser
}) => {
	test.setTimeout(90_000);
	await signIn(page, demo.url, demo.member, demo.password);
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Training' })
		.click();
	const track = page.getByRole('region', { name: champion.title });
	await expect(
		track.getByText(`${champion.modules.length - 1} of ${champion.modules.length} modules`)
	).toBeVisible();
	await expect(page.getByRole('table', { name: 'Assigned to you' })).toContainText(lastTitle);

	// Read: the module page, a finished lesson, then on to the last one.
	await track.getByRole('link', { name: `Continue with ${lastTitle}` }).click();
	await expect(page.getByRole('heading', { level: 1, name: lastTitle })).toBeVisible();
	await page.getByRole('link', { name: lessons.at(-2)!.title }).click();
	await expect(page.getByText('✓ Completed.')).toBeVisible();
	await page
		.getByRole('navigation', { name: 'Lessons' })
		.getByRole('link', { name: /Next/ })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: lessons.at(-1)!.title })).toBeVisible();
	const toc = page.getByRole('navigation', { name: 'On this page' });
	const firstHeading = toc.getByRole('link').first();
	const anchor = await firstHeading.getAttribute('href');
	await firstHeading.click();
	await expect(page).toHaveURL(new RegExp(`${anchor}$`));
	await page.getByRole('button', { name: 'Mark as completed' }).click();
	await expect(page.getByRole('status')).toContainText('Lesson marked as completed.');
	await expect(page.getByText('✓ Completed.')).toBeVisible();

	// Before any attempt the page carries the questions, never the answers or explanations.
	const quizUrl = `${demo.url}/training/${last}/quiz`;
	const source = await (await page.request.get(quizUrl)).text();
	expect(source).toContain(questions[0]!.options[0]!.text);
	expect(source).not.toMatch(/\bcorrect\s*:/);
	expect(source).not.toMatch(/\bexplanation\s*:/);
	for (const q of questions)
		expect(source).not.toContain(q.explanation.split(' ').slice(0, 6).join(' '));

	// Fail: every answer wrong; the explanations appear.
	await page
		.getByRole('link', { name: `Quiz: ${lastTitle}` })
		.first()
		.click();
	await answerQuiz(page, (q) => [q.options.find((o) => !q.correct.includes(o.id))!.id]);
	await expect(page.getByRole('status')).toContainText('Not passed this time');
	await expect(page.getByText(questions[0]!.explanation)).toBeVisible();

	// Retake and pass: the track is complete and the certificate is issued.
	await page.getByRole('link', { name: 'Retake the quiz' }).click();
	await answerQuiz(page, (q) => q.correct);
	await expect(page.getByRole('status').first()).toContainText(
		`You completed the track ${champion.title}`
	);
	await expect(page.getByText(/Passed: the pass mark is/)).toBeVisible();
	await page.getByRole('link', { name: 'View your certificate' }).click();
	const certificate = page.getByRole('article', { name: 'Certificate of completion' });
	await expect(certificate.getByText('Ben (Payments API)')).toBeVisible();
	await expect(certificate.getByText(champion.title, { exact: true })).toBeVisible();
	const verifyUrl = (await page
		.getByRole('link', { name: /\/certificates\// })
		.getAttribute('href'))!;
	expect(verifyUrl).toMatch(/\/certificates\/[a-z2-7]{32}$/);
	await signOut(page);

	// Anyone can verify it, signed out: name, track and date, nothing else.
	const visitor = await browser.newPage();
	const response = await visitor.goto(verifyUrl);
	expect(response?.status()).toBe(200);
	await expect(visitor.getByText('This certificate is genuine')).toBeVisible();
	await expect(visitor.getByText('Ben (Payments API)')).toBeVisible();
	await expect(visitor.getByText(champion.title, { exact: true })).toBeVisible();
	await expect(visitor.getByText(/Verification id|@demo\.rampart\.test/)).toHaveCount(0);
	const unknown = await visitor.goto(`${demo.url}/certificates/${'a'.repeat(32)}`);
	expect(unknown?.status()).toBe(404);
	await visitor.close();
});

test('a lead assigns a module and the member sees it; bad input is refused', async ({
	browser
}) => {
	const lead = await browser.newPage();
	await signIn(lead, demo.url, demo.lead, demo.password);
	await lead.goto(`${demo.url}/training`);
	await lead.getByRole('link', { name: 'Assign modules in Payments API' }).click();
	const due = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);
	await lead.getByLabel('Team member').selectOption({ label: 'Ben (Payments API)' });
	await lead
		.getByLabel('Module', { exact: true })
		.selectOption({ label: 'Threat modeling for delivery teams' });
	await lead.getByLabel('Due on').fill(due);
	await lead.getByRole('button', { name: 'Assign', exact: true }).click();
	await expect(lead.getByRole('status')).toContainText('The module was assigned.');
	await expect(lead.getByRole('table', { name: 'Assignments' })).toContainText('Threat modeling');

	const refused = await lead.request.post(`${demo.url}/training/assign/payments-api?/assign`, {
		form: { userId: 'not-a-user', moduleId: '', dueOn: '2001-01-01' },
		headers: { origin: demo.url, accept: 'text/html' }
	});
	expect(refused.status()).toBe(400);
	const text = await refused.text();
	expect(text).toContain('Choose a member of the team.');
	expect(text).toContain('The due date cannot be in the past.');
	await lead.close();

	const member = await browser.newPage();
	await signIn(member, demo.url, demo.member, demo.password);
	await member.goto(`${demo.url}/training`);
	const assigned = member.getByRole('table', { name: 'Assigned to you' });
	await expect(assigned.getByRole('row', { name: /Threat modeling/ })).toContainText(due);
	// A member may not assign, and gets nothing of another team.
	expect((await member.goto(`${demo.url}/training/assign/payments-api`))?.status()).toBe(403);
	expect((await member.goto(`${demo.url}/training/assign/checkout-web`))?.status()).toBe(404);
	expect((await member.goto(`${demo.url}/training/report`))?.status()).toBe(403);
	await member.close();
});

test('the security team sees the training report and exports it as CSV', async ({ page }) => {
	await signIn(page, demo.url, demo.security, demo.password);
	await page.goto(`${demo.url}/training/report`);
	await expect(page.getByRole('heading', { name: 'Training report' })).toBeVisible();
	await expect(page.getByRole('table', { name: 'Completion per team' })).toContainText(
		'Payments API'
	);
	await expect(page.getByRole('table', { name: 'Completion per module' })).toContainText(lastTitle);
	await expect(
		page.getByRole('table', { name: `Champions who have not finished ${champion.title}` })
	).toContainText('Priya (Identity)');
	await expect(page.getByRole('table', { name: 'Overdue assignments' })).toContainText(
		'Farid (Fraud Detection)'
	);
	const csv = await page.request.get(`${demo.url}/training/report.csv?table=overdue`);
	expect(csv.status()).toBe(200);
	expect(csv.headers()['content-type']).toContain('text/csv');
	expect(csv.headers()['content-disposition']).toMatch(/attachment; filename="training-overdue-/);
	const lines = (await csv.text()).split('\r\n');
	expect(lines[0]).toBe('team,person,email,module,due on,days overdue');
	expect(lines.some((l) => l.startsWith('Fraud Detection,Farid (Fraud Detection),'))).toBe(true);
	expect((await page.request.get(`${demo.url}/training/report.csv?table=users`)).status()).toBe(
		404
	);
});

test('lesson images are served from the module only, with a sandboxing CSP', async ({ page }) => {
	await signIn(page, demo.url, demo.member, demo.password);
	await page.goto(`${demo.url}/training/threat-modeling/02-data-flow-diagrams`);
	const image = page.getByRole('img', { name: /Data-flow diagram/ });
	await expect(image).toBeVisible();
	expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

	const svg = await page.request.get(`${demo.url}/training/threat-modeling/assets/dfd.svg`);
	expect(svg.status()).toBe(200);
	expect(svg.headers()['content-type']).toBe('image/svg+xml');
	expect(svg.headers()['x-content-type-options']).toBe('nosniff');
	expect(svg.headers()['content-security-policy']).toBe(
		"default-src 'none'; style-src 'unsafe-inline'; sandbox"
	);
	for (const path of [
		'threat-modeling/assets/module.md',
		'threat-modeling/assets/quiz.yaml',
		'threat-modeling/assets/..%2Fquiz.yaml',
		'threat-modeling/assets/%2e%2e%2f%2e%2e%2ftracks.yaml',
		'threat-modeling/assets/incident-lifecycle.svg',
		'no-such-module/assets/dfd.svg'
	]) {
		expect((await page.request.get(`${demo.url}/training/${path}`)).status(), path).toBe(404);
	}
});

test('training pages load without CSP violations or script errors', async ({ page }) => {
	const problems: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error') problems.push(m.text());
	});
	page.on('pageerror', (e) => problems.push(e.message));
	await signIn(page, demo.url, demo.lead, demo.password);
	for (const path of [
		'/training',
		'/training/pipeline-security-scanning',
		'/training/pipeline-security-scanning/02-sast-in-ci',
		'/training/threat-modeling/02-data-flow-diagrams',
		'/training/threat-modeling/quiz',
		'/training/assign/payments-api',
		'/practices/threat-modeling'
	]) {
		await page.goto(`${demo.url}${path}`);
		await page.waitForLoadState('networkidle');
	}
	expect(problems).toEqual([]);
});

test('the training pages and every lesson fit a phone screen', async ({ browser }) => {
	const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
	await signIn(page, demo.url, demo.member, demo.password);
	const modules = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
	const pages = ['/training', '/training/threat-modeling', '/training/threat-modeling/quiz'];
	for (const path of pages) {
		await page.goto(`${demo.url}${path}`);
		expect(await overflow(page), path).toBeLessThanOrEqual(0);
	}
	for (const m of modules) {
		for (const f of readdirSync(`${dir}/${m.name}`).filter((f) => /^\d{2}-.*\.md$/.test(f))) {
			await page.goto(`${demo.url}/training/${m.name}/${f.slice(0, -3)}`);
			expect(await overflow(page), `${m.name}/${f}`).toBeLessThanOrEqual(0);
		}
	}
	await page.close();
});

test('lessons and quizzes work without JavaScript', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await signIn(page, demo.url, 'rosa.data-pipeline@demo.rampart.test', demo.password);
	const module = champion.modules[0]!;
	const lesson = readdirSync(`${dir}/${module}`).find((f) => /^01-.*\.md$/.test(f))!;
	await page.goto(`${demo.url}/training/${module}/${lesson.slice(0, -3)}`);
	await page.getByRole('button', { name: 'Mark as completed' }).click();
	await expect(page.getByRole('status')).toContainText('Lesson marked as completed.');

	const quiz: Question[] = YAML.parse(readFileSync(`${dir}/${module}/quiz.yaml`, 'utf8')).questions;
	await page.goto(`${demo.url}/training/${module}/quiz`);
	await page.getByRole('button', { name: 'Submit answers' }).click();
	await expect(page.getByRole('alert')).toContainText(`${quiz.length} questions need`);
	await expect(page.getByText('Choose an answer.')).toHaveCount(quiz.length);
	for (const q of quiz) {
		await page
			.getByRole('group', { name: q.text })
			.getByLabel(q.options.find((o) => o.id === q.correct[0])!.text, { exact: true })
			.check();
	}
	await page.getByRole('button', { name: 'Submit answers' }).click();
	await expect(page.getByRole('heading', { name: 'Your result' })).toBeVisible();
	await context.close();
});
