import { createPublicKey, verify } from 'node:crypto';
import { sha256 } from '@oslojs/crypto/sha2';
import {
	decodeBase64urlIgnorePadding,
	encodeBase64urlNoPadding,
	encodeHexLowerCase
} from '@oslojs/encoding';
import {
	COSEKeyType,
	ClientDataType,
	coseAlgorithmES256,
	coseEllipticCurveP256,
	createAssertionSignatureMessage,
	parseAttestationObject,
	parseAuthenticatorData,
	parseClientDataJSON
} from '@oslojs/webauthn';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import {
	endOtherSessions,
	replaceRecoveryCodes,
	verifyWith,
	type VerifyResult
} from './two-factor';

/** How long a challenge may be answered. */
export const CHALLENGE_MS = 5 * 60 * 1000;

/** Who the browser talks to: the relying party id is the host of ORIGIN, the origin all of it. */
export interface RelyingParty {
	id: string;
	origin: string;
}

export const relyingParty = (url: URL): RelyingParty => ({ id: url.hostname, origin: url.origin });

export const digest = (bytes: Uint8Array) => encodeHexLowerCase(sha256(bytes));

/** A fresh challenge for one user, base64url; stored by digest until used or five minutes pass. */
export async function createChallenge(db: Database, userId: string, now = new Date()) {
	return storeChallenge(db, { userId }, now);
}

/** A fresh challenge, for a user or (password-less sign-in) for a browser, stored by its digest. */
export async function storeChallenge(
	db: Database,
	owner: { userId: string } | { browser: string },
	now: Date
): Promise<string> {
	const challenge = new Uint8Array(32);
	crypto.getRandomValues(challenge);
	await db.delete(table.webauthnChallenge).where(lt(table.webauthnChallenge.expiresAt, now));
	await db.insert(table.webauthnChallenge).values({
		id: digest(challenge),
		...owner,
		expiresAt: new Date(now.getTime() + CHALLENGE_MS)
	});
	return encodeBase64urlNoPadding(challenge);
}

/** Uses a challenge up: true once, for its user, before it expires. */
async function consumeChallenge(db: Database, userId: string, challenge: Uint8Array, now: Date) {
	const used = await db
		.delete(table.webauthnChallenge)
		.where(
			and(
				eq(table.webauthnChallenge.id, digest(challenge)),
				eq(table.webauthnChallenge.userId, userId),
				gt(table.webauthnChallenge.expiresAt, now)
			)
		)
		.returning({ id: table.webauthnChallenge.id });
	return used.length > 0;
}

export function decode(text: string): Uint8Array | null {
	try {
		return decodeBase64urlIgnorePadding(text);
	} catch {
		return null;
	}
}

/** The challenge a ceremony's client data answers, if it is of the right type and for this origin. */
export function challengeOf(
	rp: RelyingParty,
	clientDataJSON: Uint8Array,
	type: ClientDataType
): Uint8Array | null {
	try {
		const clientData = parseClientDataJSON(clientDataJSON);
		if (clientData.type !== type || clientData.origin !== rp.origin) return null;
		if (clientData.crossOrigin === true) return null;
		return clientData.challenge;
	} catch {
		return null;
	}
}

/** The client data of a ceremony, if it is of the right type, for this origin and an unused challenge of this user. */
async function checkClientData(
	db: Database,
	userId: string,
	rp: RelyingParty,
	clientDataJSON: Uint8Array,
	type: ClientDataType,
	now: Date
) {
	const challenge = challengeOf(rp, clientDataJSON, type);
	return challenge !== null && consumeChallenge(db, userId, challenge, now);
}

export type AddPasskeyResult = { ok: true; recoveryCodes: string[] | null } | { ok: false };

/**
 * Adds a passkey or security key from a registration (navigator.credentials.create with an
 * ES256 key, attestation 'none'): the challenge, origin, relying party and user presence are
 * checked; the attestation statement is not (no authenticator model is trusted or refused).
 * The first second factor brings ten recovery codes.
 */
export async function addPasskey(
	db: Database,
	ctx: { userId: string; ip: string; sessionId: string | null },
	rp: RelyingParty,
	input: { name: string; attestationObject: string; clientDataJSON: string },
	now = new Date()
): Promise<AddPasskeyResult> {
	const attestation = decode(input.attestationObject);
	const clientDataJSON = decode(input.clientDataJSON);
	if (!attestation || !clientDataJSON) return { ok: false };
	if (!(await checkClientData(db, ctx.userId, rp, clientDataJSON, ClientDataType.Create, now))) {
		return { ok: false };
	}
	let credential;
	let signCount: number;
	let userVerified: boolean;
	try {
		const { authenticatorData } = parseAttestationObject(attestation);
		if (!authenticatorData.verifyRelyingPartyIdHash(rp.id) || !authenticatorData.userPresent) {
			return { ok: false };
		}
		({ signatureCounter: signCount, userVerified } = authenticatorData);
		credential = authenticatorData.credential;
		if (!credential) return { ok: false };
		const key = credential.publicKey;
		if (key.type() !== COSEKeyType.EC2 || key.algorithm() !== coseAlgorithmES256) {
			return { ok: false };
		}
		const ec2 = key.ec2();
		if (ec2.curve !== coseEllipticCurveP256) return { ok: false };
		credential = { id: credential.id, x: coordinate(ec2.x), y: coordinate(ec2.y) };
	} catch {
		return { ok: false };
	}
	const id = encodeBase64urlNoPadding(credential.id);
	const { x, y } = credential;
	return db.transaction(async (tx) => {
		const [taken] = await tx
			.select({ id: table.passkey.id })
			.from(table.passkey)
			.where(eq(table.passkey.id, id));
		if (taken) return { ok: false as const };
		const [codes] = await tx
			.select({ id: table.recoveryCode.id })
			.from(table.recoveryCode)
			.where(eq(table.recoveryCode.userId, ctx.userId))
			.limit(1);
		await tx.insert(table.passkey).values({
			id,
			userId: ctx.userId,
			name: input.name,
			publicKeyX: x,
			publicKeyY: y,
			signCount,
			userVerified,
			createdAt: now
		});
		const recoveryCodes = codes ? null : await replaceRecoveryCodes(tx, ctx.userId);
		await endOtherSessions(tx, ctx.userId, ctx.sessionId);
		if (ctx.sessionId) {
			await tx
				.update(table.session)
				.set({ secondFactorAt: now })
				.where(eq(table.session.id, ctx.sessionId));
		}
		await audit(tx, {
			actorId: ctx.userId,
			action: 'auth.passkey_added',
			targetType: 'user',
			targetId: ctx.userId,
			detail: { name: input.name, passwordless: userVerified },
			ip: ctx.ip
		});
		return { ok: true as const, recoveryCodes };
	});
}

/** A P-256 coordinate as 32 bytes, base64url (a JWK's x or y). */
function coordinate(n: bigint): string {
	const bytes = new Uint8Array(32);
	for (let i = 31, v = n; i >= 0; i--, v >>= 8n) bytes[i] = Number(v & 0xffn);
	return encodeBase64urlNoPadding(bytes);
}

/** The passkeys a user may answer with (their ids, for navigator.credentials.get). */
export async function passkeyIds(db: Database, userId: string): Promise<string[]> {
	const rows = await db
		.select({ id: table.passkey.id })
		.from(table.passkey)
		.where(eq(table.passkey.userId, userId));
	return rows.map((r) => r.id);
}

/**
 * Checks an assertion (navigator.credentials.get) by one of the user's passkeys: challenge,
 * origin, relying party, user presence, the ES256 signature and the signature counter.
 * Throttled as codes are.
 */
export async function verifyPasskey(
	db: Database,
	ctx: { userId: string; ip: string },
	rp: RelyingParty,
	input: {
		credentialId: string;
		authenticatorData: string;
		clientDataJSON: string;
		signature: string;
	},
	now = new Date()
): Promise<VerifyResult> {
	return verifyWith(db, ctx, now, async () => {
		const authenticatorData = decode(input.authenticatorData);
		const clientDataJSON = decode(input.clientDataJSON);
		const signature = decode(input.signature);
		if (!authenticatorData || !clientDataJSON || !signature) return false;
		const [key] = await db
			.select()
			.from(table.passkey)
			.where(and(eq(table.passkey.id, input.credentialId), eq(table.passkey.userId, ctx.userId)));
		if (!key) return false;
		if (!(await checkClientData(db, ctx.userId, rp, clientDataJSON, ClientDataType.Get, now))) {
			return false;
		}
		const checked = await checkAssertion(db, key, rp, {
			authenticatorData,
			clientDataJSON,
			signature
		});
		return checked === true ? 'passkey' : false;
	});
}

/** Why an assertion was refused after its challenge and origin were found right. */
export type AssertionRefusal = 'relying_party' | 'user_verification' | 'signature' | 'counter';

/**
 * Checks an assertion against a stored key: relying party, user presence (and user
 * verification when asked), the ES256 signature over the authenticator data and client data,
 * then moves the key's signature counter on. A counter that does not go up (unless the
 * authenticator keeps none: 0 both times) means a cloned key, and is refused.
 */
export async function checkAssertion(
	db: Database,
	key: { id: string; publicKeyX: string; publicKeyY: string },
	rp: RelyingParty,
	answer: { authenticatorData: Uint8Array; clientDataJSON: Uint8Array; signature: Uint8Array },
	options: { userVerification?: boolean } = {}
): Promise<true | AssertionRefusal> {
	let counter: number;
	try {
		const data = parseAuthenticatorData(answer.authenticatorData);
		if (!data.verifyRelyingPartyIdHash(rp.id)) return 'relying_party';
		if (!data.userPresent) return 'user_verification';
		if (options.userVerification && !data.userVerified) return 'user_verification';
		const publicKey = createPublicKey({
			key: { kty: 'EC', crv: 'P-256', x: key.publicKeyX, y: key.publicKeyY },
			format: 'jwk'
		});
		const message = createAssertionSignatureMessage(
			answer.authenticatorData,
			answer.clientDataJSON
		);
		const signed = verify(
			'sha256',
			message,
			{ key: publicKey, dsaEncoding: 'der' },
			answer.signature
		);
		if (!signed) return 'signature';
		counter = data.signatureCounter;
	} catch {
		return 'signature';
	}
	// One statement: two answers with one counter value cannot both pass.
	const moved = await db
		.update(table.passkey)
		.set({ signCount: counter })
		.where(
			and(
				eq(table.passkey.id, key.id),
				counter === 0 ? eq(table.passkey.signCount, 0) : lt(table.passkey.signCount, counter)
			)
		)
		.returning({ id: table.passkey.id });
	return moved.length > 0 ? true : 'counter';
}

/** Removes one of a user's passkeys; audited. */
export async function removePasskey(
	db: Database,
	ctx: { userId: string; ip: string },
	id: string
): Promise<boolean> {
	return db.transaction(async (tx) => {
		const removed = await tx
			.delete(table.passkey)
			.where(and(eq(table.passkey.id, id), eq(table.passkey.userId, ctx.userId)))
			.returning({ name: table.passkey.name });
		if (removed.length === 0) return false;
		await audit(tx, {
			actorId: ctx.userId,
			action: 'auth.passkey_removed',
			targetType: 'user',
			targetId: ctx.userId,
			detail: { name: removed[0]!.name },
			ip: ctx.ip
		});
		return true;
	});
}
