import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from './client';
import * as table from './schema';
import { byRevision, dataRevision } from './revision';
import { createTestDatabase } from './test-db';

describe('values cached per data revision', () => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		handle = await createTestDatabase();
	});
	afterAll(() => handle.close());

	it('runs the query once while nothing changes, again after a write', async () => {
		let runs = 0;
		// A thenable like a drizzle query builder: each `then` would run the query again.
		const query = () => ({
			then<R>(resolve: (value: number) => R) {
				runs++;
				return Promise.resolve(resolve(runs));
			}
		});
		const first = await byRevision(handle.db, 'test.count', query);
		expect(await byRevision(handle.db, 'test.count', query)).toBe(first);
		expect(runs).toBe(1);
		const before = await dataRevision(handle.db);
		await handle.db.insert(table.orgUnit).values({ name: 'Payments', kind: 'department' });
		expect(await dataRevision(handle.db)).not.toBe(before);
		expect(await byRevision(handle.db, 'test.count', query)).toBe(2);
		expect(runs).toBe(2);
	});
});
