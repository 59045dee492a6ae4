import { eq, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import { checkLoginThrottle, clearAccountFailures, recordLoginFailure } from './login-throttle';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password';
import { createSession } from './session';
import { hasSecondFactor } from './two-factor';

export type SignInResult =
	| {
			ok: true;
			token: string;
			expiresAt: Date;
			userId: string;
			/** The session waits for the user's second factor (/login/two-factor). */
			secondFactor: boolean;
	  }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Checks the throttle before any hashing, then the password; an unknown email, a wrong
 * password and a deactivated account all give the same answer after the same work.
 */
export async function signIn(
	db: Database,
	input: { email: string; password: string; ip: string; userAgent: string }
): Promise<SignInResult> {
	const email = input.email.trim().toLowerCase();
	const decision = await checkLoginThrottle(db, input.ip, email);
	if (!decision.allowed) return { ok: false, reason: 'throttled', ...decision };

	const [found] = await db
		.select({ id: table.user.id, passwordHash: table.user.passwordHash, active: table.user.active })
		.from(table.user)
		.where(eq(table.user.email, email));
	const valid = found
		? await verifyPassword(found.passwordHash, input.password)
		: await verifyAgainstDummy(input.password);

	if (!found || !valid || !found.active) {
		await recordLoginFailure(db, input.ip, email);
		await audit(db, {
			actorId: found?.id ?? null,
			action: 'auth.sign_in_failed',
			targetType: 'user',
			targetId: found?.id ?? null,
			detail: { email },
			ip: input.ip
		});
		return { ok: false, reason: 'invalid' };
	}
	await clearAccountFailures(db, email);
	const secondFactor = await hasSecondFactor(db, found.id);
	const { token, session } = await createSession(db, found.id, input);
	await audit(db, {
		actorId: found.id,
		action: 'auth.sign_in',
		targetType: 'user',
		targetId: found.id,
		...(secondFactor ? { detail: { secondFactor: 'pending' } } : {}),
		ip: input.ip
	});
	return { ok: true, token, expiresAt: session.expiresAt, userId: found.id, secondFactor };
}

/** Whether any user exists: /setup is open only before the first one. */
export async function hasUsers(db: Database): Promise<boolean> {
	const [row] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(table.user)
		.limit(1);
	return (row?.n ?? 0) > 0;
}

// Serialises concurrent setup requests across instances of the app.
const SETUP_LOCK_KEY = 7_246_101;

/** Creates the first admin; returns null when a user already exists (setup is closed for good). */
export async function createFirstAdmin(
	db: Database,
	input: { name: string; email: string; password: string; ip: string }
): Promise<{ userId: string } | null> {
	const passwordHash = await hashPassword(input.password);
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK_KEY})`);
		const [existing] = await tx.select({ id: table.user.id }).from(table.user).limit(1);
		if (existing) return null;
		const [created] = await tx
			.insert(table.user)
			.values({ name: input.name, email: input.email, passwordHash, role: 'admin' })
			.returning({ id: table.user.id });
		await audit(tx, {
			actorId: created!.id,
			action: 'setup.first_admin',
			targetType: 'user',
			targetId: created!.id,
			ip: input.ip
		});
		return { userId: created!.id };
	});
}
