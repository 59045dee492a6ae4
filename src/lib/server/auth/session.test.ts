import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import {
	SESSION_IDLE_MS,
	SESSION_MAX_MS,
	createSession,
	generateSessionToken,
	invalidateUserSessions,
	sessionIdFromToken,
	sessionVerdict,
	slidingExpiry,
	validateSessionToken,
	withSecondFactor
} from './session';

const DAY = 24 * 60 * 60 * 1000;
const t0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('a session’s recorded sign-in method once a second factor is given', () => {
	it('keeps the first step (password or the identity provider) and adds the factor', () => {
		expect(withSecondFactor('password', 'totp')).toBe('password+totp');
		expect(withSecondFactor('oidc', 'totp')).toBe('oidc+totp');
		expect(withSecondFactor('oidc', 'passkey')).toBe('oidc+passkey');
		expect(withSecondFactor('oidc+totp', 'recovery_code')).toBe('oidc+recovery_code');
		expect(withSecondFactor('password+passkey', 'totp')).toBe('password+totp');
		// A password-less passkey sign-in already counts as both.
		expect(withSecondFactor('passkey', 'totp')).toBe('passkey');
	});
});

describe('session tokens', () => {
	it('carries 160 random bits, base32, different every time', () => {
		const a = generateSessionToken();
		const b = generateSessionToken();
		expect(a).toMatch(/^[a-z2-7]{32}$/);
		expect(a).not.toBe(b);
	});
	it('is stored only as its SHA-256 hash', () => {
		const token = generateSessionToken();
		const id = sessionIdFromToken(token);
		expect(id).toMatch(/^[0-9a-f]{64}$/);
		expect(id).not.toContain(token);
	});
});

describe('session expiry rules', () => {
	it('slides by the idle window but never beyond the absolute maximum', () => {
		expect(slidingExpiry(t0, t0)).toEqual(at(SESSION_IDLE_MS));
		expect(slidingExpiry(t0, at(28 * DAY))).toEqual(at(SESSION_MAX_MS));
	});
	it('expires after the idle window without activity', () => {
		const s = { createdAt: t0, expiresAt: at(SESSION_IDLE_MS) };
		expect(sessionVerdict(s, at(SESSION_IDLE_MS - 1))).not.toBe('expired');
		expect(sessionVerdict(s, at(SESSION_IDLE_MS))).toBe('expired');
	});
	it('expires at the absolute maximum even when active', () => {
		const s = { createdAt: t0, expiresAt: at(SESSION_MAX_MS + DAY) };
		expect(sessionVerdict(s, at(SESSION_MAX_MS))).toBe('expired');
	});
	it('refreshes once a day of sliding has accrued, not on every request', () => {
		const s = { createdAt: t0, expiresAt: at(SESSION_IDLE_MS) };
		expect(sessionVerdict(s, at(DAY / 2))).toBe('valid');
		expect(sessionVerdict(s, at(DAY))).toBe('refresh');
	});
});

describe('sessions in the database', () => {
	let handle: DatabaseHandle;
	let userId: string;
	beforeAll(async () => {
		handle = await createTestDatabase();
		const [u] = await handle.db
			.insert(table.user)
			.values({ email: 's@example.com', name: 'S', passwordHash: 'x' })
			.returning();
		userId = u!.id;
	});
	afterAll(() => handle.close());

	it('validates a fresh token and rejects a forged one', async () => {
		const { token } = await createSession(handle.db, userId, {}, new Date());
		const ok = await validateSessionToken(handle.db, token);
		expect(ok?.user.id).toBe(userId);
		expect(await validateSessionToken(handle.db, generateSessionToken())).toBeNull();
	});

	it('slides the stored expiry and deletes an expired session', async () => {
		const created = new Date(Date.now() - 3 * DAY);
		const { token, session } = await createSession(handle.db, userId, {}, created);
		const now = new Date();
		const result = await validateSessionToken(handle.db, token, now);
		expect(result?.refreshed).toBe(true);
		expect(result!.session.expiresAt.getTime()).toBe(now.getTime() + SESSION_IDLE_MS);
		const later = new Date(now.getTime() + SESSION_IDLE_MS + 1);
		expect(await validateSessionToken(handle.db, token, later)).toBeNull();
		const left = await handle.db
			.select()
			.from(table.session)
			.where(eq(table.session.id, session.id));
		expect(left).toHaveLength(0);
	});

	it('rejects every session of a deactivated user', async () => {
		const [u] = await handle.db
			.insert(table.user)
			.values({ email: 'gone@example.com', name: 'G', passwordHash: 'x' })
			.returning();
		const { token } = await createSession(handle.db, u!.id);
		await handle.db.update(table.user).set({ active: false }).where(eq(table.user.id, u!.id));
		expect(await validateSessionToken(handle.db, token)).toBeNull();
	});

	it('ends all of a user’s sessions at once', async () => {
		const a = await createSession(handle.db, userId);
		const b = await createSession(handle.db, userId);
		await invalidateUserSessions(handle.db, userId);
		expect(await validateSessionToken(handle.db, a.token)).toBeNull();
		expect(await validateSessionToken(handle.db, b.token)).toBeNull();
	});
});
