import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from './client';
import * as table from './schema';
import { byRevision, dataRevision, revisionValidator } from './revision';
import { countStatements, createTestDatabase } from './test-db';

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

	it.skipIf(!!process.env.DATABASE_URL)(
		'is pushed to the embedded database: a committed write moves it, a rolled-back one does not, reading it runs no query',
		async () => {
			const db = handle.db;
			const statements = countStatements(db);
			try {
				const before = await dataRevision(db);
				expect(await dataRevision(db)).toBe(before);
				expect(statements.count).toBe(0);
				await db
					.transaction(async (tx) => {
						await tx.insert(table.orgUnit).values({ name: 'Gone', kind: 'department' });
						tx.rollback();
					})
					.catch(() => {});
				expect(await dataRevision(db)).toBe(before);
				await db.transaction(async (tx) => {
					await tx.insert(table.orgUnit).values({ name: 'Kept', kind: 'department' });
					await tx.insert(table.orgUnit).values({ name: 'Kept too', kind: 'department' });
				});
				const after = await dataRevision(db);
				expect(after).not.toBe(before);
				// A table the dashboard does not read leaves it alone.
				await db
					.insert(table.auditLog)
					.values({ actorId: null, action: 'test', targetType: 'test' });
				expect(await dataRevision(db)).toBe(after);
			} finally {
				statements.stop();
			}
		}
	);
});

describe('a validator (an ETag part) from a data revision', () => {
	const MINUTE = 60_000;
	it('names the process for a pushed revision, which restarts from 0 in the next one', () => {
		const v = revisionValidator('pushed:3', 0);
		expect(v).toMatch(/^pushed:3@[\w-]{36}$/);
		expect(revisionValidator('pushed:3', 10 * MINUTE)).toBe(v);
		expect(revisionValidator('pushed:4', 0)).not.toBe(v);
	});
	it('changes with a read revision and each time the cache age passes', () => {
		const at = 7 * MINUTE;
		expect(revisionValidator('41', at)).toBe(revisionValidator('41', at + MINUTE / 2));
		expect(revisionValidator('41', at)).not.toBe(revisionValidator('41', at + MINUTE));
		expect(revisionValidator('41', at)).not.toBe(revisionValidator('42', at));
	});
});
