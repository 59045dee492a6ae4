import { and, desc, eq, isNull, lt, ne, or } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { ApiScope } from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import { tokenRefusal, type TokenRefusal } from '$lib/server/auth/policy';
import { bearerToken, generateToken, hashToken, isWellFormedToken } from './token-format';

const DAY = 24 * 60 * 60 * 1000;
/** A token's last use is written at most this often, unless it comes from another address. */
const LAST_USE_EVERY_MS = 60_000;

interface Context {
	actorId: string;
	ip: string;
}

/** Makes a team API token; the token itself is returned once and never stored. */
export async function createToken(
	db: Database,
	ctx: Context,
	teamId: string,
	input: { name: string; scopes: ApiScope[]; expiresInDays: number },
	now = new Date()
): Promise<{ id: string; token: string; prefix: string; expiresAt: Date }> {
	const { token, hash, prefix } = generateToken();
	const expiresAt = new Date(now.getTime() + input.expiresInDays * DAY);
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(table.apiToken)
			.values({
				teamId,
				name: input.name,
				scopes: input.scopes,
				prefix,
				tokenHash: hash,
				createdBy: ctx.actorId,
				createdAt: now,
				expiresAt
			})
			.returning({ id: table.apiToken.id });
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'api_token.created',
			targetType: 'api_token',
			targetId: row!.id,
			teamId,
			detail: {
				name: input.name,
				scopes: input.scopes,
				prefix,
				expiresAt: expiresAt.toISOString()
			},
			ip: ctx.ip
		});
		return { id: row!.id, token, prefix, expiresAt };
	});
}

/** A team's tokens for its integrations page, newest first (no hash, no secret). */
export async function listTokens(db: Database, teamId: string) {
	return db
		.select({
			id: table.apiToken.id,
			name: table.apiToken.name,
			scopes: table.apiToken.scopes,
			prefix: table.apiToken.prefix,
			createdAt: table.apiToken.createdAt,
			createdBy: table.user.name,
			expiresAt: table.apiToken.expiresAt,
			lastUsedAt: table.apiToken.lastUsedAt,
			lastUsedIp: table.apiToken.lastUsedIp,
			revokedAt: table.apiToken.revokedAt
		})
		.from(table.apiToken)
		.leftJoin(table.user, eq(table.user.id, table.apiToken.createdBy))
		.where(eq(table.apiToken.teamId, teamId))
		.orderBy(desc(table.apiToken.createdAt), desc(table.apiToken.id));
}

/** Revokes one of a team's tokens at once; false when the team has no such token still live. */
export async function revokeToken(
	db: Database,
	ctx: Context,
	teamId: string,
	tokenId: string,
	now = new Date()
): Promise<boolean> {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.update(table.apiToken)
			.set({ revokedAt: now, revokedBy: ctx.actorId })
			.where(
				and(
					eq(table.apiToken.id, tokenId),
					eq(table.apiToken.teamId, teamId),
					isNull(table.apiToken.revokedAt)
				)
			)
			.returning({ name: table.apiToken.name, prefix: table.apiToken.prefix });
		if (!row) return false;
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'api_token.revoked',
			targetType: 'api_token',
			targetId: tokenId,
			teamId,
			detail: { name: row.name, prefix: row.prefix },
			ip: ctx.ip
		});
		return true;
	});
}

/** The token a request is made with, once verified: its team and what it may do. */
export interface ApiCaller {
	tokenId: string;
	teamId: string;
	teamSlug: string;
	scopes: ApiScope[];
}

export type TokenCheck =
	| { ok: true; caller: ApiCaller }
	| { ok: false; status: 401; reason: 'missing' | 'unknown' }
	| { ok: false; status: 403; reason: TokenRefusal };

/**
 * Verifies the Bearer token of an API request for one scope (and, for the read API, one team
 * by its slug): unknown tokens are 401, revoked, expired, archived team, another team or a
 * missing scope 403, each refusal audited. The token is found by its hash, so the comparison
 * takes the same time whatever the token. A use is written as the token's last use.
 */
export async function checkToken(
	db: Database,
	request: { authorization: string | null; ip: string; path: string },
	scope: ApiScope | readonly ApiScope[],
	teamSlug: string | null = null,
	now = new Date()
): Promise<TokenCheck> {
	const presented = bearerToken(request.authorization);
	if (presented === null) return { ok: false, status: 401, reason: 'missing' };
	const refuse = async (
		entry: { teamId: string | null; tokenId: string | null; prefix: string | null },
		reason: 'unknown' | TokenRefusal
	) =>
		audit(db, {
			actorId: null,
			action: 'api_token.refused',
			targetType: 'api_token',
			targetId: entry.tokenId,
			teamId: entry.teamId,
			detail: { reason, scope, path: request.path.slice(0, 200), prefix: entry.prefix },
			ip: request.ip
		});
	const row = isWellFormedToken(presented)
		? (
				await db
					.select({
						id: table.apiToken.id,
						teamId: table.apiToken.teamId,
						scopes: table.apiToken.scopes,
						prefix: table.apiToken.prefix,
						expiresAt: table.apiToken.expiresAt,
						revokedAt: table.apiToken.revokedAt,
						teamActive: table.team.active,
						teamSlug: table.team.slug
					})
					.from(table.apiToken)
					.innerJoin(table.team, eq(table.team.id, table.apiToken.teamId))
					.where(eq(table.apiToken.tokenHash, hashToken(presented)))
			)[0]
		: undefined;
	if (!row) {
		await refuse({ teamId: null, tokenId: null, prefix: null }, 'unknown');
		return { ok: false, status: 401, reason: 'unknown' };
	}
	// A slug that is not the token's own team is refused without looking it up.
	const teamId = teamSlug === null || teamSlug === row.teamSlug ? row.teamId : '';
	const refusal = tokenRefusal(row, teamId, scope, now);
	if (refusal) {
		await refuse({ teamId: row.teamId, tokenId: row.id, prefix: row.prefix }, refusal);
		return { ok: false, status: 403, reason: refusal };
	}
	await db
		.update(table.apiToken)
		.set({ lastUsedAt: now, lastUsedIp: request.ip })
		.where(
			and(
				eq(table.apiToken.id, row.id),
				or(
					isNull(table.apiToken.lastUsedAt),
					lt(table.apiToken.lastUsedAt, new Date(now.getTime() - LAST_USE_EVERY_MS)),
					ne(table.apiToken.lastUsedIp, request.ip)
				)
			)
		);
	return {
		ok: true,
		caller: { tokenId: row.id, teamId: row.teamId, teamSlug: row.teamSlug, scopes: row.scopes }
	};
}
