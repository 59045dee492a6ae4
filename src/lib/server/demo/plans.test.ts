import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { getModel } from '$lib/server/model/load-model';
import { teamPlan } from '$lib/server/plan/read';
import { seedDemo } from './seed';

describe('demo improvement plans', () => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		handle = await createTestDatabase();
		await seedDemo(handle.db, 'demo password for tests');
	});
	afterAll(() => handle.close());

	/** Every team's plan as its page shows it. */
	const plans = async () => {
		const teams = await handle.db.select().from(table.team);
		const all = [];
		for (const team of teams) {
			const plan = await teamPlan(handle.db, getModel(), team.id, false);
			all.push(...plan.items.map((i) => ({ ...i, team: team.slug })));
		}
		return all;
	};

	it('shows plans at every stage: each status, an overdue item, one met, one carried over', async () => {
		const items = await plans();
		expect(new Set(items.map((i) => i.status))).toEqual(
			new Set(['planned', 'in_progress', 'done', 'dropped'])
		);
		expect(new Set(items.map((i) => i.team)).size).toBeGreaterThanOrEqual(4);
		const payments = items.filter((i) => i.team === 'payments-api');
		expect(payments.filter((i) => i.overdue)).toHaveLength(1);
		expect(payments.filter((i) => i.open && i.met)).toHaveLength(1);
		expect(payments.filter((i) => i.carriedFrom).map((i) => i.carriedFrom)).toEqual(['2026-Q3']);
		expect(payments.some((i) => i.open && i.criterionId === null)).toBe(true);
		// Closed items say when they closed; open ones do not.
		for (const i of items) expect(i.closedAt === null).toBe(i.open);
	});

	it("carries over only from a closed cycle, and links a question of the team's own assessment", async () => {
		const items = await plans();
		const closed = (await handle.db.select().from(table.cycle))
			.filter((c) => c.status === 'closed')
			.map((c) => c.name);
		for (const i of items.filter((x) => x.carriedFrom)) expect(closed).toContain(i.carriedFrom);
		const fromQuestion = items.filter((i) => i.source === 'question');
		expect(fromQuestion.map((i) => i.team)).toEqual(['notifications']);
		const [question] = await handle.db
			.select({
				criterionId: table.reviewQuestion.criterionId,
				teamId: table.assessment.teamId
			})
			.from(table.reviewQuestion)
			.innerJoin(table.assessment, eq(table.assessment.id, table.reviewQuestion.assessmentId))
			.where(eq(table.reviewQuestion.id, fromQuestion[0]!.questionId!));
		const [notifications] = await handle.db
			.select()
			.from(table.team)
			.where(eq(table.team.slug, 'notifications'));
		expect(question).toEqual({
			criterionId: fromQuestion[0]!.criterionId,
			teamId: notifications!.id
		});
	});

	it('gives every item an owner who is a member of its team', async () => {
		const rows = await handle.db
			.select({ teamId: table.planItem.teamId, ownerId: table.planItem.ownerId })
			.from(table.planItem);
		const members = await handle.db.select().from(table.teamMember);
		for (const r of rows)
			expect(members.some((m) => m.teamId === r.teamId && m.userId === r.ownerId)).toBe(true);
	});
});
