import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { createFirstAdmin, hasUsers, signIn } from './sign-in';

describe('first admin and sign-in', () => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		handle = await createTestDatabase();
	});
	afterAll(() => handle.close());

	it('creates exactly one admin when two setup requests race', async () => {
		expect(await hasUsers(handle.db)).toBe(false);
		const input = (email: string) => ({
			name: 'First',
			email,
			password: 'a long first password',
			ip: '127.0.0.1'
		});
		const results = await Promise.all([
			createFirstAdmin(handle.db, input('one@example.com')),
			createFirstAdmin(handle.db, input('two@example.com'))
		]);
		expect(results.filter(Boolean)).toHaveLength(1);
		const users = await handle.db.select().from(table.user);
		expect(users).toHaveLength(1);
		expect(users[0]!.role).toBe('admin');
		expect(await createFirstAdmin(handle.db, input('three@example.com'))).toBeNull();
	});

	it('answers an unknown email and a wrong password identically, and records both', async () => {
		const ctx = { ip: '192.0.2.10', userAgent: 'test' };
		const unknown = await signIn(handle.db, {
			...ctx,
			email: 'nobody@example.com',
			password: 'whatever123'
		});
		const wrong = await signIn(handle.db, {
			...ctx,
			email: 'one@example.com',
			password: 'whatever123'
		});
		const first = (await handle.db.select().from(table.user))[0]!;
		const wrongForFirst = await signIn(handle.db, {
			...ctx,
			email: first.email,
			password: 'whatever123'
		});
		expect(unknown).toEqual({ ok: false, reason: 'invalid' });
		expect(wrongForFirst).toEqual(unknown);
		expect(wrong).toEqual(unknown);
		const failures = await handle.db
			.select()
			.from(table.auditLog)
			.where(eq(table.auditLog.action, 'auth.sign_in_failed'));
		expect(failures.length).toBeGreaterThanOrEqual(3);
	});

	it('signs in case-insensitively and refuses a deactivated account like a wrong password', async () => {
		const first = (await handle.db.select().from(table.user))[0]!;
		const ctx = { ip: '192.0.2.11', userAgent: 'test' };
		const ok = await signIn(handle.db, {
			...ctx,
			email: first.email.toUpperCase(),
			password: 'a long first password'
		});
		expect(ok.ok).toBe(true);
		await handle.db.update(table.user).set({ active: false }).where(eq(table.user.id, first.id));
		const refused = await signIn(handle.db, {
			...ctx,
			email: first.email,
			password: 'a long first password'
		});
		expect(refused).toEqual({ ok: false, reason: 'invalid' });
		await handle.db.update(table.user).set({ active: true }).where(eq(table.user.id, first.id));
	});

	it('throttles before checking the password', async () => {
		const ctx = { ip: '192.0.2.99', userAgent: 'test' };
		for (let i = 0; i < 10; i++) {
			await signIn(handle.db, { ...ctx, email: `x${i}@example.com`, password: 'wrong-password' });
		}
		const first = (await handle.db.select().from(table.user))[0]!;
		const blocked = await signIn(handle.db, {
			...ctx,
			email: first.email,
			password: 'a long first password'
		});
		expect(blocked.ok).toBe(false);
		expect(blocked).toMatchObject({ reason: 'throttled' });
	});
});
