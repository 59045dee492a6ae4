import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { loadModel } from '$lib/server/model/load-model';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import type { PersonName } from '$lib/server/testing/organisation';
import { openCycle } from '$lib/server/assessments/cycles';
import { transitionAssessment } from '$lib/server/assessments/review';
import { actions, load } from '../../../routes/(app)/teams/[slug]/chat/+page.server';
import { queueChatReminders } from './notify';
import { deliverDueChats } from './sender';
import { webhookProblem } from './settings';
import { webhookSummary } from './webhooks';

/*
 * Team chat through a real HTTP server on 127.0.0.1 standing in for Slack's incoming webhook
 * (CHAT_WEBHOOK_HOSTS names it, so plain HTTP to this machine is allowed here and nowhere else).
 * Test organisation: Alpha (Ann lead, Bo), Gamma (Fay lead, Bo) 2026-Q2 draft.
 */
describe('team chat', () => {
	const t = testOrganisation();
	const model = loadModel();
	let server: Server;
	let base = '';
	const posts: { path: string; body: { text: string } }[] = [];
	let answer = 200;

	beforeAll(async () => {
		process.env.CHAT_WEBHOOK_HOSTS = '127.0.0.1';
		process.env.ORIGIN = 'https://rampart.example';
		server = createServer((req, res) => {
			let body = '';
			req.on('data', (d) => (body += d));
			req.on('end', () => {
				if (answer === 200) posts.push({ path: req.url ?? '', body: JSON.parse(body) });
				res.writeHead(answer).end();
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		const address = server.address();
		base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
	});
	afterAll(async () => {
		delete process.env.CHAT_WEBHOOK_HOSTS;
		await new Promise((r) => server.close(r));
	});
	beforeEach(async () => {
		await t.db.delete(table.chatOutbox);
		posts.length = 0;
		answer = 200;
	});

	const person = (name: PersonName, role: SessionUser['role'] = 'member'): SessionUser => {
		const u = t.org.users.find((x) => x.name === name)!;
		return { id: u.id, email: u.email, name: u.name, role };
	};
	const ctx = (name: PersonName) => ({ actorId: t.org.user(name), ip: '203.0.113.1' });
	const queued = () => t.db.select().from(table.chatOutbox).orderBy(table.chatOutbox.id);
	const act = async (
		name: 'save' | 'remove',
		user: SessionUser,
		fields: Record<string, string>
	) => {
		const body = new FormData();
		for (const [k, v] of Object.entries(fields)) body.append(k, v);
		const url = new URL(`http://127.0.0.1/teams/alpha/chat?/${name}`);
		try {
			return (await (actions[name] as (e: never) => Promise<unknown>)({
				locals: { db: t.db, user, ip: '198.51.100.23' },
				params: { slug: 'alpha' },
				url,
				request: new Request(url, { method: 'POST', body })
			} as never)) as Record<string, unknown>;
		} catch (e) {
			return e as Record<string, unknown>;
		}
	};

	it('accepts only the chat services’ webhook hosts over HTTPS', () => {
		const env = {};
		expect(webhookProblem('https://hooks.slack.com/triggers/example', env)).toBeNull();
		expect(webhookProblem('https://acme.webhook.office.com/webhookb2/x', env)).toBeNull();
		for (const bad of [
			'http://hooks.slack.com/services/x',
			'https://hooks.slack.com.evil.example/x',
			'https://evilhooks.slack.com/x',
			'https://webhook.office.com.evil.example/x',
			'https://169.254.169.254/latest/meta-data',
			'http://127.0.0.1:8080/admin',
			'https://user:pw@hooks.slack.com/x',
			'file:///etc/passwd',
			'not a url'
		])
			expect(webhookProblem(bad, env), bad).not.toBeNull();
		// Loopback over HTTP only when named, as here.
		expect(webhookProblem('http://127.0.0.1:1/x', { CHAT_WEBHOOK_HOSTS: '127.0.0.1' })).toBeNull();
	});

	it('only the lead (or the security team) sets the webhook; a member’s attempt changes nothing', async () => {
		const hook = `${base}/services/alpha-secret`;
		const refused = await act('save', person('Bo'), { url: hook });
		expect(refused.status).toBe(403);
		const elsewhere = await act('save', person('Fay'), { url: hook });
		expect(elsewhere.status).toBe(404);
		expect(await t.db.select().from(table.teamChatWebhook)).toEqual([]);
		const bad = await act('save', person('Ann'), { url: 'https://169.254.169.254/x' });
		expect(bad.status).toBe(400);
		expect(await t.db.select().from(table.teamChatWebhook)).toEqual([]);

		expect(await act('save', person('Ann'), { url: hook })).toMatchObject({
			notice: expect.stringContaining('saved')
		});
		// The page shows the host, never the address; a member sees neither.
		const lead = (await load({
			locals: { db: t.db, user: person('Ann') },
			params: { slug: 'alpha' }
		} as never)) as { webhook: { host: string } | null };
		expect(lead.webhook!.host).toBe(new URL(base).host);
		expect(JSON.stringify(lead)).not.toContain('alpha-secret');
		const member = (await load({
			locals: { db: t.db, user: person('Bo') },
			params: { slug: 'alpha' }
		} as never)) as { webhook: unknown };
		expect(member.webhook).toBeNull();
		const audited = await t.db
			.select({ detail: table.auditLog.detail })
			.from(table.auditLog)
			.where(eq(table.auditLog.action, 'team.chat_webhook_set'));
		expect(JSON.stringify(audited)).not.toContain('alpha-secret');
	});

	it('posts a cycle opening to the teams with a webhook, once, names escaped', async () => {
		await t.db
			.update(table.team)
			.set({ name: 'Alpha <!channel>' })
			.where(eq(table.team.slug, 'alpha'));
		const opened = await openCycle(t.db, ctx('Admin'), model, {
			name: '2026-Q3',
			startsOn: '2026-07-01',
			dueOn: '2026-09-30'
		});
		expect(opened.ok).toBe(true);
		const rows = await queued();
		expect(rows.map((r) => [r.kind, r.teamId])).toEqual([['cycle_opened', t.org.team('alpha')]]);
		expect(await deliverDueChats(t.db)).toEqual({ sent: 1, failed: 0 });
		expect(await deliverDueChats(t.db)).toEqual({ sent: 0, failed: 0 });
		expect(posts).toHaveLength(1);
		expect(posts[0]!.path).toBe('/services/alpha-secret');
		expect(posts[0]!.body.text).toContain('Alpha &lt;!channel&gt;');
		expect(posts[0]!.body.text).not.toContain('<!channel>');
		expect(posts[0]!.body.text).toContain(
			'https://rampart.example/teams/alpha/assessments/2026-Q3'
		);
	});

	it('retries a 503, drops a 404 (the webhook was deleted), drops messages of a removed webhook', async () => {
		const [sec] = await t.db
			.insert(table.user)
			.values({ email: 'sec@example.com', name: 'Sec', passwordHash: 'x', role: 'security' })
			.returning({ id: table.user.id });
		const reviewer = {
			actor: { id: sec!.id, role: 'security' as const },
			actorId: sec!.id,
			ip: ''
		};
		const alphaQ2 = t.org.assessments.find(
			(a) => a.teamId === t.org.team('alpha') && a.cycleId === t.org.cycle('2026-Q2')
		)!.id;
		const returned = await transitionAssessment(
			t.db,
			{ ...reviewer, teamId: t.org.team('alpha') },
			alphaQ2,
			'return',
			'A comment that stays in Rampart'
		);
		expect(returned.ok).toBe(true);
		answer = 503;
		expect(await deliverDueChats(t.db)).toEqual({ sent: 0, failed: 1 });
		let [row] = await queued();
		expect(row!.failedAt).toBeNull();
		expect(row!.sendAfter.getTime()).toBeGreaterThan(Date.now() + 20_000);
		answer = 404;
		await t.db.update(table.chatOutbox).set({ sendAfter: new Date(0) });
		expect(await deliverDueChats(t.db)).toEqual({ sent: 0, failed: 1 });
		[row] = await queued();
		expect(row!.failedAt).not.toBeNull();
		expect(row!.lastError).toContain('404');
		expect(posts).toEqual([]);
	});

	it('reminders go once to the team channel; a removed webhook gets nothing more', async () => {
		// Alpha's 2026-Q2 assessment was returned above: not submitted, due 2026-06-30.
		expect(await queueChatReminders(t.db, new Date('2026-06-23T08:00:00Z'))).toBe(1);
		expect(await queueChatReminders(t.db, new Date('2026-06-23T12:00:00Z'))).toBe(0);
		expect((await queued())[0]!.text).toContain('is due in 7 days (2026-06-30)');
		// Alpha's rota (Ann, Bo weekly from Monday 2026-01-05): Bo from 2026-01-12.
		expect(await queueChatReminders(t.db, new Date('2026-01-12T08:00:00Z'))).toBe(1);
		expect((await queued())[1]!.text).toBe(
			"Bo holds Alpha &lt;!channel&gt;'s security on-call from today until 2026-01-19."
		);
		await deliverDueChats(t.db);
		expect(posts).toHaveLength(2);
		expect(await act('remove', person('Ann'), {})).toMatchObject({ notice: expect.any(String) });
		expect(await webhookSummary(t.db, t.org.team('alpha'))).toBeNull();
		expect(await queueChatReminders(t.db, new Date('2026-06-29T08:00:00Z'))).toBe(0);
	});
});
