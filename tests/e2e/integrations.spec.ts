import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { demo, signIn } from './fixtures';

/*
 * A team lead makes an API token in the browser and a pipeline uploads real scanner output
 * with it over HTTP, to the production server: the API takes the token and nothing else (no
 * session cookie in, none out), answers every refusal as JSON, and stops at its limits.
 */

const samples = new URL('../fixtures/sarif-samples/', import.meta.url);
const sample = (name: string) => readFileSync(new URL(name, samples));
const page = '/teams/payments-api/integrations';
const scans = `${demo.url}/api/v1/scans`;

async function makeToken(p: Page, name: string, read = false): Promise<string> {
	await p.goto(`${demo.url}${page}`);
	await p.getByLabel('Name').fill(name);
	if (read) await p.getByLabel(/Read the team/).check();
	await p.getByRole('button', { name: 'Make token' }).click();
	await expect(p.getByText('it is shown only this once')).toBeVisible();
	const token = await p.getByTestId('new-token').inputValue();
	expect(token).toMatch(/^rampart_pat_[a-z2-7]{40}$/);
	return token;
}

const upload = (
	request: APIRequestContext,
	token: string,
	body: Buffer,
	query = '?repository=payments/api&ref=refs/heads/main&commit=0123abc',
	headers: Record<string, string> = {}
) =>
	request.post(`${scans}${query}`, {
		data: body,
		headers: {
			Authorization: `Bearer ${token}`,
			'Content-Type': 'application/sarif+json',
			...headers
		}
	});

test('a lead makes a token, a pipeline uploads with it, the lead revokes it', async ({
	page: p,
	request
}) => {
	await signIn(p, demo.url, demo.lead, demo.password);
	await p.goto(`${demo.url}/teams/payments-api`);
	await p
		.getByRole('navigation', { name: 'Team' })
		.getByRole('link', { name: 'Integrations' })
		.click();
	await expect(p.getByRole('heading', { name: /integrations/ })).toBeVisible();
	const token = await makeToken(p, 'E2E pipeline', true);
	// Shown once: a reload shows the token's prefix in the list, never the token.
	await p.reload();
	await expect(p.getByRole('rowheader', { name: 'E2E pipeline' })).toBeVisible();
	expect(await p.content()).not.toContain(token);

	const first = await upload(request, token, sample('codeQL-output.sarif'));
	expect(first.status()).toBe(201);
	const body = await first.json();
	expect(body.counts).toMatchObject({ results: 72, new: 72, fixed: 0 });
	expect(body.tools[0]).toMatchObject({ name: 'CodeQL', catalogueTool: { id: 'codeql' } });
	expect(first.headers()['set-cookie']).toBeUndefined();
	const again = await upload(request, token, gzipSync(sample('codeQL-output.sarif')), undefined, {
		'Content-Encoding': 'gzip'
	});
	expect((await again.json()).counts).toMatchObject({ new: 0, unchanged: 72 });
	const summary = await request.get(body.url, { headers: { Authorization: `Bearer ${token}` } });
	expect(summary.status()).toBe(200);

	await p.reload();
	await expect(p.getByRole('rowheader', { name: 'payments/api' })).toBeVisible();
	await expect(p.getByRole('cell', { name: /from 127\.0\.0\.1/ })).toBeVisible();
	await p.getByRole('textbox', { name: 'Default branch of payments/api' }).fill('trunk');
	// The demo's scans give the team other repositories, each with its own Save.
	await p
		.getByRole('row')
		.filter({ has: p.getByRole('rowheader', { name: 'payments/api', exact: true }) })
		.getByRole('button', { name: 'Save' })
		.click();
	await expect(p.getByText('The repository is saved.')).toBeVisible();

	await p
		.getByRole('row', { name: /E2E pipeline/ })
		.getByText('Revoke…')
		.click();
	await p.getByRole('button', { name: 'Revoke “E2E pipeline”' }).click();
	await expect(p.getByText('The token is revoked')).toBeVisible();
	const refused = await upload(request, token, sample('gitleaks_7.5.0.sarif'));
	expect(refused.status()).toBe(403);
	expect(await refused.json()).toMatchObject({ error: 'forbidden', reason: 'revoked' });
});

test('the API takes no session cookie and sets none; its errors are JSON', async ({ page: p }) => {
	await signIn(p, demo.url, demo.lead, demo.password);
	// page.request carries the lead's session cookie.
	const withCookie = await p.request.post(`${scans}?repository=payments/api`, {
		data: sample('gitleaks_7.5.0.sarif'),
		headers: { 'Content-Type': 'application/sarif+json', origin: demo.url }
	});
	expect(withCookie.status()).toBe(401);
	expect(withCookie.headers()['set-cookie']).toBeUndefined();
	expect(withCookie.headers()['www-authenticate']).toBe('Bearer realm="rampart"');
	expect(await withCookie.json()).toMatchObject({ error: 'unauthorized' });
	const read = await p.request.get(`${demo.url}/api/v1/teams/payments-api/scores`);
	expect(read.status()).toBe(401);
	expect(read.headers()['set-cookie']).toBeUndefined();

	const token = await makeToken(p, 'E2E errors');
	const form = await p.request.fetch(`${scans}?repository=payments/api`, {
		method: 'POST',
		data: 'a=b',
		headers: {
			Authorization: `Bearer ${token}`,
			'Content-Type': 'application/x-www-form-urlencoded'
		}
	});
	// Not SvelteKit's 403 for cross-site forms: the API answers what is wrong.
	expect(form.status()).toBe(415);
	expect(await form.json()).toMatchObject({ error: 'unsupported_media_type' });
	const missing = await p.request.get(`${demo.url}/api/v1/nothing-here`);
	expect(missing.status()).toBe(404);
	expect(await missing.json()).toMatchObject({ error: 'not_found' });
	const method = await p.request.get(scans);
	expect(method.status()).toBe(405);
	expect(await method.json()).toMatchObject({ error: 'method_not_allowed' });
	const description = await p.request.get(`${demo.url}/api/v1/openapi.json`);
	expect((await description.json()).openapi).toBe('3.1.0');
});

test('uploads stop at their limits: a gzip bomb and a body over 10 MB are 413', async ({
	page: p,
	request
}) => {
	await signIn(p, demo.url, demo.lead, demo.password);
	const token = await makeToken(p, 'E2E limits');
	const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
	const refused = await upload(request, token, bomb, undefined, { 'Content-Encoding': 'gzip' });
	expect(refused.status()).toBe(413);
	expect((await refused.json()).message).toMatch(/decompressed/);
	const big = await upload(request, token, Buffer.alloc(10 * 1024 * 1024 + 1, 0x20));
	expect(big.status()).toBe(413);
	expect(await big.json()).toMatchObject({ error: 'payload_too_large' });
	// The server is still there and takes the next upload.
	const ok = await upload(
		request,
		token,
		sample('gitleaks_7.5.0.sarif'),
		'?repository=payments/limits'
	);
	expect(ok.status()).toBe(201);
});

test('without JavaScript a lead makes a token and sees it once; a member sees no token form', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const p = await context.newPage();
	await p.goto(`${demo.url}/login`);
	await p.getByLabel('Email').fill(demo.lead);
	await p.getByLabel('Password').fill(demo.password);
	await p.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(p).not.toHaveURL(/\/login/);
	await p.goto(`${demo.url}${page}`);
	await p.getByLabel('Name').fill('E2E no script');
	await p.getByRole('button', { name: 'Make token' }).click();
	await expect(p.getByTestId('new-token')).toHaveValue(/^rampart_pat_/);
	await context.close();

	const member = await browser.newPage();
	await signIn(member, demo.url, demo.member, demo.password);
	await member.goto(`${demo.url}${page}`);
	await expect(member.getByRole('button', { name: 'Make token' })).toHaveCount(0);
	await expect(
		member.getByText('The team lead and the security team make and revoke')
	).toBeVisible();
	await member.close();
});
