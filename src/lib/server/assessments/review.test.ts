import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import type { GlobalRole } from '$lib/server/db/schema';
import { loadModel } from '$lib/server/model/load-model';
import { openCycle } from './cycles';
import { findAssessment } from './assessments';
import { listReviewQueue, reviewersOutsideTeam, transitionAssessment } from './review';

// Separation of duties, tried by the people it is meant to stop: a reviewer who belongs to a
// team approving or returning its assessment. Each case starts from a fresh organisation.
describe('reviewing an assessment', () => {
	let handle: DatabaseHandle | undefined;
	const people: Record<string, { id: string; role: GlobalRole }> = {};
	let teamId = '';
	let otherTeamId = '';

	const person = async (key: string, role: GlobalRole, active = true) => {
		const [u] = await handle!.db
			.insert(table.user)
			.values({ email: `${key}@example.com`, name: key, passwordHash: 'x', role, active })
			.returning();
		people[key] = { id: u!.id, role };
		return u!.id;
	};
	const join = (key: string, team = teamId) =>
		handle!.db.insert(table.teamMember).values({ teamId: team, userId: people[key]!.id });
	const assessment = async (team = teamId) =>
		(await findAssessment(handle!.db, team, '2026-Q1'))!.assessment;
	const step = async (
		key: string,
		s: 'submit' | 'approve' | 'return',
		comment = 'Please add evidence',
		team = teamId
	) =>
		transitionAssessment(
			handle!.db,
			{ actor: people[key]!, actorId: people[key]!.id, ip: '127.0.0.1', teamId: team },
			(await assessment(team)).id,
			s,
			comment,
			// Everything unanswered is confirmed: these tests are about who may review.
			{ model: loadModel(), confirmedUnanswered: Number.MAX_SAFE_INTEGER }
		);
	const audits = () =>
		handle!.db
			.select()
			.from(table.auditLog)
			.where(
				and(
					eq(table.auditLog.targetType, 'assessment'),
					eq(table.auditLog.action, 'assessment.approved')
				)
			);

	beforeEach(async () => {
		await handle?.close();
		handle = await createTestDatabase();
		const teams = await handle.db
			.insert(table.team)
			.values([
				{ name: 'Payments', slug: 'payments' },
				{ name: 'Search', slug: 'search' }
			])
			.returning();
		teamId = teams[0]!.id;
		otherTeamId = teams[1]!.id;
		await person('lead', 'member');
		await join('lead');
		await openCycle(handle.db, { actorId: people.lead!.id, ip: '127.0.0.1' }, loadModel(), {
			name: '2026-Q1',
			startsOn: '2026-01-01',
			dueOn: '2026-03-31'
		});
		expect((await step('lead', 'submit')).ok).toBe(true);
	});
	afterAll(() => handle?.close());

	it('refuses a security reviewer their own team, approve and return alike, and changes nothing', async () => {
		await person('insider', 'security');
		await join('insider');
		await person('outsider', 'security');
		for (const s of ['approve', 'return'] as const) {
			const result = await step('insider', s);
			expect(result).toMatchObject({ ok: false, field: 'form' });
			expect((result as { message: string }).message).toMatch(/separation of duties/);
		}
		const a = await assessment();
		expect(a.status).toBe('submitted');
		expect(a.reviewedBy).toBeNull();
		expect(await audits()).toHaveLength(0);
		// Someone outside the team may.
		expect((await step('outsider', 'approve')).ok).toBe(true);
		expect((await assessment()).selfReviewed).toBe(false);
	});

	it('refuses an admin who belongs to the team while another reviewer exists', async () => {
		await person('admin', 'admin');
		await join('admin');
		await person('outsider', 'security');
		expect((await step('admin', 'approve')).ok).toBe(false);
		expect((await assessment()).status).toBe('submitted');
	});

	it('lets the only reviewer the organisation has review their own team, marked as a self-review', async () => {
		await person('admin', 'admin');
		await join('admin');
		// Neither counts: a deactivated reviewer, and leadership (no right to review).
		await person('former', 'security', false);
		await person('cto', 'leadership');
		expect(await reviewersOutsideTeam(handle!.db, teamId)).toBe(0);
		expect((await step('admin', 'approve')).ok).toBe(true);
		const a = await assessment();
		expect(a.status).toBe('approved');
		expect(a.selfReviewed).toBe(true);
		const [entry] = await audits();
		expect(entry!.detail).toMatchObject({ selfReview: true });
		// Submitting again clears the mark until the next review.
		await handle!.db
			.update(table.assessment)
			.set({ status: 'returned' })
			.where(eq(table.assessment.id, a.id));
		expect((await step('lead', 'submit')).ok).toBe(true);
		expect((await assessment()).selfReviewed).toBe(false);
	});

	it('never lets someone without the right review, whatever their team', async () => {
		await person('cto', 'leadership');
		await person('member', 'member');
		await join('member');
		expect((await step('cto', 'approve')).ok).toBe(false);
		expect((await step('member', 'approve')).ok).toBe(false);
		expect((await step('lead', 'return')).ok).toBe(false);
		expect((await assessment()).status).toBe('submitted');
	});

	it("shows a reviewer's own team in the queue as not theirs to review", async () => {
		await person('insider', 'security');
		await join('insider');
		await person('outsider', 'security');
		await person('otherLead', 'member');
		await join('otherLead', otherTeamId);
		expect((await step('otherLead', 'submit', '', otherTeamId)).ok).toBe(true);
		const queue = await listReviewQueue(handle!.db, people.insider!);
		const byTeam = Object.fromEntries(queue.map((q) => [q.team, q.review]));
		expect(byTeam).toEqual({
			Payments: { allowed: false, reason: 'ownTeam' },
			Search: { allowed: true, selfReview: false }
		});
		const outsider = await listReviewQueue(handle!.db, people.outsider!);
		expect(outsider.every((q) => q.review.allowed)).toBe(true);
	});
});
