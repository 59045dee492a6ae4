import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { IP_MAX_FAILURES } from './login-throttle';
import type { LocalPasswordSettings } from './oidc/settings';
import { addPasskey, createChallenge } from './passkeys';
import { createSignInChallenge, signInWithPasskey } from './passkey-sign-in';
import { validateSessionToken } from './session';
import { softwareAuthenticator } from './testing/authenticator';

const rp = { id: 'rampart.example', origin: 'https://rampart.example' };
const passwordsOn: LocalPasswordSettings = { enabled: true, breakGlassAdmin: null };

/*
 * Password-less sign-in from the attacker's side: each forged, replayed or misdirected answer
 * is refused with its reason in the audit log and no session is made.
 */
describe('signing in with a passkey alone', () => {
	let handle: DatabaseHandle;
	const ids: Record<string, string> = {};
	const keys = {
		ann: softwareAuthenticator(),
		dee: softwareAuthenticator(),
		// Registered without user verification: a second factor only.
		carl: softwareAuthenticator()
	};
	const db = () => handle.db;
	// Each test on its own hour: the throttle's failures of one do not slow the next.
	let hour = 0;
	const clock = () => new Date(Date.UTC(2026, 0, 1) + ++hour * 3 * 60 * 60 * 1000);

	beforeAll(async () => {
		handle = await createTestDatabase();
		for (const name of ['ann', 'dee', 'carl'] as const) {
			const [u] = await db()
				.insert(table.user)
				.values({ email: `${name}@example.com`, name, passwordHash: 'x' })
				.returning();
			ids[name] = u!.id;
			const key = keys[name];
			const registration = key.register(rp, await createChallenge(db(), u!.id), rp.origin, {
				userVerified: name !== 'carl'
			});
			const added = await addPasskey(db(), { userId: u!.id, ip: '', sessionId: null }, rp, {
				name: `${name}'s key`,
				...registration
			});
			expect(added.ok).toBe(true);
		}
	});
	afterAll(() => handle.close());

	type Key = ReturnType<typeof softwareAuthenticator>;
	type Options = Parameters<Key['assert']>[3];
	/** What a browser sends back: its cookie's value and the passkey's answer to the challenge. */
	const answer = async (
		name: keyof typeof keys,
		now: Date,
		options: Options & { origin?: string; rpId?: string } = {}
	) => {
		const { challenge, browserToken } = await createSignInChallenge(db(), now);
		const { origin = rp.origin, rpId = rp.id, ...rest } = options;
		const signed = keys[name].assert({ id: rpId, origin }, challenge, origin, {
			userHandle: ids[name],
			...rest
		});
		return { browserToken, signed };
	};
	const signIn = (
		signed: Awaited<ReturnType<typeof answer>>['signed'],
		browserToken: string | null,
		now: Date,
		more: { ip?: string; local?: LocalPasswordSettings } = {}
	) =>
		signInWithPasskey(
			db(),
			signed,
			{
				ip: more.ip ?? '198.51.100.7',
				userAgent: 'test',
				browserToken,
				rp,
				local: more.local ?? passwordsOn
			},
			now
		);
	const sessions = () => db().$count(table.session);
	/** The reason of the last refused passkey sign-in in the audit log. */
	const lastRefusal = async () => {
		const [entry] = await db()
			.select()
			.from(table.auditLog)
			.where(eq(table.auditLog.action, 'auth.sign_in_failed'))
			.orderBy(desc(table.auditLog.id))
			.limit(1);
		return (entry?.detail as { method?: string; reason?: string } | undefined)?.reason;
	};
	/** Tries an answer that must be refused: no session appears and the audit says why. */
	const refused = async (run: () => Promise<unknown>, reason: string) => {
		const before = await sessions();
		expect(await run()).toEqual({ ok: false, reason: 'invalid' });
		expect(await sessions()).toBe(before);
		expect(await lastRefusal()).toBe(reason);
	};

	it('signs in with a user-verifying passkey: a session recorded as passkey, second factor done, audited', async () => {
		const now = clock();
		const { browserToken, signed } = await answer('ann', now);
		const result = await signIn(signed, browserToken, now);
		expect(result).toMatchObject({ ok: true, userId: ids.ann });
		if (!result.ok || !('token' in result)) throw new Error('refused');
		const valid = await validateSessionToken(db(), result.token, now);
		expect(valid?.user.id).toBe(ids.ann);
		expect(valid?.session.authMethod).toBe('passkey');
		expect(valid?.session.secondFactorAt).toEqual(now);
		expect(valid?.pendingSecondFactor).toBe(false);
		const [entry] = await db()
			.select()
			.from(table.auditLog)
			.where(and(eq(table.auditLog.action, 'auth.sign_in'), eq(table.auditLog.actorId, ids.ann!)));
		expect(entry?.detail).toEqual({ method: 'passkey', passkey: "ann's key" });
	});

	it('refuses a replayed answer (its challenge was used)', async () => {
		const now = clock();
		const { browserToken, signed } = await answer('ann', now);
		expect((await signIn(signed, browserToken, now)).ok).toBe(true);
		await refused(() => signIn(signed, browserToken, now), 'challenge');
	});

	it('refuses a challenge given to another browser, or answered without the cookie', async () => {
		const now = clock();
		const { signed } = await answer('ann', now);
		const other = await createSignInChallenge(db(), now);
		await refused(() => signIn(signed, other.browserToken, now), 'challenge');
		const again = await answer('ann', now);
		await refused(() => signIn(again.signed, null, now), 'challenge');
	});

	it('refuses an expired challenge', async () => {
		const now = clock();
		const { browserToken, signed } = await answer('ann', now);
		const later = new Date(now.getTime() + 6 * 60 * 1000);
		await refused(() => signIn(signed, browserToken, later), 'challenge');
	});

	it('refuses a challenge made for one user’s second factor', async () => {
		const now = clock();
		const { browserToken } = await createSignInChallenge(db(), now);
		const forUser = await createChallenge(db(), ids.ann!, now);
		const signed = keys.ann.assert(rp, forUser, rp.origin, { userHandle: ids.ann });
		await refused(() => signIn(signed, browserToken, now), 'challenge');
	});

	it('refuses an answer made for another origin or another relying party', async () => {
		const now = clock();
		const phished = await answer('ann', now, { origin: 'https://rampart.example.evil.test' });
		await refused(() => signIn(phished.signed, phished.browserToken, now), 'client_data');
		const otherRp = await answer('ann', now, { rpId: 'evil.test' });
		await refused(() => signIn(otherRp.signed, otherRp.browserToken, now), 'relying_party');
	});

	it('refuses an answer without user verification, and a passkey registered without it', async () => {
		const now = clock();
		const unverified = await answer('ann', now, { userVerified: false });
		await refused(
			() => signIn(unverified.signed, unverified.browserToken, now),
			'user_verification'
		);
		const carl = await answer('carl', now);
		await refused(() => signIn(carl.signed, carl.browserToken, now), 'not_user_verified');
	});

	it('refuses a signature counter that goes back (a cloned key)', async () => {
		const now = clock();
		const high = await answer('ann', now, { counter: 50 });
		expect((await signIn(high.signed, high.browserToken, now)).ok).toBe(true);
		const same = await answer('ann', now, { counter: 50 });
		await refused(() => signIn(same.signed, same.browserToken, now), 'counter');
		const lower = await answer('ann', now, { counter: 7 });
		await refused(() => signIn(lower.signed, lower.browserToken, now), 'counter');
		const [stored] = await db()
			.select({ signCount: table.passkey.signCount })
			.from(table.passkey)
			.where(eq(table.passkey.id, keys.ann.credentialId));
		expect(stored?.signCount).toBe(50);
	});

	it('refuses an unknown credential, a forged signature and another user’s handle', async () => {
		const now = clock();
		const stranger = softwareAuthenticator();
		const { challenge, browserToken } = await createSignInChallenge(db(), now);
		const unknown = stranger.assert(rp, challenge, rp.origin, { userHandle: ids.ann });
		await refused(() => signIn(unknown, browserToken, now), 'unknown_credential');

		const forged = await createSignInChallenge(db(), now);
		const signedByStranger = {
			...stranger.assert(rp, forged.challenge, rp.origin, { userHandle: ids.ann }),
			credentialId: keys.ann.credentialId
		};
		await refused(() => signIn(signedByStranger, forged.browserToken, now), 'signature');

		// Ann's passkey naming Dee as its user.
		const swapped = await answer('ann', now, { userHandle: ids.dee });
		await refused(() => signIn(swapped.signed, swapped.browserToken, now), 'user_handle');
	});

	it('refuses the passkey of a deactivated user', async () => {
		const now = clock();
		await db().update(table.user).set({ active: false }).where(eq(table.user.id, ids.dee!));
		const { browserToken, signed } = await answer('dee', now);
		await refused(() => signIn(signed, browserToken, now), 'deactivated');
	});

	it('with local sign-in off, lets in the break-glass admin only', async () => {
		const now = clock();
		const off = { enabled: false, breakGlassAdmin: 'root@example.com' };
		const before = await sessions();
		const ann = await answer('ann', now);
		expect(await signIn(ann.signed, ann.browserToken, now, { local: off })).toEqual({
			ok: false,
			reason: 'local_passwords_off'
		});
		expect(await sessions()).toBe(before);
		expect(await lastRefusal()).toBe('local_passwords_off');
		const breakGlass = { enabled: false, breakGlassAdmin: 'ann@example.com' };
		const again = await answer('ann', now);
		expect((await signIn(again.signed, again.browserToken, now, { local: breakGlass })).ok).toBe(
			true
		);
	});

	it('is throttled per address like password sign-ins: past the limit even a right answer waits', async () => {
		const now = clock();
		const ip = '198.51.100.99';
		// A new made-up credential each time: the per-credential delay never starts.
		for (let i = 0; i < IP_MAX_FAILURES; i++) {
			const { challenge, browserToken } = await createSignInChallenge(db(), now);
			const made = softwareAuthenticator().assert(rp, challenge, rp.origin, {
				userHandle: ids.ann
			});
			expect(await signIn(made, browserToken, now, { ip })).toEqual({
				ok: false,
				reason: 'invalid'
			});
		}
		const before = await sessions();
		const { browserToken, signed } = await answer('ann', now);
		const result = await signIn(signed, browserToken, now, { ip });
		expect(result).toMatchObject({ ok: false, reason: 'throttled' });
		expect(await sessions()).toBe(before);
		// Another address is not held up.
		const other = await answer('ann', now);
		expect((await signIn(other.signed, other.browserToken, now)).ok).toBe(true);
	});
});
