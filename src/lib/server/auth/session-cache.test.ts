import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { countStatements, createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import {
	createSession,
	invalidateSession,
	invalidateUserSessions,
	sessionIdFromToken,
	validateSessionToken
} from './session';
import { SessionCache, sessionCacheOf } from './session-cache';

describe('kept session rows, by themselves', () => {
	it('drops one session, every session of one user, or everything', () => {
		const cache = new SessionCache<string>();
		const g = cache.generation;
		cache.keep('s1', 'ann', 'ann-1', g);
		cache.keep('s2', 'ann', 'ann-2', g);
		cache.keep('s3', 'bob', 'bob-1', g);
		cache.changed('s:s1');
		expect([cache.get('s1'), cache.get('s2'), cache.get('s3')]).toEqual([
			undefined,
			'ann-2',
			'bob-1'
		]);
		cache.changed('u:ann');
		expect([cache.get('s2'), cache.get('s3')]).toEqual([undefined, 'bob-1']);
		cache.changed('*');
		expect(cache.size).toBe(0);
	});

	it('does not keep a row read before a change arrived', () => {
		const cache = new SessionCache<string>();
		const before = cache.generation;
		cache.changed('u:someone-else');
		cache.keep('s1', 'ann', 'read before the change', before);
		expect(cache.get('s1')).toBeUndefined();
	});

	it('holds at most its limit, the oldest going first', () => {
		const cache = new SessionCache<number>(2);
		for (const n of [1, 2, 3]) cache.keep(`s${n}`, 'ann', n, cache.generation);
		expect([cache.get('s1'), cache.get('s2'), cache.get('s3')]).toEqual([undefined, 2, 3]);
	});
});

/*
 * The attacker's side: a session that was checked (and kept, on the embedded database) must be
 * refused on the very next request once it is ended, its user deactivated or demoted, or a
 * second factor is added. The same tests run on PostgreSQL, where nothing is kept.
 */
describe('a checked session after what it read changes', () => {
	let handle: DatabaseHandle;
	let userId: string;
	beforeAll(async () => {
		handle = await createTestDatabase();
	});
	afterAll(() => handle.close());
	beforeEach(async () => {
		const [u] = await handle.db
			.insert(table.user)
			.values({
				email: `u${Math.random().toString(36).slice(2)}@example.com`,
				name: 'Una',
				passwordHash: 'x',
				role: 'security'
			})
			.returning();
		userId = u!.id;
	});
	/** A session checked once, as the first request after sign-in does. */
	const checked = async () => {
		const { token } = await createSession(handle.db, userId);
		expect((await validateSessionToken(handle.db, token))?.user.id).toBe(userId);
		return token;
	};

	it('answers the next check from memory on the embedded database only', async () => {
		const token = await checked();
		expect(sessionCacheOf(handle.db) !== undefined).toBe(handle.kind === 'pglite');
		if (handle.kind !== 'pglite') return;
		const statements = countStatements(handle.db);
		try {
			expect((await validateSessionToken(handle.db, token))?.user.id).toBe(userId);
			expect(statements.count).toBe(0);
		} finally {
			statements.stop();
		}
	});

	it('refuses a session signed out, and only that one', async () => {
		const token = await checked();
		const other = await checked();
		await invalidateSession(handle.db, sessionIdFromToken(token));
		expect(await validateSessionToken(handle.db, token)).toBeNull();
		expect((await validateSessionToken(handle.db, other))?.user.id).toBe(userId);
	});

	it('refuses every session once they are all ended (sign out everywhere, password changed)', async () => {
		const a = await checked();
		const b = await checked();
		await invalidateUserSessions(handle.db, userId);
		expect(await validateSessionToken(handle.db, a)).toBeNull();
		expect(await validateSessionToken(handle.db, b)).toBeNull();
	});

	it('refuses a deactivated user, and shows a changed role and name at once', async () => {
		const token = await checked();
		await handle.db
			.update(table.user)
			.set({ role: 'member', name: 'Una Demoted' })
			.where(eq(table.user.id, userId));
		expect((await validateSessionToken(handle.db, token))?.user).toMatchObject({
			role: 'member',
			name: 'Una Demoted'
		});
		await handle.db.update(table.user).set({ active: false }).where(eq(table.user.id, userId));
		expect(await validateSessionToken(handle.db, token)).toBeNull();
	});

	it('makes a session wait for the second factor added since it was checked', async () => {
		const token = await checked();
		await handle.db.insert(table.userTotp).values({ userId, encryptedKey: 'sealed' });
		const after = await validateSessionToken(handle.db, token);
		expect(after).toMatchObject({ secondFactorEnrolled: true, pendingSecondFactor: true });
		await handle.db.delete(table.userTotp).where(eq(table.userTotp.userId, userId));
		expect(await validateSessionToken(handle.db, token)).toMatchObject({
			secondFactorEnrolled: false,
			pendingSecondFactor: false
		});
	});

	it('refuses a session ended in a transaction once it commits, and keeps it when it rolls back', async () => {
		const token = await checked();
		await handle.db
			.transaction(async (tx) => {
				await invalidateUserSessions(tx, userId);
				tx.rollback();
			})
			.catch(() => {});
		expect((await validateSessionToken(handle.db, token))?.user.id).toBe(userId);
		await handle.db.transaction(async (tx) => {
			await invalidateUserSessions(tx, userId);
		});
		expect(await validateSessionToken(handle.db, token)).toBeNull();
	});

	it('refuses a user deleted (their sessions go with them)', async () => {
		const token = await checked();
		await handle.db.delete(table.user).where(eq(table.user.id, userId));
		expect(await validateSessionToken(handle.db, token)).toBeNull();
	});
});
