import type { Sql } from 'postgres';

/**
 * A bound on how long a statement waits for a PostgreSQL connection. When the server goes away
 * while postgres-js (3.4.9) is opening a connection for a statement, it retries that connection
 * until the server is back — for the whole outage — and the request waits with it. Past the
 * bound such a statement fails with CONNECT_TIMEOUT, which the database-unavailable path answers
 * with 503 and Retry-After (db/errors.ts); and it must then never run later, when the server is
 * back, after the person was told it failed: a transaction that had not started yet rolls back
 * as soon as it starts, and a statement still waiting is turned into `select 1`. That keeps the
 * connection postgres-js was opening for it usable (a cancelled statement would leave it stuck).
 * A statement the server already received runs for as long as it takes.
 *
 * postgres-js also loses connections of its pool when statements pile up while the server is
 * away (measured: a pool of 4 served 2 at a time afterwards). So once a statement has waited in
 * vain, the pool is replaced by a new one and the old one is ended (what runs on it may finish):
 * the instance recovers its whole pool without a restart.
 *
 * For one bound after a statement waited in vain, new statements fail at once instead of
 * waiting again: a request whose first statement's failure is tolerated (the request budget
 * lets the request through) would otherwise wait once per statement.
 */

/** The error a statement gets when no connection came within the bound. */
export class ConnectionWaitTimeout extends Error {
	readonly code = 'CONNECT_TIMEOUT';
	constructor(seconds: number) {
		super(`No PostgreSQL connection within ${seconds} s (DATABASE_WAIT_SECONDS).`);
		this.name = 'ConnectionWaitTimeout';
	}
}

/** DATABASE_WAIT_SECONDS: a number of seconds, 5 unless set. */
export function databaseWaitSeconds(value: string | undefined): number {
	const text = value?.trim() || '5';
	const seconds = Number(text);
	if (!/^[\d.]+$/.test(text) || !Number.isFinite(seconds) || seconds < 0.5 || seconds > 600) {
		throw new Error(
			`DATABASE_WAIT_SECONDS must be a number of seconds from 0.5 to 600, not "${text}".`
		);
	}
	return seconds;
}

/** What postgres-js keeps on a statement (src/query.js): `state` is set when it is sent. */
interface PendingQuery {
	state: unknown;
	strings: string[];
	args: unknown[];
	options: Record<string, unknown>;
	reject(e: unknown): void;
}

interface Waiting {
	since: number;
	pool: Sql;
	/** Still waiting for a connection? */
	waiting(): boolean;
	expire(e: ConnectionWaitTimeout): void;
}

/** How long an old pool's statements may still run after it was replaced, in seconds. */
const RETIRED_POOL_GRACE = 10;

/**
 * The client drizzle is given: a pool from `open` whose `unsafe` and `begin` wait at most
 * `seconds` for a connection, replaced by a new pool from `open` after such a wait.
 */
export function withBoundedWait<S extends Sql>(open: () => S, seconds: number): S {
	const bound = seconds * 1000;
	const waiting = new Set<Waiting>();
	const first = open();
	let current = first;
	/** Until when statements fail at once (performance.now()), after one waited in vain. */
	let failFastUntil = 0;
	/** When a statement last succeeded: the database answers, whatever one stuck connection says. */
	let answeredAt = 0;
	const failFast = () => performance.now() < failFastUntil;
	const retire = (pool: Sql) => {
		if (pool !== current) return;
		const fresh = open();
		// drizzle-orm set its own parsers and serializers on the pool it was given.
		Object.assign(fresh.options.parsers, current.options.parsers);
		Object.assign(fresh.options.serializers, current.options.serializers);
		current = fresh;
		retired.add(pool);
		void pool
			.end({ timeout: RETIRED_POOL_GRACE })
			.catch(() => {})
			.then(() => retired.delete(pool));
	};
	/** Replaced pools still ending: closing the client ends them too (or the process lives on). */
	const retired = new Set<Sql>();
	let sweeper: ReturnType<typeof setInterval> | undefined;
	const sweep = () => {
		const now = performance.now();
		for (const w of waiting) {
			if (!w.waiting()) waiting.delete(w);
			else if (now - w.since >= bound) {
				waiting.delete(w);
				w.expire(new ConnectionWaitTimeout(seconds));
				// A statement left on a pool already replaced, or while others are answered, says
				// nothing about whether the database is there.
				if (w.pool === current && now - answeredAt > bound) failFastUntil = now + bound;
				retire(w.pool);
			}
		}
		if (waiting.size === 0) {
			clearInterval(sweeper);
			sweeper = undefined;
		}
	};
	const watch = (w: Waiting) => {
		waiting.add(w);
		// One timer for every waiting statement, only while there are some.
		sweeper ??= setInterval(sweep, Math.min(250, bound / 4));
		sweeper.unref?.();
	};

	return new Proxy(first, {
		apply: (_target, self, args) => Reflect.apply(current, self, args),
		get(_target, property) {
			const target = current;
			if (property === 'end') {
				return (options?: Parameters<Sql['end']>[0]) =>
					Promise.all([target, ...retired].map((pool) => pool.end(options))).then(() => {});
			}
			if (property === 'unsafe') {
				return (...args: Parameters<Sql['unsafe']>) => {
					const query = target.unsafe(...args);
					const pending = query as unknown as PendingQuery;
					let settled = false;
					const done = () => {
						settled = true;
					};
					Promise.resolve(query).then(() => {
						done();
						answeredAt = performance.now();
					}, done);
					const waitingFor: Waiting = {
						since: performance.now(),
						pool: target,
						waiting: () => !settled && pending.state == null,
						expire: (e) => {
							pending.reject(e);
							pending.strings = ['select 1'];
							pending.args = [];
							pending.options = { ...pending.options, prepare: false };
						}
					};
					if (failFast()) waitingFor.expire(new ConnectionWaitTimeout(seconds));
					else watch(waitingFor);
					return query;
				};
			}
			if (property === 'begin') {
				return (...args: unknown[]) => {
					if (failFast()) return Promise.reject(new ConnectionWaitTimeout(seconds));
					const i = args.findIndex((a) => typeof a === 'function');
					const callback = args[i] as (tx: unknown) => unknown;
					let started = false;
					let expired: ConnectionWaitTimeout | undefined;
					args[i] = (tx: unknown) => {
						started = true;
						// Too late: the request was answered. Throwing rolls the transaction back.
						if (expired) throw expired;
						return callback(tx);
					};
					const begun = (target.begin as (...a: unknown[]) => Promise<unknown>)(...args);
					return new Promise((resolve, reject) => {
						begun.then(resolve, reject);
						watch({
							since: performance.now(),
							pool: target,
							waiting: () => !started && !expired,
							expire: (e) => {
								expired = e;
								reject(e);
							}
						});
					});
				};
			}
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
}
