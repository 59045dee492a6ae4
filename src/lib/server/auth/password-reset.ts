import { and, eq, gt, isNull, lt, or, isNotNull } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import { queueEmail } from '$lib/server/mail/outbox';
import { mailSettings } from '$lib/server/mail/settings';
import { passwordResetEmail } from '$lib/server/mail/templates/password-reset';
import { checkLoginThrottle, recordLoginFailure } from './login-throttle';
import { hashPassword, passwordProblem } from './password';
import { localPasswordSettings, mayUsePassword } from './oidc/settings';
import { generateSessionToken, invalidateUserSessions, sessionIdFromToken } from './session';

/** How long a reset link works. */
export const RESET_TTL_MS = 30 * 60 * 1000;
/** Links asked for one account within the window beyond this are not sent (a mailbox flood). */
const MAX_LINKS_PER_ACCOUNT = 3;

export type ResetRequestResult =
	{ ok: true } | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Emails a reset link when the address belongs to an active account. The answer is the same
 * whether or not it does, and so is the work done before answering: the email is queued (not
 * sent) in both cases' time, and every request counts against the sign-in throttle of the
 * address and of the email typed, so the form cannot be used to guess or flood.
 */
export async function requestPasswordReset(
	db: Database,
	input: { email: string; ip: string },
	now = new Date()
): Promise<ResetRequestResult> {
	const email = input.email.trim().toLowerCase();
	const decision = await checkLoginThrottle(db, input.ip, email, now);
	if (!decision.allowed) return { ok: false, reason: 'throttled', ...decision };
	await recordLoginFailure(db, input.ip, email, now);
	const settings = mailSettings();
	const token = generateSessionToken();
	await db.transaction(async (tx) => {
		const [found] = await tx
			.select({ id: table.user.id, active: table.user.active })
			.from(table.user)
			.where(eq(table.user.email, email))
			.for('update');
		// With LOCAL_PASSWORDS=off a password opens nothing but the break-glass admin's: no link.
		const passwordsOff = !mayUsePassword(localPasswordSettings(), email);
		if (!found?.active || !settings || passwordsOff) {
			await audit(tx, {
				actorId: null,
				action: 'auth.password_reset_requested',
				targetType: 'user',
				targetId: found?.id ?? null,
				detail: { email, sent: false },
				ip: input.ip
			});
			return;
		}
		const recent = await tx
			.select({ id: table.passwordReset.id })
			.from(table.passwordReset)
			.where(
				and(
					eq(table.passwordReset.userId, found.id),
					gt(table.passwordReset.expiresAt, now),
					isNull(table.passwordReset.usedAt)
				)
			);
		const send = recent.length < MAX_LINKS_PER_ACCOUNT;
		if (send) {
			await tx.insert(table.passwordReset).values({
				tokenHash: sessionIdFromToken(token),
				userId: found.id,
				createdAt: now,
				expiresAt: new Date(now.getTime() + RESET_TTL_MS)
			});
			await queueEmail(tx, {
				kind: 'password_reset',
				to: email,
				userId: found.id,
				message: passwordResetEmail(settings.origin, {
					token,
					minutes: RESET_TTL_MS / 60_000
				})
			});
		}
		await audit(tx, {
			actorId: null,
			action: 'auth.password_reset_requested',
			targetType: 'user',
			targetId: found.id,
			detail: { email, sent: send },
			ip: input.ip
		});
	});
	return { ok: true };
}

/** Whether a reset link can still be used (for the page that shows its form). */
export async function findUsableReset(db: Database, token: string, now = new Date()) {
	const [row] = await db
		.select({ id: table.passwordReset.id, email: table.user.email })
		.from(table.passwordReset)
		.innerJoin(table.user, eq(table.user.id, table.passwordReset.userId))
		.where(
			and(
				eq(table.passwordReset.tokenHash, sessionIdFromToken(token)),
				isNull(table.passwordReset.usedAt),
				gt(table.passwordReset.expiresAt, now),
				eq(table.user.active, true)
			)
		);
	return row ?? null;
}

export type ResetResult =
	{ ok: true; userId: string } | { ok: false; field: 'password' | 'form'; message: string };

/**
 * Sets a new password through a reset link: the link is used up (as are the account's other
 * links), and every session of the account ends, in one transaction.
 */
export async function resetPassword(
	db: Database,
	input: { token: string; password: string; ip: string },
	now = new Date()
): Promise<ResetResult> {
	const problem = passwordProblem(input.password);
	if (problem) return { ok: false, field: 'password', message: problem };
	const passwordHash = await hashPassword(input.password);
	return db.transaction(async (tx) => {
		// Claimed in the UPDATE: two submissions of one link change the password once.
		const [claimed] = await tx
			.update(table.passwordReset)
			.set({ usedAt: now })
			.where(
				and(
					eq(table.passwordReset.tokenHash, sessionIdFromToken(input.token)),
					isNull(table.passwordReset.usedAt),
					gt(table.passwordReset.expiresAt, now)
				)
			)
			.returning({ id: table.passwordReset.id, userId: table.passwordReset.userId });
		if (!claimed) return expired;
		const [changed] = await tx
			.update(table.user)
			.set({ passwordHash })
			.where(and(eq(table.user.id, claimed.userId), eq(table.user.active, true)))
			.returning({ id: table.user.id, email: table.user.email });
		if (!changed) return expired;
		await tx
			.update(table.passwordReset)
			.set({ usedAt: now })
			.where(and(eq(table.passwordReset.userId, changed.id), isNull(table.passwordReset.usedAt)));
		await invalidateUserSessions(tx, changed.id);
		// The account's failed sign-ins (and reset requests) are forgiven with the new password.
		await tx.delete(table.loginAttempt).where(eq(table.loginAttempt.email, changed.email));
		await audit(tx, {
			actorId: changed.id,
			action: 'auth.password_reset',
			targetType: 'user',
			targetId: changed.id,
			detail: { resetId: claimed.id },
			ip: input.ip
		});
		return { ok: true as const, userId: changed.id };
	});
}

const expired = {
	ok: false as const,
	field: 'form' as const,
	message: 'This link has expired or was already used. Ask for a new one.'
};

/** Forgets reset links that expired or were used more than a day ago. */
export async function purgeOldResets(db: Database, now = new Date()) {
	const before = new Date(now.getTime() - 24 * 60 * 60 * 1000);
	await db
		.delete(table.passwordReset)
		.where(
			or(
				lt(table.passwordReset.expiresAt, before),
				and(isNotNull(table.passwordReset.usedAt), lt(table.passwordReset.usedAt, before))
			)
		);
}
