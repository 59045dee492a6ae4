import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { generateTOTP } from '@oslojs/otp';
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { hashPassword } from '$lib/server/auth/password';
import { signIn } from '$lib/server/auth/sign-in';
import { createSession, validateSessionToken } from '$lib/server/auth/session';
import { sessionLocals } from '$lib/server/auth/session-locals';
import { requirePermission, requireTeamAccess, requireUser } from '$lib/server/auth/guard';
import { enrolTotp, generateTotpKey, replaceRecoveryCodes } from '$lib/server/auth/two-factor';
import { softwareAuthenticator } from '$lib/server/auth/testing/authenticator';
import { actions, load } from './+page.server';
import * as setupPage from '../../../(app)/account/two-factor/+page.server';
import * as accountPage from '../../../(app)/account/+page.server';
import * as usersPage from '../../../(admin)/admin/users/+page.server';

/*
 * Second factors from the attacker's side: a password alone opens nothing but the two-factor
 * step, a code works once, a role that requires a factor gets nowhere without one, and sensitive
 * changes ask for a fresh code.
 */
const PASSWORD = 'correct horse battery';
type Fields = Record<string, string>;

describe('two-factor sign-in, policy and step-up', () => {
	let handle: DatabaseHandle;
	const keys: Record<string, Uint8Array> = {};
	const ids: Record<string, string> = {};
	const db = () => handle.db;

	beforeAll(async () => {
		vi.stubEnv('ENCRYPTION_KEY', 'cd'.repeat(32));
		vi.stubEnv('MFA_REQUIRED_ROLES', 'admin,security');
		handle = await createTestDatabase();
		const passwordHash = await hashPassword(PASSWORD);
		for (const [name, role] of [
			['ann', 'member'],
			['root', 'admin'],
			['newadmin', 'admin']
		] as const) {
			const [u] = await db()
				.insert(table.user)
				.values({ email: `${name}@example.com`, name, passwordHash, role })
				.returning();
			ids[name] = u!.id;
		}
		for (const name of ['ann', 'root']) {
			keys[name] = generateTotpKey();
			const code = generateTOTP(keys[name], 30, 6);
			const enrolled = await enrolTotp(
				db(),
				{ userId: ids[name]!, ip: '', sessionId: null },
				keys[name],
				code
			);
			expect(enrolled.ok).toBe(true);
		}
	});
	afterAll(async () => {
		vi.unstubAllEnvs();
		await handle.close();
	});

	/** The current code, as if its 30-second window had not been used yet (each code works once). */
	const code = async (name: string) => {
		await db()
			.update(table.userTotp)
			.set({ lastUsedStep: 0 })
			.where(eq(table.userTotp.userId, ids[name]!));
		return generateTOTP(keys[name]!, 30, 6);
	};

	/** A request carrying a session cookie, with locals as the hook fills them. */
	const request = async (token: string | null, path: string, form?: Fields) => {
		const result = token ? await validateSessionToken(db(), token) : null;
		const url = new URL(`http://127.0.0.1${path}`);
		const cookies: Record<string, string> = {};
		const body = new FormData();
		for (const [k, v] of Object.entries(form ?? {})) body.append(k, v);
		return {
			cookies,
			event: {
				locals: { db: db(), ip: '203.0.113.50', ...sessionLocals(result) },
				params: {},
				url,
				route: { id: null },
				setHeaders: () => {},
				cookies: {
					set: (name: string, value: string) => (cookies[name] = value),
					get: () => undefined,
					delete: () => {}
				},
				request: new Request(url, { method: form ? 'POST' : 'GET', ...(form ? { body } : {}) })
			} as never
		};
	};
	/** What a handler answers: its value, the redirect or error it throws, or its failure. */
	const outcome = async (run: () => unknown) => {
		try {
			const value = (await run()) as { status?: number; data?: unknown } | undefined;
			return value && typeof value.status === 'number'
				? { status: value.status, data: value.data as Record<string, unknown> }
				: { value };
		} catch (e) {
			if (isRedirect(e)) return { redirect: e.location };
			if (isHttpError(e)) return { status: e.status };
			throw e;
		}
	};
	const passwordStep = async (name: string) => {
		const result = await signIn(db(), {
			email: `${name}@example.com`,
			password: PASSWORD,
			ip: '203.0.113.50',
			userAgent: 'test'
		});
		if (!result.ok) throw new Error('sign-in refused');
		return result;
	};

	it('a right password alone gives a session waiting for the second factor', async () => {
		const signedIn = await passwordStep('ann');
		expect(signedIn.secondFactor).toBe(true);
		const valid = await validateSessionToken(db(), signedIn.token);
		expect(valid?.pendingSecondFactor).toBe(true);
		expect(sessionLocals(valid)).toMatchObject({ user: null, session: null });
	});

	it('that session opens nothing: every guard sends it to the two-factor step', async () => {
		const { token } = await passwordStep('ann');
		const { event } = await request(token, '/teams/alpha');
		const toStep = { redirect: '/login/two-factor?next=%2Fteams%2Falpha' };
		expect(await outcome(() => requireUser(event))).toEqual(toStep);
		expect(await outcome(() => requirePermission(event, 'reports.view'))).toEqual(toStep);
		expect(await outcome(() => requireTeamAccess(event, 'alpha', 'view'))).toEqual(toStep);
		const account = await request(token, '/account');
		expect(await outcome(() => accountPage.load(account.event))).toMatchObject({
			redirect: expect.stringMatching(/^\/login\/two-factor/)
		});
	});

	it('nor can it set up an authenticator of its own (the password alone would then be enough)', async () => {
		const { token } = await passwordStep('ann');
		const before = await db()
			.select()
			.from(table.userTotp)
			.where(eq(table.userTotp.userId, ids.ann!));
		const attackerKey = generateTotpKey();
		const { event } = await request(token, '/account/two-factor', {
			key: encodeBase32UpperCaseNoPadding(attackerKey),
			code: generateTOTP(attackerKey, 30, 6)
		});
		expect(await outcome(() => setupPage.actions.enrol!(event))).toMatchObject({
			redirect: expect.stringMatching(/^\/login\/two-factor/)
		});
		const pageView = await request(token, '/account/two-factor');
		expect(await outcome(() => setupPage.load(pageView.event))).toMatchObject({
			redirect: expect.stringMatching(/^\/login\/two-factor/)
		});
		expect(
			await db().select().from(table.userTotp).where(eq(table.userTotp.userId, ids.ann!))
		).toEqual(before);
	});

	it('a wrong code is refused beside its field and the session stays waiting', async () => {
		const { token } = await passwordStep('ann');
		const right = await code('ann');
		const wrong = right === '000000' ? '000001' : '000000';
		const { event, cookies } = await request(token, '/login/two-factor?next=/account', {
			code: wrong
		});
		const refused = await outcome(() => actions.totp!(event));
		expect(refused.status).toBe(400);
		expect(refused.data).toMatchObject({ action: 'totp', errors: { code: expect.any(String) } });
		expect(cookies).toEqual({});
		expect((await validateSessionToken(db(), token))?.pendingSecondFactor).toBe(true);
	});

	it('the right code signs in with a new token; the waiting one is worth nothing after', async () => {
		const { token } = await passwordStep('ann');
		const { event, cookies } = await request(token, '/login/two-factor?next=/account', {
			code: await code('ann')
		});
		expect(await outcome(() => actions.totp!(event))).toEqual({ redirect: '/account' });
		const newToken = Object.values(cookies)[0]!;
		expect(newToken).toBeTruthy();
		expect(newToken).not.toBe(token);
		expect(await validateSessionToken(db(), token)).toBeNull();
		const valid = await validateSessionToken(db(), newToken);
		expect(valid?.pendingSecondFactor).toBe(false);
		expect(valid?.session.authMethod).toBe('password+totp');
		expect(valid?.session.secondFactorAt).toBeInstanceOf(Date);
	});

	it('after single sign-on the second factor is recorded with it: oidc+totp, oidc+recovery_code', async () => {
		// The session a sign-in through the provider makes (oidc/sign-in.ts) for a user with a factor.
		const fromProvider = await createSession(db(), ids.ann!, { authMethod: 'oidc' });
		expect((await validateSessionToken(db(), fromProvider.token))?.pendingSecondFactor).toBe(true);
		const a = await request(fromProvider.token, '/login/two-factor', { code: await code('ann') });
		expect(await outcome(() => actions.totp!(a.event))).toEqual({ redirect: '/' });
		const valid = await validateSessionToken(db(), Object.values(a.cookies)[0]!);
		expect(valid?.session.authMethod).toBe('oidc+totp');
		const codes = await replaceRecoveryCodes(db(), ids.ann!);
		const again = await createSession(db(), ids.ann!, { authMethod: 'oidc' });
		const b = await request(again.token, '/login/two-factor', { recoveryCode: codes[0]! });
		expect(await outcome(() => actions.recovery!(b.event))).toEqual({ redirect: '/' });
		const recovered = await validateSessionToken(db(), Object.values(b.cookies)[0]!);
		expect(recovered?.session.authMethod).toBe('oidc+recovery_code');
	});

	it('a code already used is refused at the next sign-in in its window', async () => {
		const used = await code('ann');
		const first = await passwordStep('ann');
		const a = await request(first.token, '/login/two-factor', { code: used });
		expect(await outcome(() => actions.totp!(a.event))).toMatchObject({ redirect: '/' });
		const second = await passwordStep('ann');
		const b = await request(second.token, '/login/two-factor', { code: used });
		expect((await outcome(() => actions.totp!(b.event))).status).toBe(400);
		expect((await validateSessionToken(db(), second.token))?.pendingSecondFactor).toBe(true);
	});

	it('a recovery code signs in once', async () => {
		const [user] = await db().select().from(table.user).where(eq(table.user.id, ids.ann!));
		// New codes, known to the test: made the way the account page makes them.
		const codes = await replaceRecoveryCodes(db(), user!.id);
		const first = await passwordStep('ann');
		const a = await request(first.token, '/login/two-factor', { recoveryCode: codes[0]! });
		expect(await outcome(() => actions.recovery!(a.event))).toEqual({ redirect: '/' });
		const valid = await validateSessionToken(db(), Object.values(a.cookies)[0]!);
		expect(valid?.session.authMethod).toBe('password+recovery_code');
		const second = await passwordStep('ann');
		const b = await request(second.token, '/login/two-factor', { recoveryCode: codes[0]! });
		expect((await outcome(() => actions.recovery!(b.event))).status).toBe(400);
	});

	it('an admin without a second factor is sent to set one up before anything else', async () => {
		const { token } = await passwordStep('newadmin');
		const valid = await validateSessionToken(db(), token);
		expect(valid?.pendingSecondFactor).toBe(false);
		const { event } = await request(token, '/admin/users');
		expect(await outcome(() => usersPage.load(event))).toEqual({
			redirect: '/account/two-factor'
		});
		expect(await outcome(() => accountPage.load(event))).toEqual({
			redirect: '/account/two-factor'
		});
		const setup = await request(token, '/account/two-factor');
		const page = await outcome(() => setupPage.load(setup.event));
		expect(page.value).toMatchObject({ mustSetUp: true, required: true, status: { totp: null } });
		// MFA_REQUIRED_ROLES empty: nobody is required to.
		vi.stubEnv('MFA_REQUIRED_ROLES', '');
		const relaxed = await request(token, '/admin/users');
		expect(await outcome(() => usersPage.load(relaxed.event))).toHaveProperty('value');
		vi.stubEnv('MFA_REQUIRED_ROLES', 'admin,security');
	});

	/** A full session for a user, its second factor checked `minutesAgo`. */
	const fullSession = async (name: string, minutesAgo: number) => {
		const { token, session } = await createSession(db(), ids[name]!, {
			authMethod: 'password+totp',
			secondFactorAt: new Date(Date.now() - minutesAgo * 60_000)
		});
		return { token, id: session.id };
	};
	const passwordHashOf = async (name: string) =>
		(await db().select().from(table.user).where(eq(table.user.id, ids[name]!)))[0]!.passwordHash;

	it('changing the password with an old second factor asks for a fresh one and changes nothing', async () => {
		const { token } = await fullSession('ann', 11);
		const before = await passwordHashOf('ann');
		const fields = {
			current: PASSWORD,
			password: 'a new long passphrase',
			confirm: 'a new long passphrase'
		};
		const { event } = await request(token, '/account', fields);
		expect(await outcome(() => accountPage.actions.password!(event))).toEqual({
			redirect: '/login/two-factor?next=%2Faccount'
		});
		expect(await passwordHashOf('ann')).toBe(before);

		// The step-up: the same page takes a signed-in session's code, then the change goes through.
		const stepUp = await request(token, '/login/two-factor?next=/account', {
			code: await code('ann')
		});
		expect(await outcome(() => load(stepUp.event))).toEqual({
			value: { stepUp: true, email: 'ann@example.com', next: '/account', passkey: null }
		});
		expect(await outcome(() => actions.totp!(stepUp.event))).toEqual({ redirect: '/account' });
		const again = await request(token, '/account', fields);
		const changed = await outcome(() => accountPage.actions.password!(again.event));
		expect(changed.value).toMatchObject({ action: 'password' });
		expect(await passwordHashOf('ann')).not.toBe(before);
		// The session the change made keeps its second factor: it is not sent back to the step.
		const newToken = Object.values(again.cookies)[0]!;
		expect((await validateSessionToken(db(), newToken))?.pendingSecondFactor).toBe(false);
	});

	it('replacing or removing a second factor with an old one asks for a fresh one first', async () => {
		const { token } = await fullSession('ann', 11);
		const before = await db()
			.select()
			.from(table.userTotp)
			.where(eq(table.userTotp.userId, ids.ann!));
		const otherKey = generateTotpKey();
		const enrol = await request(token, '/account/two-factor', {
			key: encodeBase32UpperCaseNoPadding(otherKey),
			code: generateTOTP(otherKey, 30, 6)
		});
		const toStep = { redirect: '/login/two-factor?next=%2Faccount%2Ftwo-factor' };
		expect(await outcome(() => setupPage.actions.enrol!(enrol.event))).toEqual(toStep);
		const remove = await request(token, '/account/two-factor', {});
		expect(await outcome(() => setupPage.actions.remove!(remove.event))).toEqual(toStep);
		const codes = await request(token, '/account/two-factor', {});
		expect(await outcome(() => setupPage.actions.recoveryCodes!(codes.event))).toEqual(toStep);
		expect(
			await db().select().from(table.userTotp).where(eq(table.userTotp.userId, ids.ann!))
		).toEqual(before);
	});

	it('an admin whose role requires a factor cannot turn theirs off', async () => {
		const { token } = await fullSession('root', 1);
		const { event } = await request(token, '/account/two-factor', {});
		expect((await outcome(() => setupPage.actions.remove!(event))).status).toBe(403);
		expect(await db().$count(table.userTotp, eq(table.userTotp.userId, ids.root!))).toBe(1);
	});

	it('a passkey answers the two-factor step; a session waiting for it cannot add one', async () => {
		const rp = { id: '127.0.0.1', origin: 'http://127.0.0.1' };
		const key = softwareAuthenticator();
		// Ann's password changed in a test above: back to the one passwordStep types.
		await db()
			.update(table.user)
			.set({ passwordHash: await hashPassword(PASSWORD) })
			.where(eq(table.user.id, ids.ann!));
		const { token } = await fullSession('ann', 1);
		const page = await request(token, '/account/two-factor');
		const view = (await outcome(() => setupPage.load(page.event))).value as {
			passkey: { challenge: string };
		};
		const add = await request(token, '/account/two-factor', {
			name: 'Laptop',
			...key.register(rp, view.passkey.challenge)
		});
		expect((await outcome(() => setupPage.actions.addPasskey!(add.event))).value).toMatchObject({
			action: 'passkey',
			notice: 'The passkey "Laptop" was added.'
		});

		const pending = await passwordStep('ann');
		const step = await request(pending.token, '/login/two-factor');
		const stepView = (await outcome(() => load(step.event))).value as {
			passkey: { challenge: string; ids: string[] };
		};
		expect(stepView.passkey.ids).toEqual([key.credentialId]);
		// Waiting for its second factor, the session cannot add a passkey of its own.
		const attacker = softwareAuthenticator();
		const sneak = await request(pending.token, '/account/two-factor', {
			name: 'Mine',
			...attacker.register(rp, stepView.passkey.challenge)
		});
		expect(await outcome(() => setupPage.actions.addPasskey!(sneak.event))).toMatchObject({
			redirect: expect.stringMatching(/^\/login\/two-factor/)
		});
		expect(await db().$count(table.passkey, eq(table.passkey.userId, ids.ann!))).toBe(1);

		const answer = await request(pending.token, '/login/two-factor', {
			...key.assert(rp, stepView.passkey.challenge)
		});
		expect(await outcome(() => actions.passkey!(answer.event))).toEqual({ redirect: '/' });
		const valid = await validateSessionToken(db(), Object.values(answer.cookies)[0]!);
		expect(valid?.session.authMethod).toBe('password+passkey');
		// The challenge was used: the same answer again is refused.
		const again = await passwordStep('ann');
		const replay = await request(again.token, '/login/two-factor', {
			...key.assert(rp, stepView.passkey.challenge)
		});
		expect((await outcome(() => actions.passkey!(replay.event))).status).toBe(400);
	});

	it('only an admin, with a fresh second factor, resets someone’s: audited, their sessions end', async () => {
		const annSession = await fullSession('ann', 1);
		const attempt = async (token: string) => {
			const { event } = await request(token, '/admin/users', { userId: ids.ann! });
			return outcome(() => usersPage.actions.resetSecondFactor!(event));
		};
		// A member trying it on someone else, or on themselves.
		expect((await attempt(annSession.token)).status).toBe(403);
		const stale = await fullSession('root', 11);
		expect(await attempt(stale.token)).toEqual({
			redirect: '/login/two-factor?next=%2Fadmin%2Fusers'
		});
		expect(await db().$count(table.userTotp, eq(table.userTotp.userId, ids.ann!))).toBe(1);
		expect(await validateSessionToken(db(), annSession.token)).not.toBeNull();

		const fresh = await fullSession('root', 1);
		expect((await attempt(fresh.token)).value).toMatchObject({ action: 'active' });
		expect(await db().$count(table.userTotp, eq(table.userTotp.userId, ids.ann!))).toBe(0);
		expect(await validateSessionToken(db(), annSession.token)).toBeNull();
		expect(
			await db().$count(table.auditLog, eq(table.auditLog.action, 'user.second_factor_reset'))
		).toBe(1);
	});
});
