import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, servers } from '../../playwright.config';
import { demo, signIn } from './fixtures';
import { startOwnServer, type OwnServer } from './own-server';

// The demo on a server of its own that lets team webhooks point at this machine
// (CHAT_WEBHOOK_HOSTS=127.0.0.1), and a real HTTP receiver on 127.0.0.1 standing in for Slack's
// incoming webhook: what the app posts is read there, as the channel would show it.
const port = servers.spare + 35;
const base = `http://127.0.0.1:${port}`;
let app: OwnServer | undefined;
let receiver: Server;
let hookBase = '';
const received: { path: string; type: string; body: string }[] = [];

test.beforeAll(async () => {
	test.setTimeout(120_000);
	receiver = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += chunk.toString()));
		req.on('end', () => {
			received.push({ path: req.url ?? '', type: req.headers['content-type'] ?? '', body });
			res.end('ok');
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
	app = await startOwnServer(port, { CHAT_WEBHOOK_HOSTS: '127.0.0.1' });
});

test.afterAll(async () => {
	await app?.stop();
	await new Promise((r) => receiver?.close(r));
});

test("a lead sets the team's webhook, a member cannot, and the channel hears that a cycle opened", async ({
	browser
}) => {
	test.setTimeout(60_000);
	const chatPage = `${base}/teams/payments-api/chat`;
	const lead = await (await browser.newContext()).newPage();
	await signIn(lead, base, demo.lead, DEMO_PASSWORD);
	await lead.goto(chatPage);

	// Another host than the chat services' is refused beside the field, and nothing is saved.
	const address = lead.getByLabel('Webhook address');
	await address.fill('https://example.com/hooks/payments');
	await lead.getByRole('button', { name: 'Save the webhook' }).click();
	await expect(lead.getByText('Use an incoming webhook of Slack or Microsoft Teams')).toBeVisible();
	await expect(address).toHaveAttribute('aria-invalid', 'true');
	await expect(lead.getByText('No webhook yet')).toBeVisible();

	await address.fill(`${hookBase}/hooks/payments`);
	await lead.getByRole('button', { name: 'Save the webhook' }).click();
	await expect(lead.getByRole('status')).toContainText('The webhook was saved');
	await expect(lead.getByText('Posting to')).toContainText(hookBase.replace('http://', ''));

	// A member of the team sees no form, and posting it anyway (or removing the webhook) is refused.
	const member = await (await browser.newContext()).newPage();
	await signIn(member, base, demo.member, DEMO_PASSWORD);
	await member.goto(chatPage);
	await expect(member.getByText('The team lead sets the team’s webhook.')).toBeVisible();
	await expect(member.getByLabel(/Webhook address/)).toHaveCount(0);
	const headers = { origin: base };
	const take = await member.request.post(`${chatPage}?/save`, {
		form: { url: `${hookBase}/hooks/attacker` },
		headers
	});
	expect(take.status()).toBe(403);
	const remove = await member.request.post(`${chatPage}?/remove`, { form: {}, headers });
	expect(remove.status()).toBe(403);

	// The admin opens a cycle: the channel gets the JSON message with the team's name and link.
	const admin = await (await browser.newContext()).newPage();
	await signIn(admin, base, demo.admin, DEMO_PASSWORD);
	await admin.goto(`${base}/admin/cycles`);
	await admin.getByLabel('Name').fill('2027-Q1');
	await admin.getByLabel('Starts on').fill('2027-01-01');
	await admin.getByLabel('Due on').fill('2027-03-19');
	await admin.getByRole('button', { name: 'Open cycle' }).click();
	await expect(admin.getByRole('status')).toContainText('2027-Q1 is open');

	const opened = () => received.find((r) => r.body.includes('2027-Q1'));
	await expect.poll(opened, { timeout: 15_000 }).toBeTruthy();
	const message = opened()!;
	expect(message.path).toBe('/hooks/payments');
	expect(message.type).toContain('application/json');
	const { text } = JSON.parse(message.body) as { text: string };
	expect(text).toContain('The 2027-Q1 security assessment cycle is open');
	expect(text).toContain("Payments API's assessment is due on 2027-03-19");
	expect(text).toContain(`${base}/teams/payments-api/assessments/2027-Q1`);
	// The member's address was never stored: nothing went there.
	expect(received.filter((r) => r.path !== '/hooks/payments')).toEqual([]);
});
