import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { seedDemo } from './seed';

describe('demo organisation', () => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		handle = await createTestDatabase();
		await seedDemo(handle.db, 'demo password for tests');
	});
	afterAll(() => handle.close());

	it('has every role, 12 teams and three cycles of assessments', async () => {
		const roles = new Set((await handle.db.select().from(table.user)).map((u) => u.role));
		expect([...roles].sort()).toEqual(['admin', 'leadership', 'member', 'security']);
		expect(await handle.db.select().from(table.team)).toHaveLength(12);
		const cycles = await handle.db.select().from(table.cycle);
		expect(cycles.map((c) => `${c.name}:${c.status}`).sort()).toEqual([
			'2026-Q2:closed',
			'2026-Q3:closed',
			'2026-Q4:open'
		]);
		expect(await handle.db.select().from(table.assessment)).toHaveLength(36);
	});

	it('has varied scores that mostly rise, and every status in the current cycle', async () => {
		const rows = await handle.db
			.select({
				cycle: table.cycle.name,
				score: table.assessment.score,
				status: table.assessment.status
			})
			.from(table.assessment)
			.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId));
		const mean = (c: string) => {
			const xs = rows.filter((r) => r.cycle === c).map((r) => r.score ?? 0);
			return xs.reduce((a, b) => a + b, 0) / xs.length;
		};
		expect(mean('2026-Q4')).toBeGreaterThan(mean('2026-Q2'));
		const q4 = rows.filter((r) => r.cycle === '2026-Q4');
		expect(new Set(q4.map((r) => r.status))).toEqual(
			new Set(['draft', 'submitted', 'approved', 'returned'])
		);
		expect(new Set(q4.map((r) => r.score?.toFixed(2))).size).toBeGreaterThan(6);
		expect(q4.every((r) => r.score! > 0 && r.score! < 4)).toBe(true);
	});

	it('dates every submission and review inside its cycle and on or before 2026-11-29', async () => {
		const rows = await handle.db
			.select({
				startsOn: table.cycle.startsOn,
				dueOn: table.cycle.dueOn,
				submittedAt: table.assessment.submittedAt,
				reviewedAt: table.assessment.reviewedAt
			})
			.from(table.assessment)
			.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId));
		const day = (d: Date | null) => d?.toISOString().slice(0, 10);
		const submitted = rows.filter((r) => r.submittedAt);
		expect(submitted.length).toBeGreaterThan(24);
		for (const r of submitted) {
			expect(day(r.submittedAt)! >= r.startsOn && day(r.submittedAt)! <= r.dueOn).toBe(true);
			expect(day(r.submittedAt)! <= '2026-11-29').toBe(true);
			if (r.reviewedAt) expect(r.reviewedAt.getTime()).toBeGreaterThan(r.submittedAt!.getTime());
		}
	});

	it('has varied tool adoption, responsibility with a silo and a gap, and rotas for most teams', async () => {
		const adoption = await handle.db.select().from(table.toolAdoption);
		expect(new Set(adoption.map((a) => a.state))).toEqual(
			new Set(['enforced', 'adopted', 'evaluating'])
		);
		expect(new Set(adoption.map((a) => a.toolId)).size).toBeGreaterThan(15);
		const parties = (await handle.db.select().from(table.responsibility)).map((r) => r.party);
		expect(parties).toContain('nobody');
		expect(parties.filter((p) => p === 'security').length).toBeGreaterThan(12);
		const rotas = await handle.db.select().from(table.rota);
		expect(rotas.length).toBe(9);
	});
});
