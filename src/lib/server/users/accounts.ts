import { asc, eq } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { GlobalRole } from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import { hashPassword, passwordProblem, verifyPassword } from '$lib/server/auth/password';
import { createSession, invalidateUserSessions, type Session } from '$lib/server/auth/session';

export interface ActorContext {
	actorId: string;
	ip: string;
}

/** Every user for the admin list, by name. */
export function listUsers(db: Database) {
	return db
		.select({
			id: table.user.id,
			name: table.user.name,
			email: table.user.email,
			role: table.user.role,
			active: table.user.active,
			createdAt: table.user.createdAt
		})
		.from(table.user)
		.orderBy(asc(table.user.name));
}

export type AccountResult = { ok: true } | { ok: false; field: string; message: string };

/** Changes a user's global role and ends their sessions; an admin cannot demote themselves. */
export async function changeRole(
	db: Database,
	ctx: ActorContext,
	userId: string,
	role: GlobalRole
): Promise<AccountResult> {
	if (userId === ctx.actorId) {
		return { ok: false, field: 'role', message: 'You cannot change your own role.' };
	}
	return db.transaction(async (tx) => {
		const [before] = await tx
			.select({ role: table.user.role })
			.from(table.user)
			.where(eq(table.user.id, userId))
			.for('update');
		if (!before) return { ok: false, field: 'userId', message: 'Unknown user.' };
		if (before.role === role) return { ok: true };
		await tx.update(table.user).set({ role }).where(eq(table.user.id, userId));
		await invalidateUserSessions(tx, userId);
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'user.role_changed',
			targetType: 'user',
			targetId: userId,
			detail: { from: before.role, to: role },
			ip: ctx.ip
		});
		return { ok: true };
	});
}

/** Deactivates (ending every session) or reactivates a user; nobody deactivates themselves. */
export async function setUserActive(
	db: Database,
	ctx: ActorContext,
	userId: string,
	active: boolean
): Promise<AccountResult> {
	if (userId === ctx.actorId && !active) {
		return { ok: false, field: 'userId', message: 'You cannot deactivate yourself.' };
	}
	return db.transaction(async (tx) => {
		const updated = await tx
			.update(table.user)
			.set({ active })
			.where(eq(table.user.id, userId))
			.returning({ id: table.user.id });
		if (updated.length === 0) return { ok: false, field: 'userId', message: 'Unknown user.' };
		if (!active) await invalidateUserSessions(tx, userId);
		await audit(tx, {
			actorId: ctx.actorId,
			action: active ? 'user.reactivated' : 'user.deactivated',
			targetType: 'user',
			targetId: userId,
			ip: ctx.ip
		});
		return { ok: true };
	});
}

/** Renames the signed-in user. */
export async function updateProfile(db: Database, ctx: ActorContext, name: string) {
	await db.transaction(async (tx) => {
		await tx.update(table.user).set({ name }).where(eq(table.user.id, ctx.actorId));
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'user.profile_updated',
			targetType: 'user',
			targetId: ctx.actorId,
			ip: ctx.ip
		});
	});
}

/**
 * Changes the signed-in user's password after checking the current one; ends every session
 * of the user, the current one included, and starts a fresh one for this browser.
 */
export async function changePassword(
	db: Database,
	// The new session keeps how the current one was signed in (its second factor included).
	ctx: ActorContext & { userAgent: string } & Pick<
			Partial<Session>,
			'authMethod' | 'secondFactorAt'
		>,
	current: string,
	next: string
): Promise<AccountResult & { session?: { token: string; expiresAt: Date } }> {
	const [row] = await db
		.select({ passwordHash: table.user.passwordHash })
		.from(table.user)
		.where(eq(table.user.id, ctx.actorId));
	if (!row || !(await verifyPassword(row.passwordHash, current))) {
		return { ok: false, field: 'current', message: 'Your current password is not correct.' };
	}
	const problem = passwordProblem(next);
	if (problem) return { ok: false, field: 'password', message: problem };
	const passwordHash = await hashPassword(next);
	return db.transaction(async (tx) => {
		await tx.update(table.user).set({ passwordHash }).where(eq(table.user.id, ctx.actorId));
		await invalidateUserSessions(tx, ctx.actorId);
		const { token, session } = await createSession(tx, ctx.actorId, ctx);
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'user.password_changed',
			targetType: 'user',
			targetId: ctx.actorId,
			ip: ctx.ip
		});
		return { ok: true as const, session: { token, expiresAt: session.expiresAt } };
	});
}
