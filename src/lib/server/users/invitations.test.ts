import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { validateSessionToken } from '$lib/server/auth/session';
import {
	acceptInvitation,
	createInvitation,
	findUsableInvitation,
	revokeInvitation
} from './invitations';
import { changePassword, changeRole, setUserActive } from './accounts';
import { createSession } from '$lib/server/auth/session';

describe('invitations and accounts', () => {
	let handle: DatabaseHandle;
	let adminId: string;
	const ctx = () => ({ actorId: adminId, ip: '127.0.0.1' });
	beforeAll(async () => {
		handle = await createTestDatabase();
		const [a] = await handle.db
			.insert(table.user)
			.values({ email: 'admin@example.com', name: 'Admin', passwordHash: 'x', role: 'admin' })
			.returning();
		adminId = a!.id;
	});
	afterAll(() => handle.close());

	it('stores only the hash of the invitation token and lets it be used once', async () => {
		const inv = await createInvitation(handle.db, ctx(), {
			email: 'new@example.com',
			role: 'security'
		});
		if (!inv.ok) throw new Error('invitation refused');
		const [row] = await handle.db.select().from(table.invitation);
		expect(row!.tokenHash).not.toBe(inv.token);
		expect(await findUsableInvitation(handle.db, inv.token)).toMatchObject({
			email: 'new@example.com'
		});

		const input = {
			token: inv.token,
			name: 'New Person',
			password: 'a fine long password',
			ip: '::1',
			userAgent: 't'
		};
		const [first, second] = await Promise.all([
			acceptInvitation(handle.db, input),
			acceptInvitation(handle.db, input)
		]);
		expect([first.ok, second.ok].filter(Boolean)).toHaveLength(1);
		const created = await handle.db
			.select()
			.from(table.user)
			.where(eq(table.user.email, 'new@example.com'));
		expect(created).toHaveLength(1);
		expect(created[0]!.role).toBe('security');
		expect(await findUsableInvitation(handle.db, inv.token)).toBeNull();
	});

	it('refuses expired and revoked invitations, and a common password', async () => {
		const past = new Date(Date.now() - 8 * 24 * 60 * 60 * 1000);
		const old = await createInvitation(
			handle.db,
			ctx(),
			{ email: 'late@example.com', role: 'member' },
			past
		);
		if (!old.ok) throw new Error('refused');
		const late = await acceptInvitation(handle.db, {
			token: old.token,
			name: 'L',
			password: 'a fine long password',
			ip: '',
			userAgent: ''
		});
		expect(late.ok).toBe(false);

		const inv = await createInvitation(handle.db, ctx(), {
			email: 'weak@example.com',
			role: 'member'
		});
		if (!inv.ok) throw new Error('refused');
		const weak = await acceptInvitation(handle.db, {
			token: inv.token,
			name: 'W',
			password: 'password123',
			ip: '',
			userAgent: ''
		});
		expect(weak).toMatchObject({ ok: false, field: 'password' });
		const [pending] = await handle.db
			.select()
			.from(table.invitation)
			.where(eq(table.invitation.email, 'weak@example.com'));
		await revokeInvitation(handle.db, ctx(), pending!.id);
		const revoked = await acceptInvitation(handle.db, {
			token: inv.token,
			name: 'W',
			password: 'a fine long password',
			ip: '',
			userAgent: ''
		});
		expect(revoked.ok).toBe(false);
		expect(
			await handle.db.select().from(table.user).where(eq(table.user.email, 'weak@example.com'))
		).toHaveLength(0);
	});

	it('refuses to invite an existing email', async () => {
		const again = await createInvitation(handle.db, ctx(), {
			email: 'admin@example.com',
			role: 'member'
		});
		expect(again).toMatchObject({ ok: false, field: 'email' });
	});

	it('ends every session on role change, deactivation and password change', async () => {
		const [u] = await handle.db
			.select()
			.from(table.user)
			.where(eq(table.user.email, 'new@example.com'));
		const s1 = await createSession(handle.db, u!.id);
		expect((await changeRole(handle.db, ctx(), u!.id, 'leadership')).ok).toBe(true);
		expect(await validateSessionToken(handle.db, s1.token)).toBeNull();

		const s2 = await createSession(handle.db, u!.id);
		expect((await setUserActive(handle.db, ctx(), u!.id, false)).ok).toBe(true);
		expect(await validateSessionToken(handle.db, s2.token)).toBeNull();
		await setUserActive(handle.db, ctx(), u!.id, true);

		const s3 = await createSession(handle.db, u!.id);
		const changed = await changePassword(
			handle.db,
			{ actorId: u!.id, ip: '', userAgent: '' },
			'a fine long password',
			'another long passphrase'
		);
		expect(changed.ok).toBe(true);
		expect(await validateSessionToken(handle.db, s3.token)).toBeNull();
		expect(await validateSessionToken(handle.db, changed.session!.token)).not.toBeNull();
	});

	it('refuses a wrong current password and changes nothing', async () => {
		const [u] = await handle.db
			.select()
			.from(table.user)
			.where(eq(table.user.email, 'new@example.com'));
		const result = await changePassword(
			handle.db,
			{ actorId: u!.id, ip: '', userAgent: '' },
			'not it at all',
			'yet another passphrase'
		);
		expect(result).toMatchObject({ ok: false, field: 'current' });
		const [after] = await handle.db.select().from(table.user).where(eq(table.user.id, u!.id));
		expect(after!.passwordHash).toBe(u!.passwordHash);
	});

	it('does not let an admin demote or deactivate themselves, and audits role changes', async () => {
		expect(await changeRole(handle.db, ctx(), adminId, 'member')).toMatchObject({ ok: false });
		expect(await setUserActive(handle.db, ctx(), adminId, false)).toMatchObject({ ok: false });
		const log = await handle.db
			.select()
			.from(table.auditLog)
			.where(eq(table.auditLog.action, 'user.role_changed'));
		expect(log[0]).toMatchObject({
			actorId: adminId,
			detail: { from: 'security', to: 'leadership' }
		});
	});
});
