import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { PGlite, type QueryOptions } from '@electric-sql/pglite';
import { PglitePreparedQuery } from 'drizzle-orm/pglite';
import { createTestDatabase } from './test-db';
import type { DatabaseHandle } from './client';
import * as table from './schema';
import { drizzleParsers } from './pglite-parsers';

describe("drizzle's PGlite type parsers, installed once", () => {
	it("are drizzle's own: the same types, each keeping the text", () => {
		const query = new PglitePreparedQuery(
			{} as never,
			'select 1',
			[],
			{ logQuery: () => {} } as never,
			undefined as never,
			undefined,
			undefined,
			[] as never,
			undefined,
			false
		);
		// Private in drizzle's types: read as drizzle's own code reads them.
		const configs = query as unknown as Record<'queryConfig' | 'rawQueryConfig', QueryOptions>;
		for (const config of [configs.queryConfig, configs.rawQueryConfig]) {
			const theirs = config.parsers as Record<number, (v: string) => unknown>;
			expect(Object.keys(drizzleParsers).sort()).toEqual(Object.keys(theirs).sort());
			for (const oid of Object.keys(theirs).map(Number)) {
				expect(drizzleParsers[oid]!('2026-11-23 10:00:00+00')).toBe(
					theirs[oid]!('2026-11-23 10:00:00+00')
				);
			}
		}
	});

	describe.skipIf(Boolean(process.env.DATABASE_URL))('on the embedded database', () => {
		let handle: DatabaseHandle;
		const seen: (QueryOptions | undefined)[] = [];
		const { query, transaction } = PGlite.prototype;
		beforeAll(async () => {
			handle = await createTestDatabase();
			// What PGlite itself is handed, on the client and inside a transaction.
			const spy = (target: Pick<PGlite, 'query'>, query: PGlite['query']) => {
				target.query = function (
					this: unknown,
					text: string,
					params?: unknown[],
					options?: QueryOptions
				) {
					seen.push(options);
					return query.call(this, text, params, options);
				} as PGlite['query'];
			};
			spy(PGlite.prototype, query);
			PGlite.prototype.transaction = function (this: PGlite, callback) {
				return transaction.call(this, (tx) => {
					spy(tx, tx.query.bind(tx));
					return callback(tx);
				});
			} as PGlite['transaction'];
		});
		afterAll(async () => {
			PGlite.prototype.query = query;
			PGlite.prototype.transaction = transaction;
			await handle.close();
		});

		it('send no parsers with a query, in or out of a transaction, and dates come back as before', async () => {
			const [cycle] = await handle.db
				.insert(table.cycle)
				.values({ name: '2026-Q4', startsOn: '2026-10-01', dueOn: '2026-12-15' })
				.returning();
			const [user] = await handle.db
				.insert(table.user)
				.values({ email: 'd@example.com', name: 'Dana', passwordHash: 'x' })
				.returning();
			const inside = await handle.db.transaction((tx) =>
				tx.select().from(table.cycle).where(eq(table.cycle.id, cycle!.id))
			);
			const [outside] = await handle.db
				.select()
				.from(table.user)
				.where(eq(table.user.id, user!.id));
			expect(inside[0]).toMatchObject({ startsOn: '2026-10-01', dueOn: '2026-12-15' });
			expect(outside!.createdAt).toBeInstanceOf(Date);
			expect(outside!.createdAt.getTime()).toBe(user!.createdAt.getTime());
			expect(Math.abs(outside!.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
			// Reads and writes run as prepared statements (pglite-prepared.ts), which send no
			// parsers at all; anything else still goes through PGlite's own query.
			await handle.db.execute(sql`show timezone`);
			expect(seen.length).toBeGreaterThanOrEqual(1);
			// In their place, drizzle's parsers are the client's own (a timestamp without a time
			// zone would otherwise be read in the server's local time).
			const client = (handle.db as unknown as { $client: PGlite }).$client;
			for (const [oid, parser] of Object.entries(drizzleParsers)) {
				expect(client.parsers[Number(oid)], oid).toBe(parser);
			}
			expect(seen.every((options) => options?.parsers === undefined)).toBe(true);
		});
	});
});
