import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';

/**
 * The admin start page's figures: active users, active teams, org units, invitations that can
 * still be accepted, and cycles.
 */
export async function adminOverview(db: Database, now = new Date()) {
	const [users, teams, orgUnits, pendingInvitations, cycles] = await Promise.all([
		db.$count(table.user, eq(table.user.active, true)),
		db.$count(table.team, eq(table.team.active, true)),
		db.$count(table.orgUnit),
		db.$count(
			table.invitation,
			and(
				isNull(table.invitation.acceptedAt),
				isNull(table.invitation.revokedAt),
				gt(table.invitation.expiresAt, now)
			)
		),
		db.$count(table.cycle)
	]);
	return { users, teams, orgUnits, pendingInvitations, cycles };
}

export type AdminCounts = Awaited<ReturnType<typeof adminOverview>>;

export type SetupStep = 'orgUnits' | 'teams' | 'people' | 'cycle';

/**
 * The getting-started checklist after /setup, ticked off from the data: org units, teams,
 * people (someone besides the first admin can sign in or has an invitation to), a cycle.
 */
export function gettingStarted(counts: AdminCounts): { step: SetupStep; done: boolean }[] {
	return [
		{ step: 'orgUnits', done: counts.orgUnits > 0 },
		{ step: 'teams', done: counts.teams > 0 },
		{ step: 'people', done: counts.users > 1 || counts.pendingInvitations > 0 },
		{ step: 'cycle', done: counts.cycles > 0 }
	];
}
