import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { DatabaseHandle } from './client';
import * as table from './schema';
import { writeTogether } from './one-statement';
import { dataRevision } from './revision';
import { createTestDatabase } from './test-db';

describe('writes on several tables in one statement', () => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		handle = await createTestDatabase();
	});
	afterAll(() => handle.close());

	it('makes every write, fires the tables’ triggers and is one statement', async () => {
		const db = handle.db;
		const before = await dataRevision(db);
		const [unit] = await db
			.insert(table.orgUnit)
			.values({ name: 'Payments', kind: 'department' })
			.returning();
		const afterInsert = await dataRevision(db);
		await writeTogether(db, [
			db.insert(table.team).values({ name: 'Ledger', slug: 'ledger', orgUnitId: unit!.id }),
			db
				.update(table.orgUnit)
				.set({ name: 'Payments & Billing' })
				.where(eq(table.orgUnit.id, unit!.id)),
			db.insert(table.auditLog).values({ actorId: null, action: 'test.write', targetType: 'test' })
		]);
		const [team] = await db.select().from(table.team).where(eq(table.team.slug, 'ledger'));
		expect(team?.orgUnitId).toBe(unit!.id);
		const [renamed] = await db.select().from(table.orgUnit).where(eq(table.orgUnit.id, unit!.id));
		expect(renamed?.name).toBe('Payments & Billing');
		const logged = await db
			.select()
			.from(table.auditLog)
			.where(eq(table.auditLog.action, 'test.write'));
		expect(logged).toHaveLength(1);
		// The dashboard's revision triggers fired for the team and org-unit writes.
		expect(afterInsert).not.toBe(before);
		expect(await dataRevision(db)).not.toBe(afterInsert);
	});

	it('writes nothing when one of the writes fails', async () => {
		const db = handle.db;
		const count = async () =>
			(await db.select({ n: sql<number>`count(*)::int` }).from(table.team))[0]!.n;
		const teams = await count();
		await expect(
			writeTogether(db, [
				db.insert(table.team).values({ name: 'Twin', slug: 'twin' }),
				db.insert(table.team).values({ name: 'Ledger again', slug: 'ledger' })
			])
		).rejects.toThrow();
		expect(await count()).toBe(teams);
	});
});
