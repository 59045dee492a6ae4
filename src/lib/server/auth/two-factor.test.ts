import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { generateHOTP } from '@oslojs/otp';
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { open } from './secret-box';
import { createSession, validateSessionToken } from './session';
import {
	enrolTotp,
	generateTotpKey,
	matchingStep,
	parseTotpKey,
	removeSecondFactor,
	secondFactorStatus,
	totpSetup,
	useRecoveryCode,
	verifyTotp
} from './two-factor';

const t0 = new Date('2026-03-01T12:00:00Z');
const stepAt = (d: Date) => Math.floor(d.getTime() / 30_000);
const codeFor = (key: Uint8Array, d: Date, offset = 0) =>
	generateHOTP(key, BigInt(stepAt(d) + offset), 6);
const later = (d: Date, seconds: number) => new Date(d.getTime() + seconds * 1000);

describe('TOTP codes (RFC 6238)', () => {
	const key = generateTotpKey();
	it('accepts the current step and one step of drift either way, nothing further', () => {
		expect(matchingStep(key, codeFor(key, t0), t0)).toBe(stepAt(t0));
		expect(matchingStep(key, codeFor(key, t0, -1), t0)).toBe(stepAt(t0) - 1);
		expect(matchingStep(key, codeFor(key, t0, 1), t0)).toBe(stepAt(t0) + 1);
		expect(matchingStep(key, codeFor(key, t0, -2), t0)).toBeNull();
		expect(matchingStep(key, codeFor(key, t0, 2), t0)).toBeNull();
		expect(matchingStep(key, 'abcdef', t0)).toBeNull();
	});
	it('matches RFC 6238’s SHA-1 test vector', () => {
		const rfcKey = new TextEncoder().encode('12345678901234567890');
		// T = 59 s: 94287082 with 8 digits, so 287082 with 6.
		expect(matchingStep(rfcKey, '287082', new Date(59_000))).toBe(1);
	});
	it('shows the key, an otpauth URI and an SVG QR code, and reads the key back', () => {
		const setup = totpSetup(key, 'ann@example.com');
		expect(setup.uri).toMatch(/^otpauth:\/\/totp\/Rampart:ann%40example\.com\?/);
		expect(setup.uri).toContain(`secret=${setup.secret}`);
		expect(setup.qrSvg).toMatch(/^<svg/);
		expect(parseTotpKey(setup.secret.toLowerCase())).toEqual(key);
		expect(parseTotpKey('AAAA')).toBeNull();
	});
});

describe('second factors in the database', () => {
	let handle: DatabaseHandle;
	let userId: string;
	let adminId: string;
	const key = generateTotpKey();
	let recoveryCodes: string[] = [];
	let currentSession: string;
	let otherToken: string;

	beforeAll(async () => {
		vi.stubEnv('ENCRYPTION_KEY', 'ab'.repeat(32));
		handle = await createTestDatabase();
		const [u, a] = await handle.db
			.insert(table.user)
			.values([
				{ email: 'ann@example.com', name: 'Ann', passwordHash: 'x' },
				{ email: 'root@example.com', name: 'Root', passwordHash: 'x', role: 'admin' }
			])
			.returning();
		userId = u!.id;
		adminId = a!.id;
		currentSession = (await createSession(handle.db, userId)).session.id;
		otherToken = (await createSession(handle.db, userId)).token;
	});
	afterAll(async () => {
		vi.unstubAllEnvs();
		await handle.close();
	});

	const ctx = (ip: string) => ({ userId, ip });
	const totpRow = async () =>
		(await handle.db.select().from(table.userTotp).where(eq(table.userTotp.userId, userId)))[0];

	it('refuses to enrol with a wrong first code and stores nothing', async () => {
		const wrong = codeFor(key, t0) === '000000' ? '111111' : '000000';
		const result = await enrolTotp(
			handle.db,
			{ userId, ip: '198.51.100.1', sessionId: currentSession },
			key,
			wrong,
			t0
		);
		expect(result).toEqual({ ok: false, reason: 'invalid' });
		expect(await totpRow()).toBeUndefined();
		expect(await handle.db.$count(table.recoveryCode)).toBe(0);
	});

	it('enrols with a right first code: key encrypted, ten hashed recovery codes, other sessions ended', async () => {
		const result = await enrolTotp(
			handle.db,
			{ userId, ip: '198.51.100.1', sessionId: currentSession },
			key,
			codeFor(key, t0),
			t0
		);
		if (!result.ok) throw new Error('enrolment refused');
		recoveryCodes = result.recoveryCodes;
		expect(recoveryCodes).toHaveLength(10);
		expect(new Set(recoveryCodes).size).toBe(10);
		for (const c of recoveryCodes)
			expect(c).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);

		const row = (await totpRow())!;
		expect(row.encryptedKey).not.toContain(encodeBase32UpperCaseNoPadding(key));
		expect(open(row.encryptedKey)).toEqual(key);
		expect(row.lastUsedStep).toBe(stepAt(t0));

		const stored = await handle.db.select().from(table.recoveryCode);
		expect(stored).toHaveLength(10);
		for (const s of stored) expect(recoveryCodes).not.toContain(s.codeHash);

		expect(await validateSessionToken(handle.db, otherToken)).toBeNull();
		const [current] = await handle.db
			.select()
			.from(table.session)
			.where(eq(table.session.id, currentSession));
		expect(current?.secondFactorAt).toEqual(t0);
		expect(current?.authMethod).toBe('password+totp');
		const [entry] = await handle.db
			.select()
			.from(table.auditLog)
			.where(eq(table.auditLog.action, 'auth.totp_enabled'));
		expect(entry?.targetId).toBe(userId);
	});

	it('the enrolment code cannot be used again, nor one of an earlier step', async () => {
		expect(await verifyTotp(handle.db, ctx('198.51.100.2'), codeFor(key, t0), t0)).toEqual({
			ok: false,
			reason: 'invalid'
		});
		const t1 = later(t0, 30);
		expect(await verifyTotp(handle.db, ctx('198.51.100.2'), codeFor(key, t1, -1), t1)).toEqual({
			ok: false,
			reason: 'invalid'
		});
	});

	it('accepts a new code once, and refuses its replay within its window', async () => {
		const t2 = later(t0, 90);
		const code = codeFor(key, t2);
		expect(await verifyTotp(handle.db, ctx('198.51.100.3'), code, t2)).toEqual({
			ok: true,
			method: 'totp'
		});
		expect(await verifyTotp(handle.db, ctx('198.51.100.3'), code, later(t2, 10))).toEqual({
			ok: false,
			reason: 'invalid'
		});
	});

	it('two requests racing with one code: only one passes', async () => {
		const t3 = later(t0, 180);
		const code = codeFor(key, t3);
		const results = await Promise.all([
			verifyTotp(handle.db, ctx('198.51.100.4'), code, t3),
			verifyTotp(handle.db, ctx('198.51.100.5'), code, t3)
		]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
	});

	it('throttles wrong codes like passwords: after three, even the right code must wait', async () => {
		// Two hours on: the replays refused above have left the account's window.
		const t4 = later(t0, 7200);
		const wrong = codeFor(key, t4) === '123456' ? '654321' : '123456';
		for (let i = 0; i < 3; i++) {
			expect(await verifyTotp(handle.db, ctx('198.51.100.6'), wrong, t4)).toEqual({
				ok: false,
				reason: 'invalid'
			});
		}
		const refused = await verifyTotp(handle.db, ctx('198.51.100.6'), codeFor(key, t4), t4);
		expect(refused).toMatchObject({ ok: false, reason: 'throttled' });
		// The wait is per account: another address does not lift it.
		const elsewhere = await verifyTotp(handle.db, ctx('198.51.100.7'), codeFor(key, t4), t4);
		expect(elsewhere).toMatchObject({ ok: false, reason: 'throttled' });
		// Once it has passed, the right code works and the failures are forgotten.
		const t5 = later(t4, 31);
		expect(await verifyTotp(handle.db, ctx('198.51.100.6'), codeFor(key, t5), t5)).toEqual({
			ok: true,
			method: 'totp'
		});
	});

	it('a recovery code works once, whatever its case and dashes', async () => {
		const t6 = later(t0, 7300);
		const code = recoveryCodes[3]!;
		const typed = ` ${code.toUpperCase().replaceAll('-', ' ')} `;
		expect(await useRecoveryCode(handle.db, ctx('198.51.100.8'), typed, t6)).toEqual({
			ok: true,
			method: 'recovery_code'
		});
		expect(await useRecoveryCode(handle.db, ctx('198.51.100.8'), code, t6)).toEqual({
			ok: false,
			reason: 'invalid'
		});
		expect((await secondFactorStatus(handle.db, userId)).recoveryCodesLeft).toBe(9);
		expect(
			await useRecoveryCode(handle.db, ctx('198.51.100.8'), 'aaaa-bbbb-cccc-dddd', t6)
		).toEqual({ ok: false, reason: 'invalid' });
	});

	it('a session waiting for the second factor ends after ten minutes', async () => {
		const now = new Date();
		const { token } = await createSession(handle.db, userId, {}, now);
		const waiting = await validateSessionToken(handle.db, token, later(now, 60));
		expect(waiting?.pendingSecondFactor).toBe(true);
		expect(await validateSessionToken(handle.db, token, later(now, 10 * 60))).toBeNull();
		// A full session of the same age lives on.
		const full = await createSession(handle.db, userId, { secondFactorAt: now }, now);
		expect(await validateSessionToken(handle.db, full.token, later(now, 10 * 60))).toMatchObject({
			pendingSecondFactor: false
		});
	});

	it('an admin’s reset removes the factor and the codes, ends the sessions, and is audited', async () => {
		const { token } = await createSession(handle.db, userId);
		expect(await removeSecondFactor(handle.db, { actorId: adminId, ip: '192.0.2.1' }, userId)).toBe(
			true
		);
		expect(await totpRow()).toBeUndefined();
		expect(await handle.db.$count(table.recoveryCode)).toBe(0);
		expect(await validateSessionToken(handle.db, token)).toBeNull();
		const [entry] = await handle.db
			.select()
			.from(table.auditLog)
			.where(eq(table.auditLog.action, 'user.second_factor_reset'));
		expect(entry).toMatchObject({ actorId: adminId, targetId: userId });
		expect(await removeSecondFactor(handle.db, { actorId: adminId, ip: '192.0.2.1' }, userId)).toBe(
			false
		);
	});

	it('set up in a session from single sign-on, TOTP is recorded after it: oidc+totp', async () => {
		const { session } = await createSession(handle.db, adminId, { authMethod: 'oidc' });
		const adminKey = generateTotpKey();
		const at = later(t0, 3600);
		const result = await enrolTotp(
			handle.db,
			{ userId: adminId, ip: '192.0.2.2', sessionId: session.id },
			adminKey,
			codeFor(adminKey, at),
			at
		);
		expect(result.ok).toBe(true);
		const [row] = await handle.db
			.select()
			.from(table.session)
			.where(eq(table.session.id, session.id));
		expect(row?.authMethod).toBe('oidc+totp');
	});
});
