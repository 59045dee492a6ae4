import type { Database } from '$lib/server/db';
import { takeTokens, type BudgetSettings } from '$lib/server/http/request-budget';

/**
 * How often pipelines may upload: each token 30 uploads at once and 30 a minute after that,
 * each team 60 at once and 60 a minute, whatever its tokens. The buckets live with the request
 * budget's (one table, shared by every instance); the client address's request budget applies
 * as well.
 */
export const UPLOAD_RATE = {
	token: { burst: 30, perSecond: 0.5 },
	team: { burst: 60, perSecond: 1 }
} as const satisfies Record<string, BudgetSettings>;

export type RateCheck = { ok: true } | { ok: false; retryAfter: number; by: 'token' | 'team' };

/** Spends one upload from the token's and the team's buckets; refuses when either is empty. */
export async function spendUpload(
	db: Database,
	caller: { tokenId: string; teamId: string }
): Promise<RateCheck> {
	const token = await takeTokens(db, UPLOAD_RATE.token, `upload:token:${caller.tokenId}`, 1);
	if (!token.granted) return { ok: false, retryAfter: token.retryAfterSeconds, by: 'token' };
	const team = await takeTokens(db, UPLOAD_RATE.team, `upload:team:${caller.teamId}`, 1);
	if (!team.granted) return { ok: false, retryAfter: team.retryAfterSeconds, by: 'team' };
	return { ok: true };
}
