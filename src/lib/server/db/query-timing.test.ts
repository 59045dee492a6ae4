import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from './test-db';
import type { DatabaseHandle } from './client';
import { queriesInFlight, queryDurations } from './query-timing';

// On PGlite by default, on PostgreSQL when DATABASE_URL is set: the same client either way.
describe('query timing', () => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		handle = await createTestDatabase();
	});
	afterAll(() => handle?.close());

	const counted = () => queryDurations.count([handle.kind]);

	it('counts every statement drizzle sends, inside transactions and failed ones too', async () => {
		const before = counted();
		await handle.db.execute(sql`select 1`);
		await handle.db.transaction(async (tx) => {
			await tx.execute(sql`select 2`);
			await tx.execute(sql`select 3`);
		});
		await expect(handle.db.execute(sql`select * from no_such_table`)).rejects.toThrow();
		// begin and commit are statements too on PGlite; PostgreSQL's pool sends them itself.
		expect(counted() - before).toBeGreaterThanOrEqual(4);
		expect(queriesInFlight[handle.kind]).toBe(0);
	});

	it('times a statement from its call to its answer', async () => {
		const before = queryDurations.render();
		const sumOf = (text: string) =>
			Number(
				new RegExp(
					`rampart_db_query_duration_seconds_sum\\{database="${handle.kind}"\\} (\\S+)`
				).exec(text)?.[1] ?? 0
			);
		await handle.db.execute(sql`select pg_sleep(0.2)`);
		expect(sumOf(queryDurations.render()) - sumOf(before)).toBeGreaterThanOrEqual(0.19);
	});

	it('keeps the figures for /metrics', () => {
		const stats = handle.stats!();
		if (handle.kind === 'pglite') {
			expect(stats.connections).toBe(1);
			expect(stats.wasmMemoryBytes).toBeGreaterThan(16 * 1024 * 1024);
			expect(stats.preparedStatements).toBeGreaterThan(0);
		} else {
			expect(stats.connections).toBe(4);
		}
	});
});
