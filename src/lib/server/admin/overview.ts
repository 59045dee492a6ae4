import { eq } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';

/** The admin start page's figures: active users, active teams, and org units. */
export async function adminOverview(db: Database) {
	const [users, teams, orgUnits] = await Promise.all([
		db.$count(table.user, eq(table.user.active, true)),
		db.$count(table.team, eq(table.team.active, true)),
		db.$count(table.orgUnit)
	]);
	return { users, teams, orgUnits };
}
