import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { GlobalRole } from '$lib/server/db/schema';
import { isStorageFull } from '$lib/server/db/errors';
import { preparedQuery } from '$lib/server/db/prepared';
import { sessionCacheOf } from './session-cache';

const DAY = 24 * 60 * 60 * 1000;
/** Sliding inactivity window. */
export const SESSION_IDLE_MS = 7 * DAY;
/** Absolute maximum lifetime, whatever the activity. */
export const SESSION_MAX_MS = 30 * DAY;
/** Extend the sliding window at most once a day, not on every request. */
const REFRESH_AFTER_MS = DAY;

export interface SessionUser {
	id: string;
	email: string;
	name: string;
	role: GlobalRole;
}

/** How a session's second factor was given. */
type SecondFactor = 'totp' | 'recovery_code' | 'passkey';

/**
 * How a session was signed in: a password or the identity provider, then the second factor if
 * one was asked for (`oidc+totp`); `passkey` alone is a password-less sign-in with a passkey
 * that verified the user, which counts as both factors.
 */
export type AuthMethod = 'password' | 'oidc' | 'passkey' | `${'password' | 'oidc'}+${SecondFactor}`;

/** A session's method once a second factor was given in it (a passkey sign-in has both already). */
export function withSecondFactor(method: string, factor: SecondFactor): AuthMethod {
	if (method === 'passkey') return 'passkey';
	return `${method.startsWith('oidc') ? 'oidc' : 'password'}+${factor}`;
}

export interface Session {
	id: string;
	userId: string;
	createdAt: Date;
	expiresAt: Date;
	authMethod: AuthMethod;
	/** When a second factor was last checked in this session; null: never. */
	secondFactorAt: Date | null;
}

/** A session whose password was right but whose second factor is still to come lasts this long. */
export const PENDING_SECOND_FACTOR_MS = 10 * 60 * 1000;

/** 160 bits from the CSPRNG, base32: the only copy goes into the cookie. */
export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

/** The stored id of a session: SHA-256 of its token. */
export function sessionIdFromToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** The expiry a session should have at `now`: sliding, but never past the absolute maximum. */
export function slidingExpiry(createdAt: Date, now: Date): Date {
	return new Date(Math.min(now.getTime() + SESSION_IDLE_MS, createdAt.getTime() + SESSION_MAX_MS));
}

/** What to do with a stored session at `now`: drop it, extend it, or keep it as is. */
export function sessionVerdict(
	s: Pick<Session, 'createdAt' | 'expiresAt'>,
	now: Date
): 'expired' | 'refresh' | 'valid' {
	if (now >= s.expiresAt || now.getTime() >= s.createdAt.getTime() + SESSION_MAX_MS) {
		return 'expired';
	}
	const next = slidingExpiry(s.createdAt, now);
	return next.getTime() - s.expiresAt.getTime() >= REFRESH_AFTER_MS ? 'refresh' : 'valid';
}

/** Starts a session for a user and returns the token to put in the cookie. */
export async function createSession(
	db: Tx,
	userId: string,
	meta: {
		userAgent?: string;
		ip?: string;
		authMethod?: AuthMethod;
		secondFactorAt?: Date | null;
	} = {},
	now = new Date()
): Promise<{ token: string; session: Session }> {
	const token = generateSessionToken();
	const session: Session = {
		id: sessionIdFromToken(token),
		userId,
		createdAt: now,
		expiresAt: slidingExpiry(now, now),
		authMethod: meta.authMethod ?? 'password',
		secondFactorAt: meta.secondFactorAt ?? null
	};
	await db.insert(table.session).values({
		...session,
		lastSeenAt: now,
		userAgent: (meta.userAgent ?? '').slice(0, 300),
		ip: meta.ip ?? ''
	});
	return { token, session };
}

/** The session and its user, by the session's id: built once per database (every request runs it). */
const sessionWithUser = (db: Database) =>
	preparedQuery(db, 'session.withUser', (db) =>
		db
			.select({
				session: {
					id: table.session.id,
					userId: table.session.userId,
					createdAt: table.session.createdAt,
					expiresAt: table.session.expiresAt,
					authMethod: table.session.authMethod,
					secondFactorAt: table.session.secondFactorAt
				},
				// An authenticator app or a passkey: the session waits for one when there is one.
				hasSecondFactor: sql<boolean>`(exists (select 1 from "user_totp" t where t."user_id" = "session"."user_id") or exists (select 1 from "passkey" p where p."user_id" = "session"."user_id"))`,
				user: {
					id: table.user.id,
					email: table.user.email,
					name: table.user.name,
					role: table.user.role,
					active: table.user.active
				}
			})
			.from(table.session)
			.innerJoin(table.user, eq(table.session.userId, table.user.id))
			.where(eq(table.session.id, sql.placeholder('id')))
			.prepare('session_with_user')
	);

type SessionRow = Awaited<ReturnType<ReturnType<typeof sessionWithUser>['execute']>>[number];

/** The session and its user, kept between requests on the embedded database (session-cache.ts). */
async function sessionRow(db: Database, id: string): Promise<SessionRow | undefined> {
	const cache = sessionCacheOf<SessionRow>(db);
	const kept = cache?.get(id);
	if (kept) return kept;
	const generation = cache?.generation ?? 0;
	const [found] = await sessionWithUser(db).execute({ id });
	if (found) cache?.keep(id, found.session.userId, found, generation);
	return found;
}

export interface ValidSession {
	session: Session;
	user: SessionUser;
	refreshed: boolean;
	/** The user has a second factor. */
	secondFactorEnrolled: boolean;
	/** The password was right, the second factor is still to come: the session opens nothing else. */
	pendingSecondFactor: boolean;
}

/** Resolves a cookie token to its session and active user, sliding the expiry; null when invalid. */
export async function validateSessionToken(
	db: Database,
	token: string,
	now = new Date()
): Promise<ValidSession | null> {
	const id = sessionIdFromToken(token);
	const found = await sessionRow(db, id);
	if (!found) return null;
	const { hasSecondFactor, ...row } = found;
	const session: Session = { ...row.session, authMethod: row.session.authMethod as AuthMethod };
	const secondFactorEnrolled = hasSecondFactor === true;
	const pendingSecondFactor = secondFactorEnrolled && session.secondFactorAt === null;
	const verdict =
		pendingSecondFactor && now.getTime() - session.createdAt.getTime() >= PENDING_SECOND_FACTOR_MS
			? 'expired'
			: sessionVerdict(row.session, now);
	const more = { secondFactorEnrolled, pendingSecondFactor };
	if (verdict === 'expired' || !row.user.active) {
		// Tidying up can wait for free space: the session is refused either way.
		await db
			.delete(table.session)
			.where(eq(table.session.id, id))
			.catch((e: unknown) => {
				if (!isStorageFull(e)) throw e;
			});
		return null;
	}
	if (verdict === 'refresh') {
		const expiresAt = slidingExpiry(session.createdAt, now);
		try {
			await db
				.update(table.session)
				.set({ expiresAt, lastSeenAt: now })
				.where(eq(table.session.id, id));
			session.expiresAt = expiresAt;
		} catch (e) {
			// On a full disk the session stays as it was (still valid): reads keep working.
			if (!isStorageFull(e)) throw e;
			const { active: _active, ...user } = row.user;
			return { session, user, refreshed: false, ...more };
		}
	}
	const { active: _active, ...user } = row.user;
	return { session, user, refreshed: verdict === 'refresh', ...more };
}

/**
 * Completes a sign-in with its second factor: the pending session is replaced by a new one
 * (a new token, so a token seen before the second factor is worth nothing after it) that
 * records both steps: how the pending one was signed in (password or provider) and the factor.
 */
export async function completeSecondFactor(
	db: Database,
	pendingSessionId: string,
	userId: string,
	method: SecondFactor,
	meta: { userAgent?: string; ip?: string },
	now = new Date()
): Promise<{ token: string; session: Session }> {
	return db.transaction(async (tx) => {
		const [pending] = await tx
			.delete(table.session)
			.where(and(eq(table.session.id, pendingSessionId), eq(table.session.userId, userId)))
			.returning({ authMethod: table.session.authMethod });
		const authMethod = withSecondFactor(pending?.authMethod ?? 'password', method);
		return createSession(tx, userId, { ...meta, authMethod, secondFactorAt: now }, now);
	});
}

/** Step-up: a signed-in session's second factor was just checked again. */
export async function recordSecondFactor(db: Tx, sessionId: string, now = new Date()) {
	await db
		.update(table.session)
		.set({ secondFactorAt: now })
		.where(eq(table.session.id, sessionId));
}

/** Ends one session. */
export async function invalidateSession(db: Tx, sessionId: string): Promise<void> {
	await db.delete(table.session).where(eq(table.session.id, sessionId));
}

/** Ends one of a user's own sessions; a session of someone else is left alone. */
export async function invalidateOwnSession(
	db: Tx,
	userId: string,
	sessionId: string
): Promise<boolean> {
	const ended = await db
		.delete(table.session)
		.where(and(eq(table.session.id, sessionId), eq(table.session.userId, userId)))
		.returning({ id: table.session.id });
	return ended.length > 0;
}

/** Ends every session of a user, except optionally the one in use. */
export async function invalidateUserSessions(db: Tx, userId: string, keepSessionId?: string) {
	await db
		.delete(table.session)
		.where(
			keepSessionId
				? and(eq(table.session.userId, userId), ne(table.session.id, keepSessionId))
				: eq(table.session.userId, userId)
		);
}

/** A user's sessions for the account page, newest first. */
export async function listUserSessions(db: Database, userId: string) {
	const rows = await db
		.select({
			id: table.session.id,
			createdAt: table.session.createdAt,
			lastSeenAt: table.session.lastSeenAt,
			expiresAt: table.session.expiresAt,
			userAgent: table.session.userAgent,
			ip: table.session.ip
		})
		.from(table.session)
		.where(eq(table.session.userId, userId));
	return rows.sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
}
