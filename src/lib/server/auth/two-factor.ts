import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import {
	decodeBase32IgnorePadding,
	encodeBase32UpperCaseNoPadding,
	encodeBase32LowerCaseNoPadding,
	encodeHexLowerCase
} from '@oslojs/encoding';
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import { and, count, eq, isNull, lt } from 'drizzle-orm';
import { renderSVG } from 'uqr';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import { checkLoginThrottle, clearAccountFailures, recordLoginFailure } from './login-throttle';
import { open, seal } from './secret-box';
import { withSecondFactor } from './session';

/** RFC 6238 as every authenticator app reads it: 30-second steps, 6 digits, HMAC-SHA1. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** A code of the step before or after is accepted too (clocks drift). */
const TOTP_DRIFT_STEPS = 1;
export const RECOVERY_CODE_COUNT = 10;

/** The throttle's key for an account's second factor: apart from its password failures. */
export const secondFactorThrottleKey = (userId: string) => `2fa:${userId}`;

/** A fresh 160-bit TOTP key (RFC 4226 recommends 160 bits). */
export function generateTotpKey(): Uint8Array {
	const key = new Uint8Array(20);
	crypto.getRandomValues(key);
	return key;
}

/** What the set-up page shows: the key for manual entry, its otpauth URI, and the URI as a QR code (SVG). */
export function totpSetup(key: Uint8Array, email: string) {
	const uri = createTOTPKeyURI('Rampart', email, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
	return {
		secret: encodeBase32UpperCaseNoPadding(key),
		uri,
		qrSvg: renderSVG(uri, { border: 2 })
	};
}

/** A key typed back from a form (base32, any case, spaces allowed); null unless 160 bits. */
export function parseTotpKey(secret: string): Uint8Array | null {
	try {
		const key = decodeBase32IgnorePadding(secret.replace(/\s+/g, '').toUpperCase());
		return key.length === 20 ? key : null;
	} catch {
		return null;
	}
}

/** The time step a code is valid for at `now`, among the accepted ones; null when none matches. */
export function matchingStep(key: Uint8Array, code: string, now: Date): number | null {
	const typed = code.replace(/\s+/g, '');
	if (!/^\d{6}$/.test(typed)) return null;
	const current = Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
	let found: number | null = null;
	// Every candidate is computed and compared, so the time taken says nothing about which matched.
	for (let step = current - TOTP_DRIFT_STEPS; step <= current + TOTP_DRIFT_STEPS; step++) {
		const expected = generateHOTP(key, BigInt(step), TOTP_DIGITS);
		const same = constantTimeEqual(
			new TextEncoder().encode(expected),
			new TextEncoder().encode(typed)
		);
		if (same && found === null) found = step;
	}
	return found;
}

/** Whether the user has a second factor: an authenticator app or a passkey. */
export async function hasSecondFactor(db: Database, userId: string): Promise<boolean> {
	const [totp] = await db
		.select({ userId: table.userTotp.userId })
		.from(table.userTotp)
		.where(eq(table.userTotp.userId, userId));
	if (totp) return true;
	const [key] = await db
		.select({ id: table.passkey.id })
		.from(table.passkey)
		.where(eq(table.passkey.userId, userId))
		.limit(1);
	return !!key;
}

/** The account page's summary: whether TOTP is on, since when, and how many recovery codes are left. */
export async function secondFactorStatus(db: Database, userId: string) {
	const [totp] = await db
		.select({ createdAt: table.userTotp.createdAt })
		.from(table.userTotp)
		.where(eq(table.userTotp.userId, userId));
	const [codes] = await db
		.select({ n: count() })
		.from(table.recoveryCode)
		.where(and(eq(table.recoveryCode.userId, userId), isNull(table.recoveryCode.usedAt)));
	const passkeys = await db
		.select({
			id: table.passkey.id,
			name: table.passkey.name,
			createdAt: table.passkey.createdAt,
			userVerified: table.passkey.userVerified
		})
		.from(table.passkey)
		.where(eq(table.passkey.userId, userId))
		.orderBy(table.passkey.createdAt);
	return {
		totp: totp ? { since: totp.createdAt } : null,
		passkeys,
		recoveryCodesLeft: codes?.n ?? 0
	};
}

/** Recovery codes: 80 random bits each, shown as four groups of four base32 characters. */
function generateRecoveryCode(): string {
	const bytes = new Uint8Array(10);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes).match(/.{4}/g)!.join('-');
}

function recoveryCodeHash(code: string): string {
	const normal = code.toLowerCase().replace(/[^a-z2-7]/g, '');
	return encodeHexLowerCase(sha256(new TextEncoder().encode(normal)));
}

/** Replaces a user's recovery codes with ten new ones and returns them: the only time they are readable. */
export async function replaceRecoveryCodes(db: Tx, userId: string): Promise<string[]> {
	const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
	await db.delete(table.recoveryCode).where(eq(table.recoveryCode.userId, userId));
	await db
		.insert(table.recoveryCode)
		.values(codes.map((code) => ({ userId, codeHash: recoveryCodeHash(code) })));
	return codes;
}

export type EnrolResult =
	| { ok: true; recoveryCodes: string[] }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Turns on TOTP with a key the user's app shows codes for, once a first code proves it; replaces
 * an earlier key, makes new recovery codes and ends the user's other sessions (the current one
 * counts as just verified).
 */
export async function enrolTotp(
	db: Database,
	ctx: { userId: string; ip: string; sessionId: string | null },
	key: Uint8Array,
	code: string,
	now = new Date()
): Promise<EnrolResult> {
	const throttleKey = secondFactorThrottleKey(ctx.userId);
	const decision = await checkLoginThrottle(db, ctx.ip, throttleKey, now);
	if (!decision.allowed) {
		return { ok: false, reason: 'throttled', retryAfterSeconds: decision.retryAfterSeconds };
	}
	const step = matchingStep(key, code, now);
	if (step === null) {
		await recordLoginFailure(db, ctx.ip, throttleKey, now);
		return { ok: false, reason: 'invalid' };
	}
	await clearAccountFailures(db, throttleKey);
	const encryptedKey = seal(key);
	return db.transaction(async (tx) => {
		const [before] = await tx
			.select({ userId: table.userTotp.userId })
			.from(table.userTotp)
			.where(eq(table.userTotp.userId, ctx.userId));
		await tx
			.insert(table.userTotp)
			.values({ userId: ctx.userId, encryptedKey, lastUsedStep: step, createdAt: now })
			.onConflictDoUpdate({
				target: table.userTotp.userId,
				set: { encryptedKey, lastUsedStep: step, createdAt: now }
			});
		const recoveryCodes = await replaceRecoveryCodes(tx, ctx.userId);
		await endOtherSessions(tx, ctx.userId, ctx.sessionId);
		if (ctx.sessionId) {
			const [current] = await tx
				.select({ authMethod: table.session.authMethod })
				.from(table.session)
				.where(eq(table.session.id, ctx.sessionId));
			const authMethod = withSecondFactor(current?.authMethod ?? 'password', 'totp');
			await tx
				.update(table.session)
				.set({ secondFactorAt: now, authMethod })
				.where(eq(table.session.id, ctx.sessionId));
		}
		await audit(tx, {
			actorId: ctx.userId,
			action: before ? 'auth.totp_replaced' : 'auth.totp_enabled',
			targetType: 'user',
			targetId: ctx.userId,
			ip: ctx.ip
		});
		return { ok: true as const, recoveryCodes };
	});
}

/** Ends a user's sessions but the one in use (a second factor was added or replaced). */
export async function endOtherSessions(tx: Tx, userId: string, keep: string | null) {
	const sessions = await tx
		.select({ id: table.session.id })
		.from(table.session)
		.where(eq(table.session.userId, userId));
	for (const s of sessions) {
		if (s.id !== keep) await tx.delete(table.session).where(eq(table.session.id, s.id));
	}
}

/** How a second factor was given. */
export type SecondFactorMethod = 'totp' | 'recovery_code' | 'passkey';

export type VerifyResult =
	| { ok: true; method: SecondFactorMethod }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Checks a TOTP code against the user's key: throttled like passwords (per address and per
 * account), and a code whose time step was already used is refused (no replay in its window).
 */
export async function verifyTotp(
	db: Database,
	ctx: { userId: string; ip: string },
	code: string,
	now = new Date()
): Promise<VerifyResult> {
	return verifyWith(db, ctx, now, async () => {
		const [row] = await db
			.select({ encryptedKey: table.userTotp.encryptedKey })
			.from(table.userTotp)
			.where(eq(table.userTotp.userId, ctx.userId));
		if (!row) return false;
		const step = matchingStep(open(row.encryptedKey), code, now);
		if (step === null) return false;
		// Only a later step than the last one used: two requests with one code cannot both pass.
		const claimed = await db
			.update(table.userTotp)
			.set({ lastUsedStep: step })
			.where(and(eq(table.userTotp.userId, ctx.userId), lt(table.userTotp.lastUsedStep, step)))
			.returning({ userId: table.userTotp.userId });
		return claimed.length > 0 ? 'totp' : false;
	});
}

/** Uses one of the user's recovery codes: each works once. Throttled as TOTP codes are. */
export async function useRecoveryCode(
	db: Database,
	ctx: { userId: string; ip: string },
	code: string,
	now = new Date()
): Promise<VerifyResult> {
	return verifyWith(db, ctx, now, async () => {
		const used = await db
			.update(table.recoveryCode)
			.set({ usedAt: now })
			.where(
				and(
					eq(table.recoveryCode.userId, ctx.userId),
					eq(table.recoveryCode.codeHash, recoveryCodeHash(code)),
					isNull(table.recoveryCode.usedAt)
				)
			)
			.returning({ id: table.recoveryCode.id });
		return used.length > 0 ? 'recovery_code' : false;
	});
}

/** Runs a second-factor check behind the throttle: failures are counted, audited and slow the next try. */
export async function verifyWith(
	db: Database,
	ctx: { userId: string; ip: string },
	now: Date,
	check: () => Promise<SecondFactorMethod | false>
): Promise<VerifyResult> {
	const throttleKey = secondFactorThrottleKey(ctx.userId);
	const decision = await checkLoginThrottle(db, ctx.ip, throttleKey, now);
	if (!decision.allowed) {
		return { ok: false, reason: 'throttled', retryAfterSeconds: decision.retryAfterSeconds };
	}
	const method = await check();
	if (!method) {
		await recordLoginFailure(db, ctx.ip, throttleKey, now);
		await audit(db, {
			actorId: ctx.userId,
			action: 'auth.second_factor_failed',
			targetType: 'user',
			targetId: ctx.userId,
			ip: ctx.ip
		});
		return { ok: false, reason: 'invalid' };
	}
	await clearAccountFailures(db, throttleKey);
	return { ok: true, method };
}

/** Turns the second factor off: the key and the recovery codes go. Audited as the user's or an admin's act. */
export async function removeSecondFactor(
	db: Database,
	ctx: { actorId: string; ip: string },
	userId: string
): Promise<boolean> {
	return db.transaction(async (tx) => {
		const removed = await tx
			.delete(table.userTotp)
			.where(eq(table.userTotp.userId, userId))
			.returning({ userId: table.userTotp.userId });
		await tx.delete(table.recoveryCode).where(eq(table.recoveryCode.userId, userId));
		const keys = await tx
			.delete(table.passkey)
			.where(eq(table.passkey.userId, userId))
			.returning({ id: table.passkey.id });
		if (removed.length === 0 && keys.length === 0) return false;
		// Reset by an admin: whoever holds the account's sessions must sign in again.
		if (ctx.actorId !== userId) {
			await tx.delete(table.session).where(eq(table.session.userId, userId));
		}
		await audit(tx, {
			actorId: ctx.actorId,
			action: ctx.actorId === userId ? 'auth.totp_disabled' : 'user.second_factor_reset',
			targetType: 'user',
			targetId: userId,
			ip: ctx.ip
		});
		return true;
	});
}

/** The ids of the users who have a second factor (the admin's user list marks them). */
export async function usersWithSecondFactor(db: Database): Promise<Set<string>> {
	const rows = await db.select({ userId: table.userTotp.userId }).from(table.userTotp);
	const keys = await db.selectDistinct({ userId: table.passkey.userId }).from(table.passkey);
	return new Set([...rows, ...keys].map((r) => r.userId));
}
