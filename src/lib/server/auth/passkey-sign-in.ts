import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase64urlNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { ClientDataType } from '@oslojs/webauthn';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import { checkLoginThrottle, clearAccountFailures, recordLoginFailure } from './login-throttle';
import { mayUsePassword, type LocalPasswordSettings } from './oidc/settings';
import {
	challengeOf,
	checkAssertion,
	decode,
	digest,
	storeChallenge,
	type AssertionRefusal,
	type RelyingParty
} from './passkeys';
import { createSession } from './session';

/**
 * Password-less sign-in with a passkey (a discoverable credential): the browser is given a
 * challenge that belongs to no user yet, bound to it by a random value in a cookie; the
 * passkey the person picks answers it, and names its user through the user handle.
 *
 * Only passkeys registered with user verification (the authenticator's PIN or biometrics)
 * may do this, and every such sign-in must carry the user-verified flag again: the passkey
 * then stands for something the person has and something they know or are, so the session
 * counts as having passed a second factor.
 */

/** Why a password-less sign-in was refused (audited; the person is told only that it failed). */
export type PasskeySignInRefusal =
	| 'malformed'
	| 'client_data'
	| 'challenge'
	| 'unknown_credential'
	| 'not_user_verified'
	| 'user_handle'
	| 'deactivated'
	| 'local_passwords_off'
	| AssertionRefusal;

export type PasskeySignInResult =
	| { ok: true; token: string; expiresAt: Date; userId: string }
	| { ok: false; reason: 'invalid' | 'local_passwords_off' }
	| { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** The browser's half of a password-less challenge: goes in a cookie, stored by digest. */
const browserDigest = (token: string) =>
	encodeHexLowerCase(sha256(new TextEncoder().encode(token)));

/** A challenge for a password-less sign-in and the value that binds it to the asking browser. */
export async function createSignInChallenge(db: Database, now = new Date()) {
	const bytes = new Uint8Array(32);
	crypto.getRandomValues(bytes);
	const browserToken = encodeBase64urlNoPadding(bytes);
	const challenge = await storeChallenge(db, { browser: browserDigest(browserToken) }, now);
	return { challenge, browserToken };
}

/** Uses a password-less challenge up: true once, in the browser it was given to, before it expires. */
async function consumeSignInChallenge(
	db: Database,
	challenge: Uint8Array,
	browserToken: string,
	now: Date
) {
	const used = await db
		.delete(table.webauthnChallenge)
		.where(
			and(
				eq(table.webauthnChallenge.id, digest(challenge)),
				isNull(table.webauthnChallenge.userId),
				eq(table.webauthnChallenge.browser, browserDigest(browserToken)),
				gt(table.webauthnChallenge.expiresAt, now)
			)
		)
		.returning({ id: table.webauthnChallenge.id });
	return used.length > 0;
}

export interface PasskeySignInInput {
	credentialId: string;
	authenticatorData: string;
	clientDataJSON: string;
	signature: string;
	userHandle: string;
}

interface Context {
	ip: string;
	userAgent: string;
	/** The value of the browser's challenge cookie; null when it has none. */
	browserToken: string | null;
	rp: RelyingParty;
	local: LocalPasswordSettings;
}

type Checked =
	| { ok: true; userId: string; name: string }
	| { ok: false; reason: PasskeySignInRefusal; userId?: string };

/** Every check of a password-less answer, in an order that spends the challenge first. */
async function check(
	db: Database,
	input: PasskeySignInInput,
	ctx: Context,
	now: Date
): Promise<Checked> {
	const authenticatorData = decode(input.authenticatorData);
	const clientDataJSON = decode(input.clientDataJSON);
	const signature = decode(input.signature);
	const userHandle = decode(input.userHandle);
	if (!authenticatorData || !clientDataJSON || !signature || !userHandle) {
		return { ok: false, reason: 'malformed' };
	}
	const challenge = challengeOf(ctx.rp, clientDataJSON, ClientDataType.Get);
	// Another origin, another ceremony, or a cross-origin frame.
	if (!challenge) return { ok: false, reason: 'client_data' };
	if (!ctx.browserToken) return { ok: false, reason: 'challenge' };
	if (!(await consumeSignInChallenge(db, challenge, ctx.browserToken, now))) {
		return { ok: false, reason: 'challenge' };
	}
	const [key] = await db
		.select({
			id: table.passkey.id,
			name: table.passkey.name,
			publicKeyX: table.passkey.publicKeyX,
			publicKeyY: table.passkey.publicKeyY,
			userVerified: table.passkey.userVerified,
			userId: table.user.id,
			email: table.user.email,
			active: table.user.active
		})
		.from(table.passkey)
		.innerJoin(table.user, eq(table.passkey.userId, table.user.id))
		.where(eq(table.passkey.id, input.credentialId));
	if (!key) return { ok: false, reason: 'unknown_credential' };
	const userId = key.userId;
	if (!key.userVerified) return { ok: false, reason: 'not_user_verified', userId };
	// The passkey was made with the user's id as its handle (account/two-factor/PasskeySetup).
	if (new TextDecoder().decode(userHandle) !== userId) {
		return { ok: false, reason: 'user_handle', userId };
	}
	const answer = { authenticatorData, clientDataJSON, signature };
	const verdict = await checkAssertion(db, key, ctx.rp, answer, { userVerification: true });
	if (verdict !== true) return { ok: false, reason: verdict, userId };
	if (!key.active) return { ok: false, reason: 'deactivated', userId };
	// With local sign-in off, the identity provider decides who gets in; its break-glass admin
	// is the one account that may still sign in here, with a password or a passkey.
	if (!mayUsePassword(ctx.local, key.email)) {
		return { ok: false, reason: 'local_passwords_off', userId };
	}
	return { ok: true, userId, name: key.name };
}

/**
 * Signs in with a passkey alone: throttled per address like password sign-ins (and per
 * credential), every refusal audited with its reason, and the session is recorded as
 * `passkey` with its second factor checked now.
 */
export async function signInWithPasskey(
	db: Database,
	input: PasskeySignInInput,
	ctx: Context,
	now = new Date()
): Promise<PasskeySignInResult> {
	const throttleKey = `passkey:${input.credentialId.slice(0, 200)}`;
	const decision = await checkLoginThrottle(db, ctx.ip, throttleKey, now);
	if (!decision.allowed) return { ok: false, reason: 'throttled', ...decision };
	const checked = await check(db, input, ctx, now);
	if (!checked.ok) {
		await recordLoginFailure(db, ctx.ip, throttleKey, now);
		const userId = checked.userId ?? null;
		await audit(db, {
			actorId: userId,
			action: 'auth.sign_in_failed',
			targetType: 'user',
			targetId: userId,
			detail: { method: 'passkey', reason: checked.reason },
			ip: ctx.ip
		});
		return {
			ok: false,
			reason: checked.reason === 'local_passwords_off' ? 'local_passwords_off' : 'invalid'
		};
	}
	await clearAccountFailures(db, throttleKey);
	return db.transaction(async (tx) => {
		const { token, session } = await createSession(
			tx,
			checked.userId,
			{ ip: ctx.ip, userAgent: ctx.userAgent, authMethod: 'passkey', secondFactorAt: now },
			now
		);
		await audit(tx, {
			actorId: checked.userId,
			action: 'auth.sign_in',
			targetType: 'user',
			targetId: checked.userId,
			detail: { method: 'passkey', passkey: checked.name },
			ip: ctx.ip
		});
		return { ok: true as const, token, expiresAt: session.expiresAt, userId: checked.userId };
	});
}
