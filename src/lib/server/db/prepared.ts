import type { Database } from './client';

/**
 * Drizzle builds a query's SQL text anew every time it runs: about 0.2 ms of CPU for a
 * select, more than running it takes on the embedded database. A query that runs on every
 * request (the session, the team guard) is built once per database instead, with
 * `sql.placeholder` for its values, and run with `.execute({...})`.
 *
 * Keyed by the database object: a test's database gets its own, and a transaction (another
 * object) must not use these (they run outside it).
 */
const built = new WeakMap<Database, Map<string, unknown>>();

export function preparedQuery<T>(db: Database, name: string, build: (db: Database) => T): T {
	let queries = built.get(db);
	if (!queries) built.set(db, (queries = new Map()));
	let query = queries.get(name) as T | undefined;
	if (!query) queries.set(name, (query = build(db)));
	return query;
}
