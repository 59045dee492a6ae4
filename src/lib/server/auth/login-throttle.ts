import { and, desc, eq, gte, lt, or } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';

/** 10 failures from one address within 10 minutes blocks that address for the rest of the window. */
export const IP_WINDOW_MS = 10 * 60 * 1000;
export const IP_MAX_FAILURES = 10;
/** Per account, after a few failures every further attempt waits twice as long, up to 5 minutes. */
export const ACCOUNT_WINDOW_MS = 60 * 60 * 1000;
export const ACCOUNT_FREE_FAILURES = 3;
export const ACCOUNT_MAX_DELAY_MS = 5 * 60 * 1000;

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Pure rule: given recent failures (newest first) for the address and for the account, may we try now? */
export function throttleDecision(
	ipFailures: Date[],
	accountFailures: Date[],
	now: Date
): ThrottleDecision {
	const t = now.getTime();
	const ipRecent = ipFailures.filter((d) => t - d.getTime() < IP_WINDOW_MS);
	let waitMs = 0;
	if (ipRecent.length >= IP_MAX_FAILURES) {
		// The block lifts once enough of the window's failures have aged out.
		const unblocking = ipRecent[IP_MAX_FAILURES - 1]!;
		waitMs = unblocking.getTime() + IP_WINDOW_MS - t;
	}
	const accountRecent = accountFailures.filter((d) => t - d.getTime() < ACCOUNT_WINDOW_MS);
	if (accountRecent.length >= ACCOUNT_FREE_FAILURES) {
		const delay = Math.min(
			1000 * 2 ** (accountRecent.length - ACCOUNT_FREE_FAILURES),
			ACCOUNT_MAX_DELAY_MS
		);
		const last = accountRecent[0]!.getTime();
		waitMs = Math.max(waitMs, last + delay - t);
	}
	return waitMs > 0
		? { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000) }
		: { allowed: true };
}

/** Reads the recent failures from the database (shared by every instance) and decides. */
export async function checkLoginThrottle(
	db: Database,
	ip: string,
	email: string,
	now = new Date()
): Promise<ThrottleDecision> {
	const since = new Date(now.getTime() - Math.max(IP_WINDOW_MS, ACCOUNT_WINDOW_MS));
	const rows = await db
		.select({
			ip: table.loginAttempt.ip,
			email: table.loginAttempt.email,
			at: table.loginAttempt.at
		})
		.from(table.loginAttempt)
		.where(
			and(
				gte(table.loginAttempt.at, since),
				or(eq(table.loginAttempt.ip, ip), eq(table.loginAttempt.email, email))
			)
		)
		.orderBy(desc(table.loginAttempt.at))
		.limit(500);
	return throttleDecision(
		rows.filter((r) => r.ip === ip).map((r) => r.at),
		rows.filter((r) => r.email === email).map((r) => r.at),
		now
	);
}

/** Records a failed sign-in, keyed by address and by the email as typed (whether or not it exists). */
export async function recordLoginFailure(
	db: Database,
	ip: string,
	email: string,
	now = new Date()
) {
	await db.insert(table.loginAttempt).values({ ip, email, at: now });
	// Keep the table small: nothing older than the longest window matters.
	await db
		.delete(table.loginAttempt)
		.where(lt(table.loginAttempt.at, new Date(now.getTime() - 2 * ACCOUNT_WINDOW_MS)));
}

/** A successful sign-in clears the account's failures (not the address's). */
export async function clearAccountFailures(db: Database, email: string) {
	await db.delete(table.loginAttempt).where(eq(table.loginAttempt.email, email));
}
