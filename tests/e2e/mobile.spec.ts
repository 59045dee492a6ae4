import { expect, test, type Page } from '@playwright/test';
import { demo, signIn } from './fixtures';
import { mainPages, signInOf, type Role } from './main-pages';

// A phone held upright: no main page may scroll sideways, and the navigation folds into a menu.
const PHONE = { width: 390, height: 844 };

/** How wide the page is, and the elements that reach past the screen (outside scroll boxes). */
function measure(page: Page) {
	return page.evaluate((limit) => {
		const width = document.scrollingElement!.scrollWidth;
		const culprits: string[] = [];
		if (width > limit) {
			for (const el of document.querySelectorAll('body *')) {
				if (!el.checkVisibility()) continue;
				const right = el.getBoundingClientRect().right;
				if (right <= limit + 1) continue;
				// Report the outermost element that sticks out, not each of its children.
				const parent = el.parentElement;
				if (parent && parent.getBoundingClientRect().right > limit + 1) continue;
				const name = `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''}`;
				culprits.push(`${name} (${Math.round(right)} px)`);
			}
		}
		return { width, culprits: culprits.slice(0, 3) };
	}, PHONE.width);
}

test.describe('at 390 px', () => {
	test.use({ viewport: PHONE });

	for (const role of Object.keys(mainPages) as Role[]) {
		test(`${role}: no main page scrolls sideways`, async ({ page }) => {
			test.setTimeout(90_000);
			await signIn(page, demo.url, signInOf[role], demo.password);
			const wide: string[] = [];
			for (const path of mainPages[role]) {
				const response = await page.goto(`${demo.url}${path}`);
				expect(response?.status(), path).toBe(200);
				const { width, culprits } = await measure(page);
				if (width > PHONE.width) wide.push(`${path}: ${width} px, ${culprits.join(', ')}`);
			}
			expect(wide).toEqual([]);
		});
	}

	test('the navigation folds into a menu that opens, closes and fits', async ({ page }) => {
		await signIn(page, demo.url, demo.admin, demo.password);
		await page.goto(`${demo.url}/tools`);
		const nav = page.getByRole('navigation', { name: 'Main' });
		const menu = page.locator('header summary');
		await expect(menu).toHaveText(/Menu/);
		await expect(nav.getByRole('link', { name: 'Teams', exact: true })).toBeHidden();
		await menu.click();
		await expect(nav.getByRole('link', { name: 'Teams', exact: true })).toBeVisible();
		await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
		expect((await measure(page)).width).toBeLessThanOrEqual(PHONE.width);
		// Escape closes it and gives the focus back to the button.
		await page.keyboard.press('Escape');
		await expect(nav.getByRole('link', { name: 'Teams', exact: true })).toBeHidden();
		await expect(menu).toBeFocused();
		// So does following a link.
		await menu.press('Enter');
		await nav.getByRole('link', { name: 'Training', exact: true }).click();
		await expect(page).toHaveURL(/\/training$/);
		await expect(nav.getByRole('link', { name: 'Teams', exact: true })).toBeHidden();
	});

	test('the menu opens without JavaScript', async ({ browser }) => {
		const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
		const page = await context.newPage();
		await signIn(page, demo.url, demo.member, demo.password);
		const nav = page.getByRole('navigation', { name: 'Main' });
		await expect(nav.getByRole('link', { name: 'My teams' })).toBeHidden();
		await page.locator('header summary').click();
		await expect(nav.getByRole('link', { name: 'My teams' })).toBeVisible();
		await context.close();
	});
});

test('on a wide screen the navigation is one bar, without a menu button', async ({ page }) => {
	await page.setViewportSize({ width: 1280, height: 800 });
	await signIn(page, demo.url, demo.leadership, demo.password);
	await expect(page.locator('header summary')).toBeHidden();
	const nav = page.getByRole('navigation', { name: 'Main' });
	await expect(nav.getByRole('link', { name: 'Reports' })).toBeVisible();
	// Leadership sees every team: the link says "Teams", never "My teams".
	await expect(nav.getByRole('link', { name: 'Teams', exact: true })).toBeVisible();
	await expect(nav.getByText('My teams')).toHaveCount(0);
});

test('inputs without a type look like the other text inputs', async ({ page }) => {
	await signIn(page, demo.url, demo.admin, demo.password);
	const look = (selector: string) =>
		page.locator(selector).evaluate((el) => {
			const s = getComputedStyle(el);
			return [s.borderTopWidth, s.borderTopStyle, s.paddingLeft, s.borderRadius].join(' ');
		});
	await page.goto(`${demo.url}/admin/users`);
	const textInput = await look('#invite-email');
	expect(textInput).toMatch(/^1px solid/);
	for (const [path, ids] of [
		['/admin/cycles', ['#cycle-name']],
		['/admin/teams', ['#team-name', '#team-slug']],
		['/admin/org-units', ['#unit-name']],
		['/tools/manage', ['#tool-name']]
	] as const) {
		await page.goto(`${demo.url}${path}`);
		for (const id of ids) {
			expect(await page.locator(id).getAttribute('type'), `${path} ${id}`).toBeNull();
			expect(await look(id), `${path} ${id}`).toBe(textInput);
		}
	}
});
