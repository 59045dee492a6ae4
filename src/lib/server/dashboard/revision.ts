import { sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import { rowsOf } from './load';

/**
 * The revision of the data behind the dashboard: triggers on every table the figures read (org
 * units, teams, members, cycles, assessments and their scores, tools, adoption, responsibility,
 * certificates) take a new number from the `dashboard_revision` sequence on each write (migration
 * 0003). One cheap read tells whether anything changed; it holds across server instances.
 *
 * On PostgreSQL a reader can see a number taken by a transaction that has not committed yet and
 * cache figures without its change; the cache's maximum age bounds how long that can last. On the
 * embedded database transactions run one at a time, so it cannot happen there.
 */
export async function dataRevision(db: Database): Promise<string> {
	const result = await db.execute(
		sql`select last_value::text || (case when is_called then '' else '-' end) as revision from dashboard_revision`
	);
	return rowsOf<{ revision: string }>(result)[0]?.revision ?? '';
}
