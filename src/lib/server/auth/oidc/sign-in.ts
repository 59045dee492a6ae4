import { and, eq } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { isUniqueViolation } from '$lib/server/db/errors';
import { audit } from '$lib/server/audit/audit-log';
import { createSession, invalidateUserSessions } from '../session';
import type { Configuration } from 'openid-client';
import {
	finishFlow,
	OidcRefusal,
	type OidcClaims,
	type OidcFlow,
	type OidcProtocolRefusal
} from './client';
import {
	domainAllowed,
	mayUsePassword,
	roleFromClaims,
	type LocalPasswordSettings,
	type OidcSettings
} from './settings';

/** Why a sign-in through the provider was refused; the callback page words each one. */
export type OidcRefusalReason =
	| OidcProtocolRefusal
	| 'no_flow'
	| 'email_missing'
	| 'email_unverified'
	| 'domain'
	| 'deactivated'
	| 'already_linked';

export type OidcSignInResult =
	| { ok: true; token: string; expiresAt: Date; userId: string; created: boolean }
	| { ok: false; reason: OidcRefusalReason };

interface Meta {
	ip: string;
	userAgent: string;
}

/** Records a refused sign-in through the provider (nothing else is written). */
export async function auditOidcRefusal(
	db: Database,
	reason: OidcRefusalReason,
	meta: Meta,
	detail: Record<string, unknown> = {},
	userId: string | null = null
) {
	await audit(db, {
		actorId: userId,
		action: 'auth.sign_in_failed',
		targetType: 'user',
		targetId: userId,
		detail: { method: 'oidc', reason, ...detail },
		ip: meta.ip
	});
}

function emailOf(claims: OidcClaims): string | null {
	const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
	return /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
}

function nameOf(claims: OidcClaims, email: string): string {
	const name = typeof claims.name === 'string' ? claims.name.trim() : '';
	return (name || email.slice(0, email.indexOf('@'))).slice(0, 200);
}

/**
 * The password of a user made by single sign-on: the argon2id hash of a random string that was
 * thrown away, so no password opens the account, and trying one costs a full verification like
 * anyone's (an account made this way cannot be told apart by timing). No hashing per sign-in.
 */
const NO_PASSWORD_HASH =
	'$argon2id$v=19$m=19456,t=2,p=1$BcF+L5BOOtA6lgipmw7YBA$0qNHl2OMMXjnvZlhdKNk7KsVBqDxBBL4ouzU7zY5R08';

type Found = { id: string; active: boolean; role: table.GlobalRole; email: string };

const userColumns = {
	id: table.user.id,
	active: table.user.active,
	role: table.user.role,
	email: table.user.email
};

/**
 * The user a provider's checked claims sign in as: the one linked to its issuer and subject;
 * otherwise, on that person's first sign-in, the user with the same verified email (linked
 * now), or a new user. Returns a refusal instead when the email is missing, unverified or of a
 * domain not allowed, when the user is deactivated, or when the email's user is already linked
 * to another subject of the same provider.
 */
async function resolveUser(
	tx: Tx,
	settings: OidcSettings,
	claims: OidcClaims
): Promise<{ user: Found; created: boolean; linked: boolean } | { refusal: OidcRefusalReason }> {
	const email = emailOf(claims);
	if (email && !domainAllowed(settings, email)) return { refusal: 'domain' };
	const [linked] = await tx
		.select(userColumns)
		.from(table.oidcIdentity)
		.innerJoin(table.user, eq(table.user.id, table.oidcIdentity.userId))
		.where(
			and(eq(table.oidcIdentity.issuer, claims.iss), eq(table.oidcIdentity.subject, claims.sub))
		);
	if (linked) {
		if (!email && settings.allowedDomains) return { refusal: 'email_missing' };
		return { user: linked, created: false, linked: false };
	}
	// First sign-in of this subject: only a verified email may find or make its user.
	if (!email) return { refusal: 'email_missing' };
	if (claims[settings.emailVerifiedClaim] !== true) return { refusal: 'email_unverified' };
	const [byEmail] = await tx
		.select(userColumns)
		.from(table.user)
		.where(eq(table.user.email, email));
	let user: Found;
	let created = false;
	if (byEmail) {
		const [other] = await tx
			.select({ subject: table.oidcIdentity.subject })
			.from(table.oidcIdentity)
			.where(
				and(eq(table.oidcIdentity.userId, byEmail.id), eq(table.oidcIdentity.issuer, claims.iss))
			);
		// This very subject, linked by a first sign-in that committed between our two reads (two
		// sign-ins of one person at once): the same person, already linked.
		if (other?.subject === claims.sub) return { user: byEmail, created: false, linked: false };
		if (other) return { refusal: 'already_linked' };
		if (!byEmail.active) return { refusal: 'deactivated' };
		user = byEmail;
	} else {
		const [made] = await tx
			.insert(table.user)
			.values({
				email,
				name: nameOf(claims, email),
				passwordHash: NO_PASSWORD_HASH,
				role: roleFromClaims(settings, claims)
			})
			.returning(userColumns);
		user = made!;
		created = true;
	}
	await tx
		.insert(table.oidcIdentity)
		.values({ issuer: claims.iss, subject: claims.sub, userId: user.id });
	return { user, created, linked: true };
}

/**
 * Signs in with claims the provider's ID token vouched for (client.ts checked them): finds,
 * links or creates the user, keeps the global role in step with the role claim (never the
 * break-glass admin's), and opens a session. Every outcome is audited.
 */
export async function signInWithProvider(
	db: Database,
	settings: OidcSettings,
	local: LocalPasswordSettings,
	claims: OidcClaims,
	meta: Meta,
	now = new Date()
): Promise<OidcSignInResult> {
	const email = emailOf(claims);
	type Outcome =
		| { refusal: OidcRefusalReason; userId?: string }
		| { token: string; expiresAt: Date; userId: string; created: boolean };
	const attempt = () =>
		db.transaction(async (tx): Promise<Outcome> => {
			const found = await resolveUser(tx, settings, claims);
			if ('refusal' in found) return found;
			const { user, created, linked } = found;
			if (!user.active) return { refusal: 'deactivated', userId: user.id };
			let role = user.role;
			const breakGlass = local.breakGlassAdmin !== null && user.email === local.breakGlassAdmin;
			if (settings.roleClaim && !created && !breakGlass) {
				const next = roleFromClaims(settings, claims);
				if (next !== role) {
					await tx.update(table.user).set({ role: next }).where(eq(table.user.id, user.id));
					await invalidateUserSessions(tx, user.id);
					await audit(tx, {
						actorId: user.id,
						action: 'user.role_changed',
						targetType: 'user',
						targetId: user.id,
						detail: { from: role, to: next, source: 'oidc', claim: settings.roleClaim },
						ip: meta.ip
					});
					role = next;
				}
			}
			await tx
				.update(table.oidcIdentity)
				.set({ lastSignInAt: now })
				.where(
					and(eq(table.oidcIdentity.issuer, claims.iss), eq(table.oidcIdentity.subject, claims.sub))
				);
			const { token, session } = await createSession(
				tx,
				user.id,
				{ ...meta, authMethod: 'oidc' },
				now
			);
			await audit(tx, {
				actorId: user.id,
				action: 'auth.sign_in',
				targetType: 'user',
				targetId: user.id,
				detail: {
					method: 'oidc',
					issuer: claims.iss,
					subject: claims.sub,
					...(created ? { created: true, role } : {}),
					...(linked && !created ? { linkedByEmail: true } : {})
				},
				ip: meta.ip
			});
			return { token, expiresAt: session.expiresAt, userId: user.id, created };
		});
	let result: Outcome;
	try {
		result = await attempt();
	} catch (e) {
		// Two first sign-ins of one person at once (on PostgreSQL): the one that lost the race
		// for the email or the link finds the other's on its second try.
		if (!isUniqueViolation(e)) throw e;
		result = await attempt();
	}
	if ('refusal' in result) {
		await auditOidcRefusal(
			db,
			result.refusal,
			meta,
			{ issuer: claims.iss, subject: claims.sub, email: email ?? null },
			result.userId ?? null
		);
		return { ok: false, reason: result.refusal };
	}
	return { ok: true, ...result };
}

/**
 * The callback's whole work: the flow this browser started (null: none or expired), the
 * provider's answer checked and exchanged (client.ts), then signInWithProvider. Refusals of the
 * protocol are audited here with the check that failed.
 */
export async function completeOidcSignIn(
	db: Database,
	settings: OidcSettings,
	local: LocalPasswordSettings,
	config: Configuration,
	callbackUrl: URL,
	flow: OidcFlow | null,
	meta: Meta
): Promise<OidcSignInResult> {
	if (!flow) {
		await auditOidcRefusal(db, 'no_flow', meta);
		return { ok: false, reason: 'no_flow' };
	}
	let claims: OidcClaims;
	try {
		claims = await finishFlow(config, callbackUrl, flow);
	} catch (e) {
		if (!(e instanceof OidcRefusal)) throw e;
		await auditOidcRefusal(db, e.reason, meta, { issuer: settings.issuer.href, check: e.check });
		return { ok: false, reason: e.reason };
	}
	return signInWithProvider(db, settings, local, claims, meta);
}

/**
 * With LOCAL_PASSWORDS=off, whether a password sign-in as this email is refused (audited);
 * decided before any hashing, the same for every address but the break-glass admin's.
 */
export async function passwordSignInRefused(
	db: Database,
	local: LocalPasswordSettings,
	email: string,
	ip: string
): Promise<boolean> {
	if (mayUsePassword(local, email)) return false;
	await audit(db, {
		actorId: null,
		action: 'auth.sign_in_failed',
		targetType: 'user',
		detail: {
			method: 'password',
			reason: 'local_passwords_off',
			email: email.trim().toLowerCase()
		},
		ip
	});
	return true;
}
