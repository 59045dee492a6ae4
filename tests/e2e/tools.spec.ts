import { expect, test, type Page } from '@playwright/test';
import { demo, signIn } from './fixtures';

const lead = 'chloe.checkout-web@demo.rampart.test';
const team = `${demo.url}/teams/checkout-web`;

async function cellText(page: Page, table: string, row: RegExp, column: number) {
	const r = page.getByRole('table', { name: table }).getByRole('row', { name: row });
	return (await r.locator('td').nth(column).textContent())!.trim();
}

test('a lead records tools and responsibility; the security team sees the figures move', async ({
	browser
}) => {
	const security = await browser.newPage();
	await signIn(security, demo.url, demo.security, demo.password);
	await security.goto(`${demo.url}/tools`);
	const nucleiBefore = await cellText(
		security,
		'Share of teams at each adoption state, Dynamic analysis (DAST)',
		/^Nuclei/,
		0
	);
	expect(nucleiBefore).toBe('0 %');
	await security.goto(`${demo.url}/responsibility`);
	const nobodyColumn = 4;
	const before = Number(
		await cellText(
			security,
			'Responsibility per practice (teams)',
			/^Secret detection/,
			nobodyColumn
		)
	);

	const page = await browser.newPage();
	await signIn(page, demo.url, lead, demo.password);
	await page.goto(`${team}/tools`);
	// Tools not in use yet are added from the catalogue search, which filters as you type.
	const search = page.getByRole('searchbox', { name: 'Search the catalogue' });
	for (const [tool, state] of [
		['Nuclei', 'Enforced in the pipeline'],
		['Grype', 'Adopted'],
		['Wiz', 'Evaluating']
	] as const) {
		await search.fill(tool.toLowerCase());
		await expect(page.getByRole('status').filter({ hasText: /match/ })).toContainText(
			`“${tool.toLowerCase()}”`
		);
		await page.getByLabel(`How far ${tool} is`, { exact: true }).selectOption({ label: state });
		await page.getByRole('button', { name: `Add ${tool}`, exact: true }).click();
		await expect(page.getByText(`${tool} is now recorded as`)).toBeVisible();
		await expect(search).toBeFocused();
		await expect(page.getByLabel(`State of ${tool}`, { exact: true })).toHaveValue(
			{ 'Enforced in the pipeline': 'enforced', Adopted: 'adopted', Evaluating: 'evaluating' }[
				state
			]
		);
	}
	// A row of the tools in use saves as you go.
	await page.getByLabel('State of Wiz', { exact: true }).selectOption({ label: 'Adopted' });
	await expect(page.getByRole('row', { name: /^Wiz/ }).getByRole('status')).toHaveText('Saved');
	await page.goto(`${team}/responsibility`);
	await page
		.getByLabel('Responsible for Secret detection', { exact: true })
		.selectOption({ label: 'Nobody' });
	await expect(page.getByRole('row', { name: /^Secret detection/ }).getByRole('status')).toHaveText(
		'Saved'
	);
	await page
		.getByLabel('Responsible for Threat modeling', { exact: true })
		.selectOption({ label: 'Delivery team' });
	await page
		.getByLabel('Accountable for Threat modeling', { exact: true })
		.selectOption({ index: 1 });
	await expect(page.getByRole('row', { name: /^Threat modeling/ }).getByRole('status')).toHaveText(
		'Saved'
	);

	await security.goto(`${demo.url}/tools`);
	expect(
		await cellText(
			security,
			'Share of teams at each adoption state, Dynamic analysis (DAST)',
			/^Nuclei/,
			0
		)
	).not.toBe('0 %');
	await security.goto(`${demo.url}/responsibility`);
	expect(
		Number(
			await cellText(
				security,
				'Responsibility per practice (teams)',
				/^Secret detection/,
				nobodyColumn
			)
		)
	).toBe(before + 1);
	await expect(security.getByRole('link', { name: 'Secret detection' }).first()).toBeVisible();
});

test('another team cannot change these, and bad input changes nothing', async ({ page }) => {
	await signIn(page, demo.url, demo.member, demo.password);
	const post = (path: string, form: Record<string, string>) =>
		page.request.post(`${demo.url}${path}`, {
			form,
			headers: { origin: demo.url, accept: 'text/html' }
		});
	expect(
		(
			await post('/teams/checkout-web/tools?/setAdoption', { toolId: 'semgrep', state: 'enforced' })
		).status()
	).toBe(404);
	expect(
		(
			await post('/teams/checkout-web/responsibility?/set', {
				practiceId: 'threat-modeling',
				party: 'nobody'
			})
		).status()
	).toBe(404);
	expect(
		(
			await post('/teams/checkout-web/rota?/save', { rotationWeeks: '1', startsOn: '2026-11-02' })
		).status()
	).toBe(404);
	// A plain member of their own team: adoption yes, responsibility and rota no.
	expect(
		(
			await post('/teams/payments-api/responsibility?/set', {
				practiceId: 'threat-modeling',
				party: 'nobody'
			})
		).status()
	).toBe(403);
	expect(
		(
			await post('/teams/payments-api/rota?/save', { rotationWeeks: '1', startsOn: '2026-11-02' })
		).status()
	).toBe(403);
	const badState = await post('/teams/payments-api/tools?/setAdoption', {
		toolId: 'semgrep',
		state: 'loved'
	});
	expect(badState.status()).toBe(400);
	expect(await badState.text()).toContain('Choose not used, evaluating, adopted or enforced.');
	const unknown = await post('/teams/payments-api/tools?/setAdoption', {
		toolId: 'made-up',
		state: 'adopted'
	});
	expect(unknown.status()).toBe(400);
	expect(await unknown.text()).toContain('Unknown or retired tool.');
	await page.goto(`${demo.url}/teams/payments-api/tools?all`);
	await expect(page.getByLabel('State of Semgrep', { exact: true })).not.toHaveValue('loved');
});

test('the lead cannot name an outsider accountable or save an empty rota', async ({ page }) => {
	await signIn(page, demo.url, demo.lead, demo.password);
	const post = (path: string, form: Record<string, string>) =>
		page.request.post(`${demo.url}${path}`, {
			form,
			headers: { origin: demo.url, accept: 'text/html' }
		});
	const outsider = await post('/teams/payments-api/responsibility?/set', {
		practiceId: 'threat-modeling',
		party: 'delivery',
		accountableUserId: '00000000-0000-4000-8000-000000000000'
	});
	expect(outsider.status()).toBe(400);
	expect(await outsider.text()).toContain('must be a member of this team');
	const empty = await post('/teams/payments-api/rota?/save', {
		rotationWeeks: '1',
		startsOn: '2026-11-02'
	});
	expect(empty.status()).toBe(400);
	expect(await empty.text()).toContain('at least one team member');
	await page.goto(`${demo.url}/teams/payments-api/rota`);
	await expect(page.getByText('On duty now')).toBeVisible();
});

test('without JavaScript a lead searches the catalogue and adds a tool', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await signIn(page, demo.url, 'grace.mobile-app@demo.rampart.test', demo.password);
	await page.goto(`${demo.url}/teams/mobile-app/tools`);
	await page.getByRole('searchbox', { name: 'Search the catalogue' }).fill('cloud posture');
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await expect(page).toHaveURL(/\?q=cloud\+posture$/);
	const results = page.getByRole('list', { name: 'Tools that match “cloud posture”' });
	// Each result names its category.
	await expect(results.getByRole('listitem').first()).toContainText(
		'Cloud security posture management (CSPM)'
	);
	const first = (await results.getByRole('listitem').first().locator('strong').textContent())!;
	await page.getByRole('button', { name: `Add ${first}`, exact: true }).click();
	await expect(page.getByText(`${first} is now recorded as adopted.`)).toBeVisible();
	// The search is still there after the post, and the tool is now among those in use.
	await expect(page.getByRole('searchbox', { name: 'Search the catalogue' })).toHaveValue(
		'cloud posture'
	);
	await expect(page.getByLabel(`State of ${first}`, { exact: true })).toHaveValue('adopted');
	await context.close();
});
