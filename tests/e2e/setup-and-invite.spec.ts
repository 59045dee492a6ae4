import { expect, test } from '@playwright/test';
import { servers } from '../../playwright.config';
import { signIn, signOut } from './fixtures';

const base = `http://127.0.0.1:${servers.fresh}`;

test('setup → sign in → invite → accept → sign in as the new user', async ({ page, browser }) => {
	await page.goto(base);
	await expect(page).toHaveURL(`${base}/setup`);

	// Bad input is refused beside the field and nothing is created.
	await page.getByLabel('Your name').fill('Ada Admin');
	await page.getByLabel('Email').fill('Ada@Example.com');
	await page.getByLabel('Password', { exact: true }).fill('password123');
	await page.getByLabel('Repeat password').fill('password123');
	await page.getByRole('button', { name: 'Create administrator' }).click();
	await expect(page.getByText('This password is too common')).toBeVisible();
	// What was typed is still there after the refusal.
	await expect(page.getByLabel('Email')).toHaveValue(/^ada@example.com$/i);

	await page.getByLabel('Password', { exact: true }).fill('a sturdy admin passphrase');
	await page.getByLabel('Repeat password').fill('a sturdy admin passphrase');
	await page.getByRole('button', { name: 'Create administrator' }).click();
	await expect(page.getByRole('heading', { name: 'Admin' })).toBeVisible();
	// The getting-started checklist, nothing done yet.
	const checklist = page.getByRole('region', { name: 'Getting started' });
	await expect(checklist).toContainText('0 of 4 done');
	await expect(checklist.getByRole('listitem')).toHaveText([
		/To do:\s*Add your org units/,
		/To do:\s*Create the teams/,
		/To do:\s*Invite people/,
		/To do:\s*Open the first assessment cycle/
	]);

	// Setup is closed for good.
	await page.goto(`${base}/setup`);
	await expect(page).not.toHaveURL(/\/setup$/);

	await page.getByRole('link', { name: 'Admin', exact: true }).click();
	await page.getByRole('link', { name: 'Users and invitations' }).click();
	await page.getByLabel('Email').fill('bo@example.com');
	await page.getByLabel('Global role').selectOption('security');
	await page.getByRole('button', { name: 'Create invitation link' }).click();
	const link = (await page.getByTestId('invitation-link').textContent())!.trim();
	expect(link).toMatch(new RegExp(`^${base}/invite/[a-z2-7]{32}$`));

	// Many at once: a bad line invites nobody and says which line; then each gets a link.
	const list = page.getByLabel('Addresses and roles');
	await list.fill('cy@example.com leadership\nbo@example.com, member\nnot-an-address');
	await page.getByRole('button', { name: 'Invite everyone on the list' }).click();
	await expect(page.getByRole('alert')).toContainText('Line 3: Enter a valid email address');
	await expect(page.getByTestId('bulk-invitation-link')).toHaveCount(0);
	await list.fill('cy@example.com leadership\ndee@example.com');
	await page.getByRole('button', { name: 'Invite everyone on the list' }).click();
	const links = page.getByTestId('bulk-invitation-link');
	await expect(links).toHaveCount(2);
	const [cy, dee] = (await links.allTextContents()).map((l) => l.trim());
	expect(cy).not.toBe(dee);
	for (const l of [cy, dee]) expect(l).toMatch(new RegExp(`^${base}/invite/[a-z2-7]{32}$`));
	await page.goto(`${base}/admin`);
	await expect(checklist).toContainText('1 of 4 done');
	await expect(checklist.getByRole('listitem').nth(2)).toHaveText(/Done:\s*Invite people/);
	await signOut(page);

	const invitee = await browser.newPage();
	await invitee.goto(link);
	await expect(invitee.getByText('bo@example.com')).toBeVisible();
	await invitee.getByLabel('Your name').fill('Bo Security');
	await invitee.getByLabel('Password', { exact: true }).fill('bo has a long passphrase');
	await invitee.getByLabel('Repeat password').fill('bo has a long passphrase');
	await invitee.getByRole('button', { name: 'Create my account' }).click();
	await expect(invitee.getByRole('heading', { name: 'Teams' })).toBeVisible();
	await signOut(invitee);

	// The link works once only.
	await invitee.goto(link);
	await expect(invitee.getByText(/expired, was revoked or was already used/)).toBeVisible();

	await signIn(invitee, base, 'BO@example.com', 'bo has a long passphrase');
	await expect(invitee.getByRole('link', { name: 'Bo Security' })).toBeVisible();
	await expect(
		invitee.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' })
	).toHaveCount(0);
});
