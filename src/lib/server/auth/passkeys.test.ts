import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { addPasskey, createChallenge, removePasskey, verifyPasskey } from './passkeys';
import { createSignInChallenge } from './passkey-sign-in';
import { createSession, validateSessionToken } from './session';
import { hasSecondFactor } from './two-factor';
import { softwareAuthenticator } from './testing/authenticator';

const rp = { id: 'rampart.example', origin: 'https://rampart.example' };

describe('passkeys as a second factor (WebAuthn, ES256)', () => {
	let handle: DatabaseHandle;
	let ann: string;
	let bo: string;
	const key = softwareAuthenticator();
	const db = () => handle.db;

	beforeAll(async () => {
		handle = await createTestDatabase();
		const rows = await db()
			.insert(table.user)
			.values([
				{ email: 'ann@example.com', name: 'Ann', passwordHash: 'x' },
				{ email: 'bo@example.com', name: 'Bo', passwordHash: 'x' }
			])
			.returning();
		[ann, bo] = [rows[0]!.id, rows[1]!.id];
	});
	afterAll(() => handle.close());

	const add = async (userId: string, answer: ReturnType<typeof key.register>) =>
		addPasskey(db(), { userId, ip: '192.0.2.9', sessionId: null }, rp, {
			name: 'Laptop',
			...answer
		});

	it('refuses a registration for another origin, another relying party, or an unknown challenge', async () => {
		expect(
			await add(ann, key.register(rp, await createChallenge(db(), ann), 'https://evil.example'))
		).toEqual({ ok: false });
		const otherRp = { id: 'evil.example', origin: rp.origin };
		expect(await add(ann, key.register(otherRp, await createChallenge(db(), ann)))).toEqual({
			ok: false
		});
		expect(await add(ann, key.register(rp, 'bm90LWEtY2hhbGxlbmdl'))).toEqual({ ok: false });
		// Bo's challenge does not serve Ann.
		expect(await add(ann, key.register(rp, await createChallenge(db(), bo)))).toEqual({
			ok: false
		});
		expect(await db().$count(table.passkey)).toBe(0);
		expect(await hasSecondFactor(db(), ann)).toBe(false);
	});

	it('adds a passkey with the first recovery codes; its challenge works once', async () => {
		const answer = key.register(rp, await createChallenge(db(), ann));
		const added = await add(ann, answer);
		expect(added.ok).toBe(true);
		expect(added.ok && added.recoveryCodes).toHaveLength(10);
		expect(await hasSecondFactor(db(), ann)).toBe(true);
		expect(await add(ann, answer)).toEqual({ ok: false });
		const [stored] = await db().select().from(table.passkey);
		expect(stored).toMatchObject({
			id: key.credentialId,
			userId: ann,
			name: 'Laptop',
			signCount: 0,
			userVerified: true
		});
	});

	it('a password-only session of a user with just a passkey waits for it', async () => {
		const { token } = await createSession(db(), ann);
		expect((await validateSessionToken(db(), token))?.pendingSecondFactor).toBe(true);
	});

	it('accepts a signed assertion once per challenge', async () => {
		const assertion = key.assert(rp, await createChallenge(db(), ann));
		const ctx = { userId: ann, ip: '192.0.2.10' };
		expect(await verifyPasskey(db(), ctx, rp, assertion)).toEqual({ ok: true, method: 'passkey' });
		expect(await verifyPasskey(db(), ctx, rp, assertion)).toEqual({ ok: false, reason: 'invalid' });
	});

	it('refuses a counter that goes back, and a challenge made for a password-less sign-in', async () => {
		const ctx = { userId: ann, ip: '192.0.2.13' };
		const high = key.assert(rp, await createChallenge(db(), ann), rp.origin, { counter: 40 });
		expect(await verifyPasskey(db(), ctx, rp, high)).toEqual({ ok: true, method: 'passkey' });
		const cloned = key.assert(rp, await createChallenge(db(), ann), rp.origin, { counter: 39 });
		expect(await verifyPasskey(db(), ctx, rp, cloned)).toMatchObject({ ok: false });
		const { challenge } = await createSignInChallenge(db());
		expect(await verifyPasskey(db(), ctx, rp, key.assert(rp, challenge))).toMatchObject({
			ok: false
		});
		expect(
			await verifyPasskey(db(), ctx, rp, key.assert(rp, await createChallenge(db(), ann)))
		).toEqual({ ok: true, method: 'passkey' });
	});

	it('refuses another user, another key, another origin, and a tampered signature', async () => {
		// Bo answers with Ann's passkey.
		const asBo = key.assert(rp, await createChallenge(db(), bo));
		expect(await verifyPasskey(db(), { userId: bo, ip: '192.0.2.11' }, rp, asBo)).toMatchObject({
			ok: false
		});
		const ctx = { userId: ann, ip: '192.0.2.12' };
		const stranger = softwareAuthenticator();
		const forged = {
			...stranger.assert(rp, await createChallenge(db(), ann)),
			credentialId: key.credentialId
		};
		expect(await verifyPasskey(db(), ctx, rp, forged)).toMatchObject({ ok: false });
		const elsewhere = key.assert(rp, await createChallenge(db(), ann), 'https://evil.example');
		expect(await verifyPasskey(db(), ctx, rp, elsewhere)).toMatchObject({ ok: false });
	});

	it('removes a passkey of one’s own only, audited', async () => {
		expect(await removePasskey(db(), { userId: bo, ip: '' }, key.credentialId)).toBe(false);
		expect(await removePasskey(db(), { userId: ann, ip: '' }, key.credentialId)).toBe(true);
		expect(await hasSecondFactor(db(), ann)).toBe(false);
		const entries = await db()
			.select()
			.from(table.auditLog)
			.where(eq(table.auditLog.action, 'auth.passkey_removed'));
		expect(entries).toHaveLength(1);
	});
});
