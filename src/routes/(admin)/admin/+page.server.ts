import { sql } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { requirePermission } from '$lib/server/auth/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'users.manage');
	const [counts] = await event.locals.db
		.select({
			users: sql<number>`(select count(*)::int from ${table.user} where ${table.user.active})`,
			teams: sql<number>`(select count(*)::int from ${table.team} where ${table.team.active})`,
			orgUnits: sql<number>`(select count(*)::int from ${table.orgUnit})`
		})
		.from(sql`(select 1) as one`);
	return { counts: counts ?? { users: 0, teams: 0, orgUnits: 0 } };
};
