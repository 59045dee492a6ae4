import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { mailSettings } from '$lib/server/mail/settings';
import { startSmtpServer } from '$lib/server/mail/testing/smtp';
import { smtpTransport } from '$lib/server/mail/transport';
import { deliverDueEmails } from '$lib/server/mail/worker';
import { hashPassword, verifyPassword } from './password';
import {
	findUsableReset,
	requestPasswordReset,
	resetPassword,
	RESET_TTL_MS
} from './password-reset';
import { createSession, validateSessionToken } from './session';
import { IP_MAX_FAILURES } from './login-throttle';

/*
 * Password reset by email, from the attacker's side too: the link arrives through a real SMTP
 * server on 127.0.0.1; reused, expired, guessed and foreign links change nothing; an unknown
 * address gets the same answer and no email.
 */
describe('password reset', () => {
	const ORIGIN = 'http://rampart.test';
	let handle: DatabaseHandle;
	let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
	const ids: Record<string, string> = {};
	const db = () => handle.db;

	beforeAll(async () => {
		smtp = await startSmtpServer();
		process.env.SMTP_URL = smtp.url;
		process.env.ORIGIN = ORIGIN;
		handle = await createTestDatabase();
		const hash = await hashPassword('the old password');
		for (const name of ['ann', 'bob', 'off']) {
			const [u] = await handle.db
				.insert(table.user)
				.values({
					email: `${name}@example.com`,
					name,
					passwordHash: hash,
					active: name !== 'off'
				})
				.returning({ id: table.user.id });
			ids[name] = u!.id;
		}
	});
	afterAll(async () => {
		delete process.env.SMTP_URL;
		await handle.close();
		await smtp.close();
	});
	beforeEach(async () => {
		await db().delete(table.loginAttempt);
		smtp.received.length = 0;
	});

	const deliver = async () => {
		const transport = smtpTransport(mailSettings()!);
		await deliverDueEmails(db(), transport);
		transport.close();
	};
	/** Asks for a link for `email` and returns the token from the email that arrived. */
	const linkFor = async (email: string, ip = '198.51.100.1') => {
		expect(await requestPasswordReset(db(), { email, ip })).toEqual({ ok: true });
		await deliver();
		const [got] = await smtp.waitFor(1);
		const match = /\/reset-password\/([a-z2-7]+)/.exec(got!.mail.text ?? '');
		smtp.received.length = 0;
		return match![1]!;
	};
	const passwordOf = async (name: string) => {
		const [u] = await db()
			.select({ hash: table.user.passwordHash })
			.from(table.user)
			.where(eq(table.user.id, ids[name]!));
		return u!.hash;
	};

	it('emails a single-use link whose hash alone is stored; using it ends every session', async () => {
		const s1 = await createSession(db(), ids.ann!);
		const s2 = await createSession(db(), ids.ann!);
		const bobSession = await createSession(db(), ids.bob!);
		const token = await linkFor('  Ann@Example.com ');
		const [row] = await db().select().from(table.passwordReset);
		expect(row!.tokenHash).not.toContain(token);
		expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(RESET_TTL_MS);
		expect(await findUsableReset(db(), token)).toMatchObject({ email: 'ann@example.com' });

		const weak = await resetPassword(db(), { token, password: 'password', ip: '::1' });
		expect(weak).toMatchObject({ ok: false, field: 'password' });
		expect(await findUsableReset(db(), token)).not.toBeNull(); // a refused password keeps the link

		const input = { token, password: 'a brand new passphrase', ip: '::1' };
		const [a, b] = await Promise.all([resetPassword(db(), input), resetPassword(db(), input)]);
		expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
		expect(await verifyPassword(await passwordOf('ann'), 'a brand new passphrase')).toBe(true);
		expect(await validateSessionToken(db(), s1.token)).toBeNull();
		expect(await validateSessionToken(db(), s2.token)).toBeNull();
		expect(await validateSessionToken(db(), bobSession.token)).not.toBeNull();
		const audited = await db()
			.select({ action: table.auditLog.action })
			.from(table.auditLog)
			.where(eq(table.auditLog.targetId, ids.ann!));
		expect(audited.map((x) => x.action)).toEqual(
			expect.arrayContaining(['auth.password_reset_requested', 'auth.password_reset'])
		);

		// Reused: refused, nothing changes.
		const before = await passwordOf('ann');
		const reused = await resetPassword(db(), { ...input, password: 'attacker chosen words' });
		expect(reused).toMatchObject({ ok: false, field: 'form' });
		expect(await passwordOf('ann')).toBe(before);
	});

	it('an unknown or deactivated address gets the same answer and no email', async () => {
		for (const email of ['nobody@example.com', 'off@example.com'])
			expect(await requestPasswordReset(db(), { email, ip: '198.51.100.2' })).toEqual({ ok: true });
		await deliver();
		await new Promise((r) => setTimeout(r, 200));
		expect(smtp.received).toHaveLength(0);
		const resets = await db()
			.select()
			.from(table.passwordReset)
			.where(eq(table.passwordReset.userId, ids.off!));
		expect(resets).toHaveLength(0);
	});

	it('an expired link, a guessed token and a link of another account change nothing', async () => {
		const token = await linkFor('bob@example.com');
		const annBefore = await passwordOf('ann');
		const bobBefore = await passwordOf('bob');
		const later = new Date(Date.now() + RESET_TTL_MS + 1000);
		expect(
			await resetPassword(db(), { token, password: 'a brand new passphrase', ip: '::1' }, later)
		).toMatchObject({ ok: false, field: 'form' });
		expect(await findUsableReset(db(), token, later)).toBeNull();
		const guessed = 'a'.repeat(32);
		expect(
			await resetPassword(db(), { token: guessed, password: 'a brand new passphrase', ip: '::1' })
		).toMatchObject({ ok: false, field: 'form' });
		expect(await passwordOf('bob')).toBe(bobBefore);
		// Bob's own link changes Bob's password and nobody else's.
		expect(
			await resetPassword(db(), { token, password: 'bobs next passphrase', ip: '::1' })
		).toMatchObject({ ok: true, userId: ids.bob });
		expect(await passwordOf('ann')).toBe(annBefore);
	});

	it('is throttled like sign-in, per address and per account', async () => {
		const ip = '198.51.100.77';
		for (let i = 0; i < IP_MAX_FAILURES; i++)
			await requestPasswordReset(db(), { email: `guess${i}@example.com`, ip });
		const blocked = await requestPasswordReset(db(), { email: 'ann@example.com', ip });
		expect(blocked).toMatchObject({ ok: false, reason: 'throttled' });
		const links = await db()
			.select()
			.from(table.passwordReset)
			.where(eq(table.passwordReset.userId, ids.ann!));
		expect(links.every((l) => l.usedAt !== null)).toBe(true); // no new link for Ann
		// One account asked for repeatedly, from many addresses: at most 3 live links.
		for (let i = 0; i < 6; i++)
			await requestPasswordReset(db(), { email: 'bob@example.com', ip: `198.51.100.${100 + i}` });
		const live = await db()
			.select()
			.from(table.passwordReset)
			.where(eq(table.passwordReset.userId, ids.bob!));
		expect(live.filter((l) => !l.usedAt).length).toBeLessThanOrEqual(3);
	});
});
