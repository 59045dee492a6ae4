import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { teamInScope, type Scope } from '$lib/server/dashboard/scope';

/**
 * Each active team's open improvement-plan items (planned or in progress) in a scope, for the
 * printable report: teams by name, their items soonest due first, overdue when due before `today`.
 */
export async function openPlans(db: Database, scope: Scope, today: string) {
	const rows = await db
		.select({
			teamId: table.team.id,
			team: table.team.name,
			id: table.planItem.id,
			practiceId: table.planItem.practiceId,
			action: table.planItem.action,
			owner: table.user.name,
			dueOn: table.planItem.dueOn,
			status: table.planItem.status
		})
		.from(table.planItem)
		.innerJoin(table.team, eq(table.team.id, table.planItem.teamId))
		.leftJoin(table.user, eq(table.user.id, table.planItem.ownerId))
		.where(and(inArray(table.planItem.status, ['planned', 'in_progress']), teamInScope(scope)))
		.orderBy(asc(table.team.name), asc(table.planItem.dueOn), asc(table.planItem.createdAt));
	const teams: { teamId: string; team: string; items: (typeof rows)[number][] }[] = [];
	for (const r of rows) {
		if (teams.at(-1)?.teamId !== r.teamId)
			teams.push({ teamId: r.teamId, team: r.team, items: [] });
		teams.at(-1)!.items.push(r);
	}
	return teams.map((t) => ({
		...t,
		items: t.items.map((i) => ({
			id: i.id,
			practiceId: i.practiceId,
			action: i.action,
			owner: i.owner,
			dueOn: i.dueOn,
			status: i.status,
			overdue: i.dueOn < today
		}))
	}));
}
