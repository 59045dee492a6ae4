import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { isHttpError } from '@sveltejs/kit';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { seedDemo } from '$lib/server/demo/seed';
import { actions, load } from './+page.server';

// The review page and action, tried by a security reviewer who belongs to the team: no form on
// the page, and a crafted POST answers 403 and changes nothing.
describe("reviewing one's own team's assessment", () => {
	let handle: DatabaseHandle;
	let insider: SessionUser;
	let outsider: SessionUser;
	let slug = '';
	let cycle = '';
	let assessmentId = '';

	beforeAll(async () => {
		handle = await createTestDatabase();
		await seedDemo(handle.db, 'demo password for tests');
		const reviewers = await handle.db
			.select()
			.from(table.user)
			.where(eq(table.user.role, 'security'));
		expect(reviewers.length).toBeGreaterThan(1);
		const [a, b] = reviewers.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role }));
		insider = a!;
		outsider = b!;
		const [row] = await handle.db
			.select({ team: table.team, cycle: table.cycle, id: table.assessment.id })
			.from(table.assessment)
			.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
			.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
			.where(and(eq(table.cycle.status, 'open'), eq(table.assessment.status, 'draft')))
			.limit(1);
		slug = row!.team.slug;
		cycle = row!.cycle.name;
		assessmentId = row!.id;
		await handle.db
			.update(table.assessment)
			.set({ status: 'submitted' })
			.where(eq(table.assessment.id, assessmentId));
		await handle.db
			.insert(table.teamMember)
			.values({ teamId: row!.team.id, userId: insider!.id, role: 'member' })
			.onConflictDoNothing();
	});
	afterAll(() => handle.close());

	const event = (user: SessionUser, form?: Record<string, string>) =>
		({
			locals: { db: handle.db, user, ip: '127.0.0.1' },
			params: { slug, cycle },
			url: new URL(`http://127.0.0.1/teams/${slug}/assessments/${cycle}`),
			request: new Request('http://127.0.0.1/', {
				method: 'POST',
				body: new URLSearchParams(form ?? {})
			})
		}) as never;
	const status = async () =>
		(
			await handle.db
				.select({ status: table.assessment.status, reviewedBy: table.assessment.reviewedBy })
				.from(table.assessment)
				.where(eq(table.assessment.id, assessmentId))
		)[0]!;

	it('shows the insider no review form and says why; the outsider gets it', async () => {
		const mine = (await load(event(insider))) as { canReview: boolean; ownTeamReview: boolean };
		expect(mine.canReview).toBe(false);
		expect(mine.ownTeamReview).toBe(true);
		const theirs = (await load(event(outsider))) as { canReview: boolean };
		expect(theirs.canReview).toBe(true);
	});

	it('answers a crafted approve or return from the insider with 403 and changes nothing', async () => {
		for (const decision of ['approve', 'return']) {
			const refused = await Promise.resolve(
				actions.review!(event(insider, { decision, comment: 'looks fine' }))
			).then(
				() => null,
				(e: unknown) => e
			);
			expect(isHttpError(refused) && refused.status).toBe(403);
		}
		expect(await status()).toEqual({ status: 'submitted', reviewedBy: null });
		const approvals = await handle.db
			.select()
			.from(table.auditLog)
			.where(
				and(
					eq(table.auditLog.targetId, assessmentId),
					eq(table.auditLog.action, 'assessment.approved')
				)
			);
		expect(approvals).toHaveLength(0);
		await actions.review!(event(outsider, { decision: 'approve', comment: '' }));
		expect(await status()).toEqual({ status: 'approved', reviewedBy: outsider.id });
	});
});

// The submit action from a crafted form: without the confirmation, or with a made-up number,
// nothing is submitted.
describe('submitting through the action', () => {
	let handle: DatabaseHandle;
	let lead: SessionUser;
	let slug = '';
	let cycle = '';
	let assessmentId = '';

	beforeAll(async () => {
		handle = await createTestDatabase();
		await seedDemo(handle.db, 'demo password for tests');
		const [row] = await handle.db
			.select({ team: table.team, cycle: table.cycle, id: table.assessment.id, user: table.user })
			.from(table.assessment)
			.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
			.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
			.innerJoin(
				table.teamMember,
				and(eq(table.teamMember.teamId, table.team.id), eq(table.teamMember.role, 'lead'))
			)
			.innerJoin(table.user, eq(table.user.id, table.teamMember.userId))
			.where(and(eq(table.cycle.status, 'open'), eq(table.assessment.status, 'draft')))
			.limit(1);
		slug = row!.team.slug;
		cycle = row!.cycle.name;
		assessmentId = row!.id;
		const u = row!.user;
		lead = { id: u.id, email: u.email, name: u.name, role: u.role };
	});
	afterAll(() => handle.close());

	const submit = (form: Record<string, string>) =>
		actions.submit!({
			locals: { db: handle.db, user: lead, ip: '127.0.0.1' },
			params: { slug, cycle },
			url: new URL(`http://127.0.0.1/teams/${slug}/assessments/${cycle}`),
			request: new Request('http://127.0.0.1/', { method: 'POST', body: new URLSearchParams(form) })
		} as never) as Promise<{ status?: number; data?: { errors: Record<string, string> } }>;
	const status = async () =>
		(
			await handle.db
				.select({ status: table.assessment.status })
				.from(table.assessment)
				.where(eq(table.assessment.id, assessmentId))
		)[0]!.status;

	it('refuses a submission that does not confirm what is unanswered, beside the checkbox', async () => {
		const page = (await load({
			locals: { db: handle.db, user: lead, ip: '127.0.0.1' },
			params: { slug, cycle },
			url: new URL(`http://127.0.0.1/teams/${slug}/assessments/${cycle}`)
		} as never)) as { phases: { unanswered: unknown[] }[]; canSubmit: boolean };
		expect(page.canSubmit).toBe(true);
		const left = page.phases.reduce((n, p) => n + p.unanswered.length, 0);
		expect(left).toBeGreaterThan(0);
		const refused = await submit({});
		expect(refused.status).toBe(400);
		expect(refused.data!.errors.confirmUnanswered).toMatch(`${left} criteria are unanswered`);
		expect((await submit({ confirmUnanswered: 'all of them' })).status).toBe(400);
		expect((await submit({ confirmUnanswered: String(left - 1) })).status).toBe(400);
		expect(await status()).toBe('draft');
		expect(await submit({ confirmUnanswered: String(left) })).toMatchObject({ action: 'submit' });
		expect(await status()).toBe('submitted');
	});
});
