import { expect, type Page } from '@playwright/test';
import { DEMO_PASSWORD, servers } from '../../playwright.config';

export const demo = {
	url: `http://127.0.0.1:${servers.demo}`,
	password: DEMO_PASSWORD,
	admin: 'admin@demo.rampart.test',
	security: 'security@demo.rampart.test',
	leadership: 'cto@demo.rampart.test',
	/** Lead of Payments API. */
	lead: 'ada.payments-api@demo.rampart.test',
	/** Member (and champion) of Payments API. */
	member: 'ben.payments-api@demo.rampart.test'
};

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, base: string, email: string, password: string) {
	await page.goto(`${base}/login`);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	// On a narrow screen "Sign out" sits behind the header's Menu button.
	await expect(
		page
			.getByRole('button', { name: 'Sign out' })
			.or(page.locator('header summary'))
			.filter({ visible: true })
	).toBeVisible();
}

export async function signOut(page: Page) {
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
}

/** How many canvases on the page have been drawn on (any pixel not transparent). */
export async function paintedCanvases(page: Page): Promise<{ drawn: number; total: number }> {
	return page.evaluate(() => {
		const canvases = [...document.querySelectorAll('canvas')];
		const drawn = canvases.filter((c) => {
			const pixels = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
			for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) return true;
			return false;
		}).length;
		return { drawn, total: canvases.length };
	});
}
