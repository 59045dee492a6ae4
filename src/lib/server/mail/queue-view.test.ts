import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as table from '$lib/server/db/schema';
import { loadModel } from '$lib/server/model/load-model';
import { getTraining } from '$lib/server/training/load-training';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { openCycle } from '$lib/server/assessments/cycles';
import { queueChat } from '$lib/server/chat/outbox';
import { setWebhook } from '$lib/server/chat/webhooks';
import { createInvitation } from '$lib/server/users/invitations';
import { EMAIL_OFF_NOTE } from './outbox';
import {
	parseOutboxFilter,
	parseOutboxId,
	queueState,
	readOutbox,
	readUnsentEmail
} from './queue-view';
import { queueReminders } from './reminders';
import { mailSettings, reminderIntervalMs } from './settings';
import { startSmtpServer } from './testing/smtp';
import { smtpTransport } from './transport';
import { deliverDueEmails } from './worker';

const at = (iso: string) => new Date(iso);

describe('the outbox page’s helpers', () => {
	it('reads the state filter, anything else meaning all', () => {
		expect(parseOutboxFilter('failed')).toBe('failed');
		expect(parseOutboxFilter('off')).toBe('off');
		for (const v of [null, '', 'FAILED', 'sent ', 'all', 'constructor']) {
			expect(parseOutboxFilter(v)).toBeNull();
		}
	});

	it('takes only plain positive whole numbers as ids', () => {
		expect(parseOutboxId('1')).toBe(1);
		expect(parseOutboxId('9007199254740991')).toBe(9007199254740991);
		for (const v of ['0', '-1', '01', '1e3', '1.0', ' 1', 'abc', '9007199254740993', '']) {
			expect(parseOutboxId(v)).toBeNull();
		}
	});

	it('names each state from the queue columns', () => {
		const row = { attempts: 0, sendAfter: at('2026-01-01T10:00Z'), sentAt: null, failedAt: null };
		expect(queueState(row)).toEqual({ state: 'waiting', next: row.sendAfter });
		expect(queueState({ ...row, attempts: 2 })).toEqual({
			state: 'retrying',
			attempts: 2,
			next: row.sendAfter
		});
		expect(queueState({ ...row, attempts: 1, sentAt: at('2026-01-01T10:01Z') })).toEqual({
			state: 'sent',
			at: at('2026-01-01T10:01Z')
		});
		expect(queueState({ ...row, attempts: 10, failedAt: at('2026-01-02T00:00Z') })).toEqual({
			state: 'failed',
			at: at('2026-01-02T00:00Z'),
			attempts: 10
		});
		// Given up without an attempt: queued while email was off.
		expect(queueState({ ...row, failedAt: at('2026-01-01T10:00Z') })).toEqual({ state: 'off' });
	});
});

describe('MAIL_REMINDER_INTERVAL_SECONDS', () => {
	it('is ten minutes by default, whole seconds from 1 to a day otherwise', () => {
		expect(reminderIntervalMs({})).toBe(600_000);
		expect(reminderIntervalMs({ MAIL_REMINDER_INTERVAL_SECONDS: '2' })).toBe(2000);
		for (const v of ['0', '-5', '1.5', 'ten', '86401']) {
			expect(() => reminderIntervalMs({ MAIL_REMINDER_INTERVAL_SECONDS: v })).toThrow(
				/MAIL_REMINDER_INTERVAL_SECONDS/
			);
		}
	});
});

/*
 * Email off (no SMTP_URL): emails are queued, never sent, and shown to admins with their text.
 * A real SMTP server on 127.0.0.1 shows that the worker sends none of them.
 */
describe('the outbox with email off', () => {
	const t = testOrganisation();
	const model = loadModel();
	const ctx = { actorId: '', ip: '203.0.113.5' };
	let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

	beforeAll(async () => {
		delete process.env.SMTP_URL;
		process.env.ORIGIN = 'https://rampart.example';
		process.env.CHAT_WEBHOOK_HOSTS = 'chat.example.test';
		smtp = await startSmtpServer();
	});
	afterAll(async () => {
		delete process.env.CHAT_WEBHOOK_HOSTS;
		await smtp.close();
	});
	beforeEach(async () => {
		ctx.actorId = t.org.user('Admin');
		await t.db.delete(table.emailOutbox);
		await t.db.delete(table.chatOutbox);
	});

	it('queues an invitation that is never sent, and lets an admin read its text', async () => {
		const inv = await createInvitation(t.db, ctx, { email: 'new@example.org', role: 'member' });
		if (!inv.ok) throw new Error('refused');
		const { emails } = await readOutbox(t.db, null);
		expect(emails).toHaveLength(1);
		expect(emails[0]).toMatchObject({
			kind: 'invitation',
			to: 'new@example.org',
			state: 'off',
			readable: true,
			lastError: EMAIL_OFF_NOTE
		});
		expect((await readOutbox(t.db, 'off')).emails).toHaveLength(1);
		for (const f of ['waiting', 'failed', 'sent'] as const) {
			expect((await readOutbox(t.db, f)).emails).toEqual([]);
		}
		const email = await readUnsentEmail(t.db, emails[0]!.id);
		expect(email?.text).toContain(`https://rampart.example/invite/${inv.token}`);

		// The worker leaves it alone, even once SMTP_URL is set later.
		process.env.SMTP_URL = smtp.url;
		try {
			const transport = smtpTransport(mailSettings()!);
			expect(await deliverDueEmails(t.db, transport)).toEqual({ sent: 0, failed: 0 });
			transport.close();
		} finally {
			delete process.env.SMTP_URL;
		}
		expect(smtp.received).toEqual([]);
		expect((await readOutbox(t.db, null)).emails[0]!.state).toBe('off');
	});

	it('queues the due reminders unsent too', async () => {
		const opened = await openCycle(t.db, ctx, model, {
			name: '2026-Q4',
			startsOn: '2026-10-01',
			dueOn: '2026-12-31'
		});
		expect(opened.ok).toBe(true);
		await queueReminders(t.db, getTraining(), at('2026-12-24T08:00Z'));
		const { emails } = await readOutbox(t.db, 'off');
		const kinds = new Set(emails.map((e) => e.kind));
		expect(kinds).toContain('cycle_opened');
		expect(kinds).toContain('assessment_due');
		expect((await readOutbox(t.db, 'waiting')).emails).toEqual([]);
	});

	it('never shows a sent email’s text, nor a password reset’s, nor an id that is not an email', async () => {
		const base = { subject: 's', textBody: 'secret token', htmlBody: '' };
		const [sent, reset] = await t.db
			.insert(table.emailOutbox)
			.values([
				{
					...base,
					kind: 'invitation',
					toAddress: 'a@example.org',
					attempts: 1,
					sentAt: new Date()
				},
				{ ...base, kind: 'password_reset', toAddress: 'b@example.org', failedAt: new Date() }
			])
			.returning({ id: table.emailOutbox.id });
		expect(await readUnsentEmail(t.db, sent!.id)).toBeNull();
		expect(await readUnsentEmail(t.db, reset!.id)).toBeNull();
		expect(await readUnsentEmail(t.db, reset!.id + 1000)).toBeNull();
		const { emails } = await readOutbox(t.db, null);
		expect(emails.map((e) => e.readable)).toEqual([false, false]);
		expect(emails.map((e) => e.state)).toEqual(['off', 'sent']);
	});

	it('shows a chat message’s team and webhook host, never the webhook address', async () => {
		const alpha = t.org.team('alpha');
		const secret = 'https://chat.example.test/hooks/verysecretpart';
		expect(await setWebhook(t.db, ctx, alpha, secret)).toEqual({ ok: true });
		await t.db.transaction((tx) => queueChat(tx, alpha, 'cycle_opened', 'hello'));
		await t.db
			.update(table.chatOutbox)
			.set({ attempts: 3, lastError: 'HTTP 500 <b>', sendAfter: at('2030-01-01T00:00Z') });
		const { chats } = await readOutbox(t.db, 'waiting');
		expect(chats).toHaveLength(1);
		expect(chats[0]).toMatchObject({
			teamName: 'Alpha',
			host: 'chat.example.test',
			state: 'retrying',
			attempts: 3,
			lastError: 'HTTP 500 <b>'
		});
		expect(JSON.stringify(chats)).not.toContain('verysecretpart');
		expect((await readOutbox(t.db, 'off')).chats).toEqual([]);
		expect((await readOutbox(t.db, 'failed')).chats).toEqual([]);
	});
});
