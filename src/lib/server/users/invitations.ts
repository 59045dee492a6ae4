import { and, desc, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { GlobalRole } from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import { hashPassword, passwordProblem } from '$lib/server/auth/password';
import { createSession, generateSessionToken, sessionIdFromToken } from '$lib/server/auth/session';
import { emailInvitation } from '$lib/server/mail/notify';
import type { ActorContext } from './accounts';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Inserts one invitation and its audit entry; returns the token, whose hash alone is stored. */
async function insertInvitation(
	tx: Tx,
	ctx: ActorContext,
	input: { email: string; role: GlobalRole },
	now: Date,
	expiresAt: Date
): Promise<string> {
	const token = generateSessionToken();
	const [created] = await tx
		.insert(table.invitation)
		.values({
			tokenHash: sessionIdFromToken(token),
			email: input.email,
			role: input.role,
			createdBy: ctx.actorId,
			createdAt: now,
			expiresAt
		})
		.returning({ id: table.invitation.id });
	await audit(tx, {
		actorId: ctx.actorId,
		action: 'invitation.created',
		targetType: 'invitation',
		targetId: created!.id,
		detail: { email: input.email, role: input.role },
		ip: ctx.ip
	});
	await emailInvitation(tx, { inviterId: ctx.actorId, email: input.email, token, expiresAt });
	return token;
}

/** Creates a single-use invitation; the token is returned once (for the link) and only its hash is kept. */
export async function createInvitation(
	db: Database,
	ctx: ActorContext,
	input: { email: string; role: GlobalRole },
	now = new Date()
): Promise<
	{ ok: true; token: string; expiresAt: Date } | { ok: false; field: string; message: string }
> {
	const [existing] = await db
		.select({ id: table.user.id })
		.from(table.user)
		.where(eq(table.user.email, input.email));
	if (existing)
		return { ok: false, field: 'email', message: 'A user with this email already exists.' };
	const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
	const token = await db.transaction((tx) => insertInvitation(tx, ctx, input, now, expiresAt));
	return { ok: true, token, expiresAt };
}

export type BulkInvitationResult =
	| { ok: true; expiresAt: Date; invited: { email: string; role: GlobalRole; token: string }[] }
	/** Addresses that already have an account, or an invitation that can still be accepted. */
	| { ok: false; existing: string[]; pending: string[] };

/**
 * Invites many people at once, each with a link of their own, in one transaction: when any
 * address already has an account or a usable invitation, nobody is invited. Each invitation is
 * audited on its own.
 */
export async function createInvitations(
	db: Database,
	ctx: ActorContext,
	people: readonly { email: string; role: GlobalRole }[],
	now = new Date()
): Promise<BulkInvitationResult> {
	const emails = people.map((p) => p.email);
	const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
	return db.transaction(async (tx) => {
		const [users, invitations] = await Promise.all([
			tx
				.select({ email: table.user.email })
				.from(table.user)
				.where(inArray(table.user.email, emails)),
			tx
				.select({ email: table.invitation.email })
				.from(table.invitation)
				.where(
					and(
						inArray(table.invitation.email, emails),
						isNull(table.invitation.acceptedAt),
						isNull(table.invitation.revokedAt),
						gt(table.invitation.expiresAt, now)
					)
				)
		]);
		if (users.length || invitations.length) {
			const pending = new Set(invitations.map((i) => i.email));
			return {
				ok: false as const,
				existing: users.map((u) => u.email),
				pending: [...pending]
			};
		}
		const invited = [];
		for (const person of people)
			invited.push({ ...person, token: await insertInvitation(tx, ctx, person, now, expiresAt) });
		return { ok: true as const, expiresAt, invited };
	});
}

/** Pending (unused, unexpired, unrevoked) invitations, newest first. */
export function listPendingInvitations(db: Database, now = new Date()) {
	return db
		.select({
			id: table.invitation.id,
			email: table.invitation.email,
			role: table.invitation.role,
			expiresAt: table.invitation.expiresAt,
			createdAt: table.invitation.createdAt
		})
		.from(table.invitation)
		.where(
			and(
				isNull(table.invitation.acceptedAt),
				isNull(table.invitation.revokedAt),
				gt(table.invitation.expiresAt, now)
			)
		)
		.orderBy(desc(table.invitation.createdAt));
}

/** Revokes a pending invitation so its link stops working. */
export async function revokeInvitation(db: Database, ctx: ActorContext, id: string) {
	await db.transaction(async (tx) => {
		const revoked = await tx
			.update(table.invitation)
			.set({ revokedAt: new Date() })
			.where(and(eq(table.invitation.id, id), isNull(table.invitation.acceptedAt)))
			.returning({ id: table.invitation.id });
		if (revoked.length) {
			await audit(tx, {
				actorId: ctx.actorId,
				action: 'invitation.revoked',
				targetType: 'invitation',
				targetId: id,
				ip: ctx.ip
			});
		}
	});
}

/** The invitation behind a link, if it can still be used. */
export async function findUsableInvitation(db: Database, token: string, now = new Date()) {
	const [row] = await db
		.select({
			id: table.invitation.id,
			email: table.invitation.email,
			role: table.invitation.role,
			expiresAt: table.invitation.expiresAt
		})
		.from(table.invitation)
		.where(
			and(
				eq(table.invitation.tokenHash, sessionIdFromToken(token)),
				isNull(table.invitation.acceptedAt),
				isNull(table.invitation.revokedAt),
				gt(table.invitation.expiresAt, now)
			)
		);
	return row ?? null;
}

export type AcceptResult =
	| { ok: true; userId: string; token: string; expiresAt: Date }
	| { ok: false; field: string; message: string };

/** Turns an invitation into an account and signs the new user in; the link cannot be used twice. */
export async function acceptInvitation(
	db: Database,
	input: { token: string; name: string; password: string; ip: string; userAgent: string }
): Promise<AcceptResult> {
	const problem = passwordProblem(input.password);
	if (problem) return { ok: false, field: 'password', message: problem };
	const passwordHash = await hashPassword(input.password);
	try {
		return await acceptInTransaction(db, input, passwordHash);
	} catch (e) {
		if (e instanceof EmailTakenError) {
			return {
				ok: false,
				field: 'form',
				message: 'An account with this email already exists: sign in instead.'
			};
		}
		throw e;
	}
}

class EmailTakenError extends Error {}

function acceptInTransaction(
	db: Database,
	input: { token: string; name: string; ip: string; userAgent: string },
	passwordHash: string
): Promise<AcceptResult> {
	return db.transaction(async (tx) => {
		// Claiming the row in the UPDATE makes two simultaneous accepts create one account.
		const [claimed] = await tx
			.update(table.invitation)
			.set({ acceptedAt: new Date() })
			.where(
				and(
					eq(table.invitation.tokenHash, sessionIdFromToken(input.token)),
					isNull(table.invitation.acceptedAt),
					isNull(table.invitation.revokedAt),
					gt(table.invitation.expiresAt, new Date())
				)
			)
			.returning({
				id: table.invitation.id,
				email: table.invitation.email,
				role: table.invitation.role
			});
		if (!claimed) {
			return {
				ok: false as const,
				field: 'form',
				message: 'This invitation has expired or was already used.'
			};
		}
		const [taken] = await tx
			.select({ id: table.user.id })
			.from(table.user)
			.where(eq(table.user.email, claimed.email));
		if (taken) throw new EmailTakenError();
		const [created] = await tx
			.insert(table.user)
			.values({ email: claimed.email, name: input.name, passwordHash, role: claimed.role })
			.returning({ id: table.user.id });
		await audit(tx, {
			actorId: created!.id,
			action: 'invitation.accepted',
			targetType: 'user',
			targetId: created!.id,
			detail: { invitationId: claimed.id, role: claimed.role },
			ip: input.ip
		});
		const { token, session } = await createSession(tx, created!.id, input);
		return { ok: true as const, userId: created!.id, token, expiresAt: session.expiresAt };
	});
}
