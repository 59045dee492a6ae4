import { sql } from 'drizzle-orm';
import type { Database } from './client';

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
	// drizzle's execute returns rows directly on PostgreSQL and `{ rows }` on PGlite.
	const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
		revision: string;
	}[];
	return rows[0]?.revision ?? '';
}

type Entry = { revision: string; at: number; value: Promise<unknown> };
/** Per database (tests open several in one process), per name. */
const cached = new WeakMap<Database, Map<string, Entry>>();
/** See dataRevision: bounds how long a value computed during an uncommitted write can last. */
const MAX_AGE_MS = 60_000;

/**
 * An organisation-wide value (made from the tables dataRevision watches) computed once per data
 * revision, for pages that show it on every view.
 */
export async function byRevision<T>(
	db: Database,
	name: string,
	make: () => PromiseLike<T>
): Promise<T> {
	const revision = await dataRevision(db);
	let values = cached.get(db);
	if (!values) cached.set(db, (values = new Map()));
	const hit = values.get(name);
	if (hit && hit.revision === revision && Date.now() - hit.at < MAX_AGE_MS)
		return hit.value as Promise<T>;
	// A real promise: awaiting a drizzle query builder again would run the query again.
	const value = Promise.resolve(make());
	const entry = { revision, at: Date.now(), value };
	value.catch(() => {
		if (values.get(name) === entry) values.delete(name);
	});
	values.set(name, entry);
	return value;
}
