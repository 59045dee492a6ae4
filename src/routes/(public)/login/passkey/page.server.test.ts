import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRedirect } from '@sveltejs/kit';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { addPasskey, createChallenge } from '$lib/server/auth/passkeys';
import { validateSessionToken } from '$lib/server/auth/session';
import { softwareAuthenticator } from '$lib/server/auth/testing/authenticator';
import { actions } from './+page.server';
import { POST as challengeEndpoint } from './challenge/+server';

/*
 * The password-less sign-in as the browser drives it: the challenge endpoint binds its
 * challenge to this browser with a cookie, and the answer signs in only where that cookie is.
 */
const origin = 'http://localhost:5173';
const rp = { id: 'localhost', origin };

describe('/login/passkey', () => {
	let handle: DatabaseHandle;
	let userId: string;
	const key = softwareAuthenticator();
	const db = () => handle.db;

	beforeAll(async () => {
		handle = await createTestDatabase();
		const [u] = await db()
			.insert(table.user)
			.values({ email: 'ann@example.com', name: 'Ann', passwordHash: 'x' })
			.returning();
		userId = u!.id;
		const registration = key.register(rp, await createChallenge(db(), userId));
		const added = await addPasskey(db(), { userId, ip: '', sessionId: null }, rp, {
			name: 'Laptop',
			...registration
		});
		expect(added.ok).toBe(true);
	});
	afterAll(() => handle.close());

	type Jar = Map<string, { value: string; options: Record<string, unknown> }>;
	/** A request of one browser (its cookie jar), with locals as the hooks fill them. */
	const event = (jar: Jar, path: string, form?: Record<string, string>) => {
		const url = new URL(path, origin);
		const body = new FormData();
		for (const [k, v] of Object.entries(form ?? {})) body.append(k, v);
		return {
			locals: { db: db(), ip: '203.0.113.60', user: null, session: null },
			params: {},
			url,
			route: { id: null },
			setHeaders: () => {},
			cookies: {
				get: (name: string) => jar.get(name)?.value,
				set: (name: string, value: string, options: Record<string, unknown>) =>
					jar.set(name, { value, options }),
				delete: (name: string) => jar.delete(name)
			},
			request: new Request(url, { method: 'POST', ...(form ? { body } : {}) })
		} as never;
	};
	const challenge = async (jar: Jar) => {
		const res = await challengeEndpoint(event(jar, '/login/passkey/challenge'));
		expect(res.headers.get('cache-control')).toBe('no-store');
		return ((await res.json()) as { challenge: string }).challenge;
	};
	const submit = async (jar: Jar, path: string, form: Record<string, string>) => {
		try {
			return { value: await actions.default!(event(jar, path, form)) };
		} catch (e) {
			if (isRedirect(e)) return { redirect: e.location };
			throw e;
		}
	};

	it('binds the challenge to the browser with a strict, http-only cookie', async () => {
		const jar: Jar = new Map();
		await challenge(jar);
		expect(jar.get('rampart_passkey')?.options).toMatchObject({
			httpOnly: true,
			sameSite: 'strict',
			path: '/'
		});
	});

	it('signs in the browser that asked, and goes where it was going (on this site only)', async () => {
		const jar: Jar = new Map();
		const answer = key.assert(rp, await challenge(jar), origin, { userHandle: userId });
		expect(await submit(jar, '/login/passkey?next=/account', answer)).toEqual({
			redirect: '/account'
		});
		expect(jar.has('rampart_passkey')).toBe(false);
		const valid = await validateSessionToken(db(), jar.get('rampart_session')!.value);
		expect(valid?.user.id).toBe(userId);
		expect(valid?.session.authMethod).toBe('passkey');

		const next = new Map() as Jar;
		const again = key.assert(rp, await challenge(next), origin, { userHandle: userId });
		expect(await submit(next, '/login/passkey?next=//evil.test', again)).toEqual({ redirect: '/' });
	});

	it('an answer carried to another browser signs nobody in there', async () => {
		const victim: Jar = new Map();
		const attacker: Jar = new Map();
		const answer = key.assert(rp, await challenge(victim), origin, { userHandle: userId });
		await challenge(attacker);
		const before = await db().$count(table.session);
		const result = await submit(attacker, '/login/passkey', answer);
		expect(result.value).toMatchObject({
			status: 400,
			data: { action: 'passkey', errors: { passkey: expect.stringContaining('not accepted') } }
		});
		expect(attacker.has('rampart_session')).toBe(false);
		expect(await db().$count(table.session)).toBe(before);
	});
});
