import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { Sql } from 'postgres';
import { Histogram } from '$lib/server/observability/metrics';

/**
 * How long the database takes to answer, for /metrics: every statement drizzle sends, from the
 * call to the answer (waiting for PGlite's one connection, or for one of PostgreSQL's pool,
 * included), inside transactions too. Two clock reads and a bucket count per statement.
 */
export const queryDurations = new Histogram(
	'rampart_db_query_duration_seconds',
	'Time from sending a statement to the database to its answer, waiting for a connection included.',
	[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
	['database']
);

/** Statements sent and not yet answered, per database kind. */
export const queriesInFlight = { pglite: 0, postgres: 0 };

type Kind = keyof typeof queriesInFlight;

function timed<T>(kind: Kind, run: () => Promise<T>): Promise<T> {
	const start = performance.now();
	queriesInFlight[kind]++;
	const done = () => {
		queriesInFlight[kind]--;
		queryDurations.observe([kind], (performance.now() - start) / 1000);
	};
	const result = run();
	result.then(done, done);
	return result;
}

type Client = PGlite | Transaction;

/** The PGlite client drizzle is given, timing `query` on it and inside its transactions. */
export function withQueryTiming<C extends Client>(client: C): C {
	// A replacement assigned to `query` (a test counting queries) sits in front of this one.
	let query: Client['query'] = (text, params, options) =>
		timed('pglite', () => client.query(text, params, options));
	return new Proxy(client, {
		get(target, property) {
			if (property === 'query') return query;
			if (property === 'transaction' && 'transaction' in target) {
				return <T>(callback: (tx: Transaction) => Promise<T>) =>
					target.transaction((tx) => callback(withQueryTiming(tx)));
			}
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? value.bind(target) : value;
		},
		set(target, property, value) {
			if (property === 'query') query = value as Client['query'];
			else Reflect.set(target, property, value, target);
			return true;
		}
	});
}

/**
 * The postgres-js client drizzle is given, timing `unsafe` (drizzle sends every statement
 * through it) on the pool and inside `begin` and `savepoint`. postgres-js runs a statement when
 * it is first awaited; drizzle sets `.values()` synchronously before that, and the wait here
 * starts it only after the current task (postgres-js defers the send by a microtask).
 */
export function withPostgresQueryTiming<S extends Sql>(sql: S): S {
	return new Proxy(sql, {
		get(target, property) {
			if (property === 'unsafe') {
				return (...args: Parameters<Sql['unsafe']>) => {
					const pending = target.unsafe(...args);
					void timed('postgres', () => Promise.resolve(pending));
					return pending;
				};
			}
			if (property === 'begin' || property === 'savepoint') {
				const original = Reflect.get(target, property, target) as (
					...args: unknown[]
				) => Promise<unknown>;
				return (...args: unknown[]) => {
					const i = args.findIndex((a) => typeof a === 'function');
					if (i >= 0) {
						const callback = args[i] as (tx: Sql) => unknown;
						args[i] = (tx: Sql) => callback(withPostgresQueryTiming(tx));
					}
					return original.apply(target, args);
				};
			}
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? value.bind(target) : value;
		},
		apply(target, thisArg, args) {
			return Reflect.apply(target as never, thisArg, args);
		}
	});
}
