import { expect, test, type Page } from '@playwright/test';
import axe from 'axe-core';
import { demo, signIn } from './fixtures';
import { mainPages, signInOf, type Role } from './main-pages';

// axe-core from node_modules, evaluated in the page through the browser's debugging protocol
// (the page's CSP does not apply to it): nothing is downloaded while the tests run.
const RULES = {
	type: 'tag' as const,
	values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']
};

/** Every axe violation on the page as one line: rule, impact, how many nodes, the first ones. */
async function violations(page: Page): Promise<string[]> {
	await page.evaluate(axe.source);
	const result = await page.evaluate(
		(runOnly) => (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly }),
		RULES
	);
	return result.violations.map(
		(v) =>
			`${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes
				.slice(0, 3)
				.map((n) => n.target.join(' '))
				.join(' | ')}`
	);
}

for (const role of Object.keys(mainPages) as Role[]) {
	test(`${role}: every main page passes axe`, async ({ page }) => {
		test.setTimeout(120_000);
		await signIn(page, demo.url, signInOf[role], demo.password);
		const found: string[] = [];
		for (const path of mainPages[role]) {
			const response = await page.goto(`${demo.url}${path}`);
			expect(response?.status(), path).toBe(200);
			// Hydrated (+layout.svelte marks it), so what JavaScript adds is checked too; a page served
			// without JavaScript (csr = false) has no script. Quicker than networkidle's 0.5 s of quiet.
			await page.waitForFunction(
				() =>
					document.documentElement.hasAttribute('data-hydrated') ||
					!document.querySelector('script')
			);
			for (const v of await violations(page)) found.push(`${path}: ${v}`);
		}
		expect(found).toEqual([]);
	});
}

test('signed-out pages and the open menu on a phone pass axe', async ({ page }) => {
	const found: string[] = [];
	for (const path of ['/login', '/no-such-page', '/invite/not-a-real-token']) {
		await page.goto(`${demo.url}${path}`);
		for (const v of await violations(page)) found.push(`${path}: ${v}`);
	}
	await page.setViewportSize({ width: 390, height: 844 });
	await signIn(page, demo.url, demo.lead, demo.password);
	await page.goto(`${demo.url}/teams/payments-api/tools?q=secret`);
	await page.locator('header summary').click();
	for (const v of await violations(page)) found.push(`menu open: ${v}`);
	expect(found).toEqual([]);
});

test('a lesson with a task list reads its boxes as words, not unlabelled checkboxes', async ({
	page
}) => {
	await signIn(page, demo.url, demo.member, demo.password);
	await page.goto(`${demo.url}/training/monitoring-and-response/05-on-call-and-incident-response`);
	const items = page.locator('.task-list-item');
	expect(await items.count()).toBeGreaterThan(0);
	await expect(page.locator('.markdown input')).toHaveCount(0);
	await expect(items.first()).toContainText(/^☐To do: |^☑Done: /);
});
