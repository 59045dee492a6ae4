import { sql } from 'drizzle-orm';
import type { Database } from './client';
import { rowsOf } from './rows';

/**
 * The revision of the data behind the dashboard: triggers on every table the figures read (org
 * units, teams, members, cycles, assessments and their scores, tools, adoption, responsibility,
 * certificates) take a new number from the `dashboard_revision` sequence on each write (migration
 * 0003). One cheap read tells whether anything changed; it holds across server instances.
 *
 * On PostgreSQL a reader can see a number taken by a transaction that has not committed yet and
 * cache figures without its change; the cache's maximum age bounds how long that can last. On the
 * embedded database transactions run one at a time, so it cannot happen there; and there the
 * revision is pushed to the process instead of read (followRevision).
 */
export async function dataRevision(db: Database): Promise<string> {
	const followed = pushed.get(db);
	if (followed) return followed.revision;
	const result = await db.execute(
		sql`select last_value::text || (case when is_called then '' else '-' end) as revision from dashboard_revision`
	);
	return rowsOf<{ revision: string }>(result)[0]?.revision ?? '';
}

/**
 * A validator (an HTTP ETag's part) for what was made from the data at `revision`: it changes
 * whenever that data may have. A pushed revision counts this process's writes, so it names the
 * process too (a restart counts from 0 again); a read one can name a write not yet committed
 * (see dataRevision), so it also changes each time the cache's maximum age passes: a page made
 * in that moment is not kept by browsers for more than about twice that age either.
 */
export function revisionValidator(revision: string, now = Date.now()): string {
	return revision.startsWith('pushed:')
		? `${revision}@${PROCESS}`
		: `${revision}@${Math.floor(now / MAX_AGE_MS)}`;
}

/** This process, among every process that served the same data directory before it. */
const PROCESS = crypto.randomUUID();

/** Databases whose changes are pushed to this process (see followRevision). */
const pushed = new WeakMap<Database, { revision: string }>();

/**
 * Keeps the revision in memory from the `dashboard_revision` notifications the same triggers
 * send (migration 0004), so dataRevision costs no query. Only for the embedded database: it is
 * this process's alone (the data directory is locked) and delivers a notification as the
 * statement or transaction that caused it commits, before the writer's own code goes on. On
 * PostgreSQL other servers write too and a notification can come late, so it reads the sequence.
 */
export async function followRevision(
	db: Database,
	listen: (channel: string, onNotify: () => void) => Promise<unknown>
): Promise<void> {
	const state = { revision: 'pushed:0' };
	let changes = 0;
	await listen('dashboard_revision', () => {
		state.revision = `pushed:${++changes}`;
	});
	pushed.set(db, state);
}

/**
 * Runs the computation of a cached value. A test replaces it to see every table a cached value
 * reads, so that each has a revision trigger (revision-coverage.test.ts); the server keeps this
 * plain call (an AsyncLocalStorage here would tax every promise of every request).
 */
export const cachedValueComputation = {
	run: <T>(_key: string, compute: () => T): T => compute()
};

type Entry = { revision: string; at: number; value: Promise<unknown> };
/**
 * Where a cached value is kept: `org` for organisation-wide values (a dashboard entry at 2,000
 * teams holds ~42,000 practice results), `team` for one team's page (small, and many: reading
 * many teams' pages must not push the organisation's figures out).
 */
export type CachePool = 'org' | 'team';
/** Per database (tests open several in one process), per pool, per key. */
const cached = new WeakMap<Database, Record<CachePool, Map<string, Entry>>>();
/** Lookups in the caches of every database, for /metrics: found current, or made afresh. */
export const cacheLookups: Record<CachePool, { hits: number; misses: number }> = {
	org: { hits: 0, misses: 0 },
	team: { hits: 0, misses: 0 }
};
/** See dataRevision: bounds how long a value computed during an uncommitted write can last. */
const MAX_AGE_MS = 60_000;
/** Keys kept per database and pool. */
const LIMIT: Record<CachePool, number> = { org: 32, team: 128 };

/**
 * A value made from the tables dataRevision watches, computed once per key and revision: a newer
 * revision replaces it, and past LIMIT keys the oldest goes first.
 */
export function cachedForRevision<T>(
	db: Database,
	key: string,
	revision: string,
	make: () => PromiseLike<T>,
	pool: CachePool = 'org'
): Promise<T> {
	let pools = cached.get(db);
	if (!pools) cached.set(db, (pools = { org: new Map(), team: new Map() }));
	const values = pools[pool];
	const hit = values.get(key);
	if (hit && hit.revision === revision && Date.now() - hit.at < MAX_AGE_MS) {
		cacheLookups[pool].hits++;
		return hit.value as Promise<T>;
	}
	cacheLookups[pool].misses++;
	values.delete(key);
	if (values.size >= LIMIT[pool]) values.delete(values.keys().next().value!);
	// A real promise: awaiting a drizzle query builder again would run the query again.
	const value = cachedValueComputation.run(key, () => Promise.resolve(make()));
	const entry = { revision, at: Date.now(), value };
	value.catch(() => {
		if (values.get(key) === entry) values.delete(key);
	});
	values.set(key, entry);
	return value;
}

/** An organisation-wide value for pages that show it on every view, at the current revision. */
export async function byRevision<T>(
	db: Database,
	key: string,
	make: () => PromiseLike<T>
): Promise<T> {
	return cachedForRevision(db, key, await dataRevision(db), make);
}
