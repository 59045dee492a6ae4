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
const CHALLENGE_MS = 5 * 60 * 1000;

/** Who the browser talks to: the relying party id is the host of ORIGIN, the origin all of it. */
export interface RelyingParty {
	id: string;
	origin: string;
}

export const relyingParty = (url: URL): RelyingParty => ({ id: url.hostname, origin: url.origin });

const digest = (bytes: Uint8Array) => encodeHexLowerCase(sha256(bytes));

/** A fresh challenge for one user, base64url; stored by digest until used or five minutes pass. */
export async function createChallenge(db: Database, userId: string, now = new Date()) {
	const challenge = new Uint8Array(32);
	crypto.getRandomValues(challenge);
	await db.delete(table.webauthnChallenge).where(lt(table.webauthnChallenge.expiresAt, now));
	await db.insert(table.webauthnChallenge).values({
		id: digest(challenge),
		userId,
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

function decode(text: string): Uint8Array | null {
	try {
		return decodeBase64urlIgnorePadding(text);
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
	try {
		const clientData = parseClientDataJSON(clientDataJSON);
		if (clientData.type !== type || clientData.origin !== rp.origin) return false;
		if (clientData.crossOrigin === true) return false;
		return consumeChallenge(db, userId, clientData.challenge, now);
	} catch {
		return false;
	}
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
	try {
		const { authenticatorData } = parseAttestationObject(attestation);
		if (!authenticatorData.verifyRelyingPartyIdHash(rp.id) || !authenticatorData.userPresent) {
			return { ok: false };
		}
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
			detail: { name: input.name },
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
 * origin, relying party, user presence and the ES256 signature. Throttled as codes are.
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
		try {
			const data = parseAuthenticatorData(authenticatorData);
			if (!data.verifyRelyingPartyIdHash(rp.id) || !data.userPresent) return false;
			const publicKey = createPublicKey({
				key: { kty: 'EC', crv: 'P-256', x: key.publicKeyX, y: key.publicKeyY },
				format: 'jwk'
			});
			const message = createAssertionSignatureMessage(authenticatorData, clientDataJSON);
			return verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, signature)
				? 'passkey'
				: false;
		} catch {
			return false;
		}
	});
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
