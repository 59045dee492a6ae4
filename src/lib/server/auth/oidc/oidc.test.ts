import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, sql } from 'drizzle-orm';
import * as client from 'openid-client';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { hashPassword } from '../password';
import { providerConfiguration, startFlow, type OidcFlow } from './client';
import { completeOidcSignIn, signInWithProvider } from './sign-in';
import { oidcSettings, type LocalPasswordSettings, type OidcSettings } from './settings';
import { authorizeAt, startTestProvider, TestBrowser, type TestProvider } from './testing/provider';

// Rampart's callback as the provider knows it; the tests hand its URL to the callback's code.
const REDIRECT = 'http://127.0.0.1:5299/login/oidc/callback';
const RAMPART = {
	clientId: 'rampart',
	clientSecret: 'rampart-test-secret-1',
	redirectUris: [REDIRECT]
};
const OTHER_APP = {
	clientId: 'other-app',
	clientSecret: 'other-test-secret-2',
	redirectUris: [REDIRECT]
};
const accounts = {
	ann: {
		email: 'Ann@Example.com',
		email_verified: true,
		name: 'Ann Admin',
		groups: ['staff', 'rampart-admins']
	},
	sam: { email: 'sam@example.com', email_verified: true, name: 'Sam', groups: ['appsec'] },
	uma: { email: 'uma@example.com', email_verified: false, name: 'Uma Unverified' },
	eve: { email: 'eve@elsewhere.test', email_verified: true, name: 'Eve' },
	lee: { email: 'lee@example.com', email_verified: true, name: 'Lee' },
	dan: { email: 'dan@example.com', email_verified: true, name: 'Dan' },
	nia: { email: 'nia@example.com', email_verified: true, name: 'Nia' }
};
const meta = { ip: '192.0.2.77', userAgent: 'vitest' };
/** A configuration's server metadata as plain JSON, to build a changed one from. */
function metadataOf(config: client.Configuration): client.ServerMetadata {
	const { supportsPKCE: _supportsPKCE, ...metadata } = config.serverMetadata();
	return metadata;
}
const local: LocalPasswordSettings = { enabled: true, breakGlassAdmin: null };

describe('single sign-on through a real OpenID provider', () => {
	let handle: DatabaseHandle;
	let a: TestProvider;
	let b: TestProvider;
	let settings: OidcSettings;
	let config: client.Configuration;

	beforeAll(async () => {
		[handle, a, b] = await Promise.all([
			createTestDatabase(),
			startTestProvider({ clients: [RAMPART, OTHER_APP], accounts }),
			startTestProvider({ clients: [RAMPART], accounts })
		]);
		settings = oidcSettings({
			OIDC_ISSUER: a.issuer,
			OIDC_CLIENT_ID: RAMPART.clientId,
			OIDC_CLIENT_SECRET: RAMPART.clientSecret,
			OIDC_SCOPES: 'openid email profile groups',
			OIDC_ALLOWED_DOMAINS: 'example.com',
			OIDC_ROLE_CLAIM: 'groups',
			OIDC_ROLE_MAP: 'rampart-admins=admin,appsec=security,leaders=leadership'
		})!;
		config = await providerConfiguration(settings);
	});
	afterAll(async () => {
		await Promise.all([handle?.close(), a?.close(), b?.close()]);
	});

	/** Starts a flow, signs in as `login` at the provider, and returns the callback URL and flow. */
	async function authorize(login: string, via = config, how = settings) {
		const { url, flow } = await startFlow(via, how, REDIRECT, '/teams');
		const callback = await authorizeAt(new TestBrowser(), url, login, REDIRECT);
		return { callback, flow };
	}

	const finish = (callback: URL, flow: OidcFlow | null, via = config) =>
		completeOidcSignIn(handle.db, settings, local, via, callback, flow, meta);

	const userCount = async () => (await handle.db.select({ n: count() }).from(table.user))[0]!.n;
	const sessionCount = async () =>
		(await handle.db.select({ n: count() }).from(table.session))[0]!.n;
	const lastRefusal = async () => {
		const [row] = await handle.db
			.select({ detail: table.auditLog.detail, actorId: table.auditLog.actorId })
			.from(table.auditLog)
			.where(eq(table.auditLog.action, 'auth.sign_in_failed'))
			.orderBy(sql`${table.auditLog.id} desc`)
			.limit(1);
		return row;
	};

	it('creates the user on the first sign-in, with the role its groups map to, and audits it', async () => {
		const { callback, flow } = await authorize('ann');
		const result = await finish(callback, flow);
		expect(result).toMatchObject({ ok: true, created: true });
		const [ann] = await handle.db
			.select()
			.from(table.user)
			.where(eq(table.user.email, 'ann@example.com'));
		expect(ann).toMatchObject({ name: 'Ann Admin', role: 'admin', active: true });
		const [identity] = await handle.db.select().from(table.oidcIdentity);
		expect(identity).toMatchObject({ issuer: a.issuer, subject: 'ann', userId: ann!.id });
		const [session] = await handle.db
			.select()
			.from(table.session)
			.where(eq(table.session.userId, ann!.id));
		expect(session!.authMethod).toBe('oidc');
		const [entry] = await handle.db
			.select()
			.from(table.auditLog)
			.where(and(eq(table.auditLog.action, 'auth.sign_in'), eq(table.auditLog.actorId, ann!.id)));
		expect(entry!.detail).toMatchObject({ method: 'oidc', issuer: a.issuer, created: true });
		// Nobody knows the password it was given.
		expect(ann!.passwordHash).toMatch(/^\$argon2id\$/);
	});

	it('finds the same user by subject next time, and moves the role with the groups', async () => {
		const before = await userCount();
		a.accounts.set('ann', { ...accounts.ann, groups: ['leaders'] });
		const { callback, flow } = await authorize('ann');
		expect(await finish(callback, flow)).toMatchObject({ ok: true, created: false });
		expect(await userCount()).toBe(before);
		const [ann] = await handle.db
			.select({ role: table.user.role })
			.from(table.user)
			.where(eq(table.user.email, 'ann@example.com'));
		expect(ann!.role).toBe('leadership');
		const [changed] = await handle.db
			.select()
			.from(table.auditLog)
			.where(eq(table.auditLog.action, 'user.role_changed'));
		expect(changed!.detail).toMatchObject({ from: 'admin', to: 'leadership', source: 'oidc' });
		a.accounts.set('ann', accounts.ann);
	});

	it('links an existing user by verified email on the first sign-in, keeping the user', async () => {
		const [lee] = await handle.db
			.insert(table.user)
			.values({
				email: 'lee@example.com',
				name: 'Lee Local',
				passwordHash: await hashPassword('x'.repeat(12))
			})
			.returning();
		const before = await userCount();
		const { callback, flow } = await authorize('lee');
		expect(await finish(callback, flow)).toMatchObject({
			ok: true,
			created: false,
			userId: lee!.id
		});
		expect(await userCount()).toBe(before);
		// No mapped group: the default role.
		const [after] = await handle.db.select().from(table.user).where(eq(table.user.id, lee!.id));
		expect(after).toMatchObject({ name: 'Lee Local', role: 'member' });
	});

	it('makes one user when the same person’s first sign-ins arrive together', async () => {
		// What the callback passes on once the provider's answer is checked (client.ts).
		const claims = {
			iss: a.issuer,
			sub: 'twin',
			email: 'twin@example.com',
			email_verified: true,
			name: 'Twin'
		};
		const before = await userCount();
		const results = await Promise.all(
			[1, 2, 3].map(() => signInWithProvider(handle.db, settings, local, claims, meta))
		);
		expect(results.map((r) => r.ok)).toEqual([true, true, true]);
		expect(results.filter((r) => r.ok && r.created)).toHaveLength(1);
		expect(await userCount()).toBe(before + 1);
		const links = await handle.db
			.select()
			.from(table.oidcIdentity)
			.where(eq(table.oidcIdentity.subject, 'twin'));
		expect(links).toHaveLength(1);
	});

	async function expectRefused(
		result: Awaited<ReturnType<typeof finish>>,
		reason: string,
		counts: { users: number; sessions: number }
	) {
		expect(result).toEqual({ ok: false, reason });
		expect(await userCount()).toBe(counts.users);
		expect(await sessionCount()).toBe(counts.sessions);
		const refusal = await lastRefusal();
		expect(refusal!.detail).toMatchObject({ method: 'oidc', reason });
		return refusal!;
	}

	const counts = async () => ({ users: await userCount(), sessions: await sessionCount() });

	it('refuses an answer whose state is not the flow’s', async () => {
		const { callback, flow } = await authorize('sam');
		const before = await counts();
		const forged = new URL(callback);
		forged.searchParams.set('state', client.randomState());
		await expectRefused(await finish(forged, flow), 'state', before);
		// Nor does the right state with another browser's flow (the victim never started one).
		await expectRefused(await finish(callback, null), 'no_flow', before);
	});

	it('refuses a replayed code: the provider gives it once', async () => {
		const { callback, flow } = await authorize('dan');
		expect(await finish(callback, flow)).toMatchObject({ ok: true, created: true });
		const before = await counts();
		// An attacker who saw the callback URL and kept the flow cookie sends both again.
		await expectRefused(await finish(callback, flow), 'code', before);
	});

	it('refuses an ID token whose nonce is not the flow’s', async () => {
		const { callback, flow } = await authorize('sam');
		const before = await counts();
		// The flow cookie of another sign-in: same state (so it gets that far), other nonce.
		const swapped = { ...flow, nonce: client.randomNonce() };
		const refusal = await expectRefused(await finish(callback, swapped), 'id_token_nonce', before);
		expect(refusal.detail).toMatchObject({ check: expect.stringMatching(/nonce/) });
	});

	it('refuses an ID token from another issuer', async () => {
		// A mix-up: the token endpoint that answers is provider B's, which signs with its own
		// issuer and key. Everything else is Rampart's configuration of provider A.
		const configB = await providerConfiguration({ ...settings, issuer: new URL(b.issuer) });
		const { callback, flow } = await authorize('sam', configB);
		const mixed = new client.Configuration(
			{
				...metadataOf(configB),
				issuer: a.issuer,
				authorization_response_iss_parameter_supported: false
			},
			RAMPART.clientId,
			RAMPART.clientSecret
		);
		client.allowInsecureRequests(mixed);
		client.enableNonRepudiationChecks(mixed);
		callback.searchParams.delete('iss');
		const before = await counts();
		const refusal = await expectRefused(
			await finish(callback, flow, mixed),
			'id_token_issuer',
			before
		);
		expect(refusal.detail).toMatchObject({ check: expect.stringMatching(/JWT "iss"/) });
		// With the authorization response's own iss parameter left in, it is refused before that.
		const again = await authorize('sam', configB);
		await expectRefused(await finish(again.callback, again.flow), 'id_token_issuer', before);
	});

	it('refuses an ID token signed with a key that is not the provider’s', async () => {
		const { callback, flow } = await authorize('sam');
		const wrongKeys = new client.Configuration(
			{ ...metadataOf(config), jwks_uri: `${b.issuer}/jwks` },
			RAMPART.clientId,
			RAMPART.clientSecret
		);
		client.allowInsecureRequests(wrongKeys);
		client.enableNonRepudiationChecks(wrongKeys);
		const before = await counts();
		await expectRefused(await finish(callback, flow, wrongKeys), 'id_token', before);
	});

	it('refuses an ID token issued to another application', async () => {
		const other = await client.discovery(
			new URL(a.issuer),
			OTHER_APP.clientId,
			OTHER_APP.clientSecret,
			undefined,
			{ execute: [client.allowInsecureRequests] }
		);
		const { callback, flow } = await authorize('sam', other);
		// The token endpoint is asked as the other application: its token says aud=other-app.
		const asOther: client.ClientAuth = (_as, _client, body) => {
			body.set('client_id', OTHER_APP.clientId);
			body.set('client_secret', OTHER_APP.clientSecret);
		};
		const confused = new client.Configuration(
			config.serverMetadata(),
			RAMPART.clientId,
			undefined,
			asOther
		);
		client.allowInsecureRequests(confused);
		client.enableNonRepudiationChecks(confused);
		const before = await counts();
		const refusal = await expectRefused(
			await finish(callback, flow, confused),
			'id_token_audience',
			before
		);
		expect(refusal.detail).toMatchObject({ check: expect.stringMatching(/"aud"/) });
	});

	it('refuses an unverified email: no user found or made with it', async () => {
		await handle.db.insert(table.user).values({
			email: 'uma@example.com',
			name: 'Uma Local',
			passwordHash: await hashPassword('y'.repeat(12))
		});
		const before = await counts();
		const { callback, flow } = await authorize('uma');
		await expectRefused(await finish(callback, flow), 'email_unverified', before);
		expect(
			await handle.db.select().from(table.oidcIdentity).where(eq(table.oidcIdentity.subject, 'uma'))
		).toEqual([]);
	});

	it('reads the verification from the configured claim (Entra ID: xms_edov)', async () => {
		const before = await counts();
		const { callback, flow } = await authorize('nia');
		const strict = { ...settings, emailVerifiedClaim: 'xms_edov' };
		const result = await completeOidcSignIn(handle.db, strict, local, config, callback, flow, meta);
		await expectRefused(result, 'email_unverified', before);
	});

	it('refuses an email domain that is not allowed', async () => {
		const before = await counts();
		const { callback, flow } = await authorize('eve');
		const refusal = await expectRefused(await finish(callback, flow), 'domain', before);
		expect(refusal.detail).toMatchObject({ email: 'eve@elsewhere.test' });
	});

	it('refuses a user deactivated in Rampart', async () => {
		await handle.db
			.update(table.user)
			.set({ active: false })
			.where(eq(table.user.email, 'dan@example.com'));
		const before = await counts();
		const { callback, flow } = await authorize('dan');
		const refusal = await expectRefused(await finish(callback, flow), 'deactivated', before);
		expect(refusal.actorId).not.toBeNull();
	});

	it('does not link by email a user already linked to another subject of the provider', async () => {
		// The provider now says subject "sam2" has Ann's address (reassigned, or a second account).
		a.accounts.set('sam2', { ...accounts.ann });
		const before = await counts();
		const { callback, flow } = await authorize('sam2');
		await expectRefused(await finish(callback, flow), 'already_linked', before);
	});
});
