import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { demo, signIn } from './fixtures';
import { expected, runScanners, scannedRepo, type ExpectedFinding } from './scanners';

/*
 * A pipeline as CI runs one: real scanners (ESLint with Microsoft's SARIF formatter, secretlint
 * with its own) over a repository with known problems, their SARIF uploaded with curl to the
 * production server with a token a lead made in the browser, and the findings read back on the
 * team's findings page as a person reads them.
 */

// A team no other spec and no demo scan touches: integrations.spec.ts counts payments-api's
// repositories and moves payments/api's default branch away from main.
const team = 'finance-integrations';
const lead = 'wen.finance-integrations@demo.rampart.test';
const repository = 'finance/pipeline-fixture';
const commit = '5ca1ab1e0000000000000000000000000000e2e0';

interface Answer {
	status: number;
	body: { counts: Record<string, number>; tools: { name: string }[] };
}

/** `curl` as the README shows it; the token goes in on stdin, so it never appears in `ps`. */
function curlUpload(token: string, file: string): Promise<Answer> {
	const query = new URLSearchParams({ repository, ref: 'main', commit });
	const args = [
		'-sS',
		'-X',
		'POST',
		'--header',
		'@-',
		'-H',
		'Content-Type: application/sarif+json',
		'--data-binary',
		`@${file}`,
		'--write-out',
		'\n%{http_code}',
		`${demo.url}/api/v1/scans?${query}`
	];
	return new Promise((resolve, reject) => {
		const child = execFile('/usr/bin/curl', args, { timeout: 30_000 }, (error, stdout, stderr) => {
			if (error) return reject(new Error(`curl failed: ${stderr || error.message}`));
			const cut = stdout.lastIndexOf('\n');
			resolve({ status: Number(stdout.slice(cut + 1)), body: JSON.parse(stdout.slice(0, cut)) });
		});
		child.stdin?.end(`Authorization: Bearer ${token}\n`);
	});
}

async function makeToken(p: Page): Promise<string> {
	await p.goto(`${demo.url}/teams/${team}/integrations`);
	await p.getByLabel('Name').fill('E2E scanners pipeline');
	await p.getByRole('button', { name: 'Make token' }).click();
	await expect(p.getByText('it is shown only this once')).toBeVisible();
	return p.getByTestId('new-token').inputValue();
}

/** One finding in the list: the item whose rule id is shown as code. */
function findingItem(list: Locator, f: ExpectedFinding): Locator {
	return list
		.getByRole('listitem')
		.filter({ has: list.page().getByText(f.ruleId, { exact: true }) });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('real scanners’ SARIF, uploaded with curl, shows on the team’s findings page', async ({
	page: p
}, testInfo) => {
	test.setTimeout(90_000);
	const [sarif] = await Promise.all([
		runScanners(testInfo.outputPath()),
		signIn(p, demo.url, lead, demo.password)
	]);
	const token = await makeToken(p);

	const eslint = await curlUpload(token, sarif.eslint);
	expect(eslint.status).toBe(201);
	expect(eslint.body.tools.map((t) => t.name)).toEqual(['ESLint']);
	const n = { eslint: expected.eslint.length, secretlint: expected.secretlint.length };
	expect(eslint.body.counts).toMatchObject({ results: n.eslint, new: n.eslint, fixed: 0 });
	const secretlint = await curlUpload(token, sarif.secretlint);
	expect(secretlint.status).toBe(201);
	expect(secretlint.body.tools.map((t) => t.name)).toEqual(['secretlint']);
	expect(secretlint.body.counts).toMatchObject({
		results: n.secretlint,
		new: n.secretlint,
		fixed: 0
	});

	// As a person would: the team's findings, narrowed to the repository with the filter form.
	await p.goto(`${demo.url}/teams/${team}/findings`);
	await p.getByLabel('Repository').selectOption(repository);
	await p.getByRole('button', { name: 'Show' }).click();
	const found = p.getByRole('region', { name: 'The findings' });
	await expect(found.getByRole('status')).toHaveText(
		new RegExp(`^${n.eslint + n.secretlint}\\s+open\\s+findings`)
	);
	const list = found.getByRole('list').first();
	await expect(list.getByRole('listitem')).toHaveCount(n.eslint + n.secretlint);
	for (const f of [...expected.eslint, ...expected.secretlint]) {
		const item = findingItem(list, f);
		await expect(item, f.ruleId).toHaveCount(1);
		await expect(item.getByText(f.severity, { exact: true })).toBeVisible();
		// ESLint's formatter writes absolute file: URIs, so its paths end with the repository's.
		await expect(item.getByText(new RegExp(`(^|/)${escape(f.location)}$`))).toBeVisible();
		await expect(item.getByText(repository)).toBeVisible();
	}
	// secretlint masks the key in its message; the page never shows it.
	await expect(p.getByText('found AWS Secret Access Key')).toBeVisible();
	const env = readFileSync(path.join(scannedRepo, 'config/deploy.env'), 'utf8');
	const key = /^AWS_SECRET_ACCESS_KEY=(\S+)$/m.exec(env)?.[1];
	expect(key).toBeTruthy();
	expect(await p.content()).not.toContain(key);

	// The next pipeline run reports the same problems: nothing new, nothing fixed.
	const again = await Promise.all([
		curlUpload(token, sarif.eslint),
		curlUpload(token, sarif.secretlint)
	]);
	expect(again.map((a) => a.status)).toEqual([201, 201]);
	expect(again[0].body.counts).toMatchObject({ new: 0, fixed: 0, unchanged: n.eslint });
	expect(again[1].body.counts).toMatchObject({ new: 0, fixed: 0, unchanged: n.secretlint });
	await p.reload();
	await expect(list.getByRole('listitem')).toHaveCount(n.eslint + n.secretlint);
});
