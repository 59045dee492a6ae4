import { expect, test, type Browser, type Page } from '@playwright/test';
import { demo, signIn } from './fixtures';

/*
 * An admin maps the demo's one scanner name no tool claims (Cloud Platform's in-house
 * 'platform-iac-scan', a wrapper around Checkov) and the team's past scans count for Checkov at
 * once; removing the mapping, without JavaScript, puts the name back on the list. Cloud Platform
 * is a team no other spec touches.
 */

const scanners = `${demo.url}/admin/tools/scanners`;
const teamTools = `${demo.url}/teams/cloud-platform/tools`;

async function admin(browser: Browser, javaScriptEnabled = true): Promise<Page> {
	const context = await browser.newContext({ javaScriptEnabled });
	const page = await context.newPage();
	await signIn(page, demo.url, demo.admin, demo.password);
	return page;
}

test('an admin maps an unmapped scanner name and the team’s tools page shows its run', async ({
	browser
}) => {
	const p = await admin(browser);
	await p.goto(teamTools);
	await expect(p.locator('#pipeline-checkov')).toHaveCount(0);
	await expect(p.locator('#pipeline-unmapped')).toContainText('platform-iac-scan');

	await p.goto(`${demo.url}/admin`);
	await expect(p.getByRole('link', { name: 'Scanner names' })).toBeVisible();
	await p.goto(teamTools);
	await p.locator('#pipeline-unmapped').getByRole('link', { name: 'Scanner names' }).click();
	await expect(p).toHaveURL(scanners);
	const unmapped = p.getByRole('region', { name: /Names no tool claims/ });
	const entry = unmapped.getByRole('article', { name: 'platform-iac-scan' });
	await expect(entry).toContainText('Cloud Platform');
	await expect(entry).toContainText('platform/clusters');
	await entry
		.getByLabel('Catalogue tool for “platform-iac-scan”')
		.selectOption({ label: 'Checkov' });
	await entry.getByRole('button', { name: 'Map' }).click();
	await expect(p.getByRole('status')).toContainText('is now Checkov');
	await expect(entry).toHaveCount(0);
	const row = p
		.getByRole('region', { name: 'Mapped names' })
		.getByRole('row')
		.filter({ hasText: 'platform-iac-scan' });
	await expect(row).toContainText('Checkov');
	await expect(row).toContainText('Alex Admin');

	// Past scans follow: the team's tools page now shows Checkov's last run.
	await p.goto(teamTools);
	const checkov = p.locator('#pipeline-checkov');
	await expect(checkov).toContainText('Checkov');
	await expect(checkov).toContainText('last ran in a pipeline');
	await expect(checkov).toContainText('platform/clusters');
	await expect(p.locator('#pipeline-unmapped')).toHaveCount(0);

	// Without JavaScript the form posts as it is: the mapping goes, the name is listed again.
	const plain = await admin(browser, false);
	await plain.goto(scanners);
	await plain.getByRole('button', { name: 'Remove the mapping of platform-iac-scan' }).click();
	await expect(plain.getByRole('status')).toContainText('no longer mapped');
	await expect(
		plain
			.getByRole('region', { name: /Names no tool claims/ })
			.getByRole('article', { name: 'platform-iac-scan' })
	).toBeVisible();
	await p.reload();
	await expect(p.locator('#pipeline-checkov')).toHaveCount(0);
});
