import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { hashPassword } from '../password';
import { requestPasswordReset } from '../password-reset';
import { passwordSignInRefused } from './sign-in';
import { localPasswordSettings } from './settings';

// LOCAL_PASSWORDS=off: the attacker (or a forgetful colleague) tries the password ways in.
const env = {
	OIDC_ISSUER: 'https://sso.example.com',
	OIDC_CLIENT_ID: 'rampart',
	OIDC_CLIENT_SECRET: 'not-a-real-secret',
	LOCAL_PASSWORDS: 'off',
	BREAK_GLASS_ADMIN: 'root@example.com',
	SMTP_URL: 'smtp://127.0.0.1:9',
	ORIGIN: 'http://127.0.0.1:5299'
};

describe('local passwords turned off', () => {
	let handle: DatabaseHandle;
	const saved: Record<string, string | undefined> = {};
	beforeAll(async () => {
		handle = await createTestDatabase();
		for (const [k, v] of Object.entries(env)) {
			saved[k] = process.env[k];
			process.env[k] = v;
		}
		const passwordHash = await hashPassword('a long enough password');
		await handle.db.insert(table.user).values([
			{ email: 'root@example.com', name: 'Root', passwordHash, role: 'admin' },
			{ email: 'ann@example.com', name: 'Ann', passwordHash }
		]);
	});
	afterAll(async () => {
		for (const [k, v] of Object.entries(saved)) {
			if (v === undefined) delete process.env[k];
			else process.env[k] = v;
		}
		await handle.close();
	});

	it('refuses a password sign-in for everyone but the break-glass admin, audited', async () => {
		const local = localPasswordSettings(env);
		expect(await passwordSignInRefused(handle.db, local, 'Ann@example.com', '192.0.2.5')).toBe(
			true
		);
		expect(await passwordSignInRefused(handle.db, local, 'root@example.com', '192.0.2.5')).toBe(
			false
		);
		const entries = await handle.db
			.select({ detail: table.auditLog.detail })
			.from(table.auditLog)
			.where(eq(table.auditLog.action, 'auth.sign_in_failed'));
		expect(entries.map((e) => e.detail)).toEqual([
			{ method: 'password', reason: 'local_passwords_off', email: 'ann@example.com' }
		]);
	});

	it('sends no reset link but to the break-glass admin', async () => {
		const links = async () =>
			(await handle.db.select({ n: count() }).from(table.passwordReset))[0]!.n;
		await requestPasswordReset(handle.db, { email: 'ann@example.com', ip: '192.0.2.6' });
		expect(await links()).toBe(0);
		expect((await handle.db.select({ n: count() }).from(table.emailOutbox))[0]!.n).toBe(0);
		await requestPasswordReset(handle.db, { email: 'root@example.com', ip: '192.0.2.6' });
		expect(await links()).toBe(1);
	});
});
