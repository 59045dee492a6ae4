import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from './client';
import { isDatabaseUnavailable } from './errors';
import { databaseWaitSeconds } from './postgres-wait';

describe('databaseWaitSeconds', () => {
	it('is 5 s unless set, and refuses what is not a number of seconds', () => {
		expect(databaseWaitSeconds(undefined)).toBe(5);
		expect(databaseWaitSeconds(' 2.5 ')).toBe(2.5);
		for (const bad of ['0', '-1', 'soon', '5s', '601'])
			expect(() => databaseWaitSeconds(bad), bad).toThrow(/DATABASE_WAIT_SECONDS/);
	});
});

// A PostgreSQL server of this test's own, stopped and started again: it runs in the PostgreSQL
// pass (DATABASE_URL set, as in .ci/run) on a machine with PostgreSQL's programs installed.
const pgBin = ['/usr/lib/postgresql']
	.filter((d) => existsSync(d))
	.flatMap((d) => readdirSync(d).map((v) => path.join(d, v, 'bin')))
	.filter((b) => existsSync(path.join(b, 'pg_ctl')))
	.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
	.pop();
const asRoot = process.getuid?.() === 0;
const port = Number(process.env.PG_OUTAGE_PORT ?? 5400 + Math.floor(Math.random() * 200));
const WAIT = 2;

/** Runs one of PostgreSQL's programs (as the postgres user when this is root), without blocking. */
function pg(program: string, ...args: string[]): Promise<void> {
	const file = path.join(pgBin!, program);
	const [command, argv] = asRoot
		? ['runuser', ['-u', 'postgres', '--', file, ...args]]
		: [file, args];
	return new Promise((resolve, reject) =>
		execFile(command, argv, (e) => (e ? reject(e) : resolve()))
	);
}

describe.skipIf(!process.env.DATABASE_URL || !pgBin)(
	'a statement waits a bounded time for PostgreSQL',
	() => {
		let dir: string;
		let handle: DatabaseHandle;
		const start = () =>
			pg(
				'pg_ctl',
				...['-D', path.join(dir, 'data'), '-l', path.join(dir, 'log'), '-w', 'start'],
				...['-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`]
			);
		const stop = () => pg('pg_ctl', '-D', path.join(dir, 'data'), '-m', 'fast', '-w', 'stop');

		beforeAll(async () => {
			dir = mkdtempSync(path.join(tmpdir(), 'rampart-pg-outage-'));
			if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'])), 0);
			await pg('initdb', '-D', path.join(dir, 'data'), '-U', 'rampart', '-A', 'trust', '--no-sync');
			await start();
			handle = await openDatabase({
				url: `postgres://rampart@127.0.0.1:${port}/postgres`,
				maxConnections: 4,
				waitSeconds: WAIT
			});
			await handle.db.execute(sql`create table saved (n int)`);
		}, 60_000);

		afterAll(async () => {
			await handle?.close().catch(() => {});
			if (dir) {
				await stop().catch(() => {}); // already stopped
				rmSync(dir, { recursive: true, force: true });
			}
		});

		it('answers every statement within the bound while the server is down, runs none of them later, and recovers with its whole pool', async () => {
			const { db } = handle;
			// A steady load, so that connections are being opened when the server goes away.
			const outcomes: { ms: number; unavailable: boolean; ok: boolean }[] = [];
			let running = true;
			const worker = async () => {
				while (running) {
					const t = performance.now();
					try {
						await db.execute(sql`select pg_sleep(0.02)`);
						outcomes.push({ ms: performance.now() - t, unavailable: false, ok: true });
					} catch (e) {
						outcomes.push({
							ms: performance.now() - t,
							unavailable: isDatabaseUnavailable(e),
							ok: false
						});
						await new Promise((r) => setTimeout(r, 50));
					}
				}
			};
			const workers = Array.from({ length: 8 }, worker);
			await new Promise((r) => setTimeout(r, 500));
			await stop();
			// Writes tried during the outage: a statement and a transaction. Both must fail in time.
			const tried = [
				db.execute(sql`insert into saved values (1)`),
				db.transaction(async (tx) => {
					await tx.execute(sql`insert into saved values (2)`);
				})
			].map(async (p) => {
				const t = performance.now();
				const error = await p.then(
					() => undefined,
					(e: unknown) => e
				);
				return { ms: performance.now() - t, error };
			});
			// A request whose first statement's failure is tolerated waits once, not once per statement.
			const request = (async () => {
				const t = performance.now();
				await db.execute(sql`select 1`).catch(() => {});
				await db.execute(sql`select 2`).catch(() => {});
				return performance.now() - t;
			})();
			await new Promise((r) => setTimeout(r, 6000));
			const writes = await Promise.all(tried);
			expect(await request).toBeLessThan((WAIT + 1) * 1000);
			await start();
			// Back within a few bounds: postgres-js keeps a reconnect backoff (up to 20 s) on the
			// connections of the outage's pool, so a statement may still wait in vain on one of them
			// once; the pool is then replaced.
			const until = async (what: string, check: () => Promise<boolean>) => {
				const since = performance.now();
				while (!(await check().catch(() => false))) {
					expect(performance.now() - since, what).toBeLessThan(5 * WAIT * 1000);
					await new Promise((r) => setTimeout(r, 200));
				}
			};
			await until('the database to answer', async () => {
				await db.execute(sql`select 1`);
				return true;
			});
			running = false;
			await Promise.all(workers);

			const failed = outcomes.filter((o) => !o.ok);
			expect(failed.length).toBeGreaterThan(0);
			// Each failure says "unavailable" (503) and came within the bound and the sweep's step.
			expect(failed.filter((o) => !o.unavailable)).toEqual([]);
			expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan((WAIT + 1) * 1000);
			for (const w of writes) {
				expect(isDatabaseUnavailable(w.error)).toBe(true);
				expect(w.ms).toBeLessThan((WAIT + 1) * 1000);
			}

			// Nothing answered as failed ran late.
			let rows: unknown[] = [];
			await until('the table to be read', async () => {
				rows = Array.from((await db.execute(sql`select n from saved`)) as unknown as unknown[]);
				return true;
			});
			expect(rows).toEqual([]);
			// All four connections serve again: four half-second sleeps at once take about half a
			// second (with one connection fewer, a second; without the pool's replacement two of the
			// four stayed lost).
			const fourSleeps = async () => {
				const t = performance.now();
				await Promise.all(Array.from({ length: 4 }, () => db.execute(sql`select pg_sleep(0.5)`)));
				return performance.now() - t;
			};
			await until('the whole pool to serve', async () => (await fourSleeps()) < 1000);
		}, 60_000);
	}
);
