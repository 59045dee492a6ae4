import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { transitionAssessment } from '$lib/server/assessments/review';
import { seedDemo } from './seed';

// The demo's questions tell a consistent story: open ones only where the assessment is under
// review, so the submitted assessment that has one cannot be approved until it is answered.
describe('demo questions', () => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		handle = await createTestDatabase();
		await seedDemo(handle.db, 'demo password for tests');
	});
	afterAll(() => handle.close());

	const questions = () =>
		handle.db
			.select({
				id: table.reviewQuestion.id,
				status: table.reviewQuestion.status,
				assessmentId: table.assessment.id,
				assessmentStatus: table.assessment.status,
				teamId: table.assessment.teamId,
				team: table.team.slug,
				cycle: table.cycle.name
			})
			.from(table.reviewQuestion)
			.innerJoin(table.assessment, eq(table.assessment.id, table.reviewQuestion.assessmentId))
			.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
			.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId));

	it('has open, answered and withdrawn questions, open ones only on assessments under review', async () => {
		const rows = await questions();
		// Every question in demo/questions.ts found its team and criterion.
		expect(rows).toHaveLength(6);
		expect(new Set(rows.map((q) => q.status))).toEqual(new Set(['open', 'answered', 'withdrawn']));
		expect(new Set(rows.map((q) => q.cycle))).toEqual(new Set(['2026-Q4']));
		for (const q of rows.filter((r) => r.status === 'open'))
			expect(['submitted', 'returned']).toContain(q.assessmentStatus);
		expect(rows.filter((q) => q.assessmentStatus === 'approved').length).toBeGreaterThan(0);
		expect(rows.filter((q) => q.assessmentStatus === 'draft')).toEqual([]);
	});

	it('threads start with the security team; answers come from the team, in order', async () => {
		const messages = await handle.db
			.select({
				questionId: table.questionMessage.questionId,
				at: table.questionMessage.createdAt,
				role: table.user.role,
				member: table.teamMember.userId
			})
			.from(table.questionMessage)
			.innerJoin(
				table.reviewQuestion,
				eq(table.reviewQuestion.id, table.questionMessage.questionId)
			)
			.innerJoin(table.assessment, eq(table.assessment.id, table.reviewQuestion.assessmentId))
			.innerJoin(table.user, eq(table.user.id, table.questionMessage.authorId))
			.leftJoin(
				table.teamMember,
				and(
					eq(table.teamMember.teamId, table.assessment.teamId),
					eq(table.teamMember.userId, table.questionMessage.authorId)
				)
			)
			.orderBy(table.questionMessage.createdAt);
		const rows = await questions();
		for (const q of rows) {
			const thread = messages.filter((m) => m.questionId === q.id);
			expect(thread[0]!.role).toBe('security');
			expect(new Set(thread.map((m) => m.at.getTime())).size).toBe(thread.length);
			if (q.status === 'answered') expect(thread.at(-1)!.member).not.toBeNull();
			if (q.status === 'open') expect(thread.at(-1)!.role).toBe('security');
		}
	});

	it('refuses to approve the submitted assessment with an open question', async () => {
		const open = (await questions()).find(
			(q) => q.status === 'open' && q.assessmentStatus === 'submitted'
		)!;
		const [reviewer] = await handle.db
			.select()
			.from(table.user)
			.where(eq(table.user.email, 'secops@demo.rampart.test'));
		const result = await transitionAssessment(
			handle.db,
			{ actor: reviewer!, actorId: reviewer!.id, ip: '127.0.0.1', teamId: open.teamId },
			open.assessmentId,
			'approve'
		);
		expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/open question/) });
	});
});
