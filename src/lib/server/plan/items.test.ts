import { and, asc, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as table from '$lib/server/db/schema';
import { rowsOf } from '$lib/server/db/rows';
import { loadModel } from '$lib/server/model/load-model';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { changePlanStatus, createPlanItem, editPlanItem, type NewPlanItem } from './items';

const model = loadModel();
const ON = '2026-11-29';
const FUTURE = '2027-01-15';
const criterion = 'threat-modeling.1.a';

describe('writing the improvement plan', () => {
	const t = testOrganisation();
	const ctx = () => ({ actorId: t.org.user('Ann'), ip: '203.0.113.5' });
	const alpha = () => t.org.team('alpha');
	const item = (more: Partial<NewPlanItem> = {}): NewPlanItem => ({
		practiceId: 'threat-modeling',
		criterionId: criterion,
		action: 'Run a threat modeling session for the payments flow',
		ownerId: t.org.user('Bo'),
		dueOn: FUTURE,
		source: 'next_step',
		questionId: null,
		...more
	});
	/** Every plan item and audit entry, as text: a refused write must change neither. */
	const snapshot = async () => {
		const rows = async (name: string) =>
			rowsOf(await t.db.execute(sql`select * from ${sql.identifier(name)} order by 1`)).map((r) =>
				JSON.stringify(r)
			);
		return { items: await rows('plan_item'), audit: await rows('audit_log') };
	};
	const auditOf = (id: string) =>
		t.db
			.select()
			.from(table.auditLog)
			.where(and(eq(table.auditLog.targetType, 'plan_item'), eq(table.auditLog.targetId, id)))
			.orderBy(asc(table.auditLog.id));
	const stored = async (id: string) =>
		(await t.db.select().from(table.planItem).where(eq(table.planItem.id, id)))[0]!;

	it('stores an item for the team with the current cycle, and audits it', async () => {
		const result = await createPlanItem(t.db, ctx(), model, alpha(), item(), ON);
		if (!result.ok) throw new Error(JSON.stringify(result));
		const row = await stored(result.id);
		expect(row).toMatchObject({
			teamId: alpha(),
			practiceId: 'threat-modeling',
			criterionId: criterion,
			ownerId: t.org.user('Bo'),
			dueOn: FUTURE,
			status: 'planned',
			source: 'next_step',
			version: 1,
			createdBy: t.org.user('Ann'),
			// The newest open cycle of the test organisation.
			cycleId: t.org.cycle('2026-Q2'),
			closedAt: null
		});
		const entries = await auditOf(result.id);
		expect(entries.map((e) => [e.action, e.actorId, e.teamId])).toEqual([
			['plan.item_created', t.org.user('Ann'), alpha()]
		]);
		expect(entries[0]!.detail).toMatchObject({ ownerId: t.org.user('Bo'), cycle: '2026-Q2' });
	});

	it('stores a practice-level item without a criterion', async () => {
		const result = await createPlanItem(
			t.db,
			ctx(),
			model,
			alpha(),
			item({ criterionId: null, source: 'target' }),
			ON
		);
		expect(result.ok).toBe(true);
	});

	describe('refuses bad input and stores nothing', () => {
		const cases: [string, () => Partial<NewPlanItem>, Record<string, string>][] = [
			[
				'an owner from another team',
				() => ({ ownerId: t.org.user('Cy') }),
				{ ownerId: 'ownerNotMember' }
			],
			[
				'an owner who does not exist',
				() => ({ ownerId: crypto.randomUUID() }),
				{ ownerId: 'ownerNotMember' }
			],
			['a due date in the past', () => ({ dueOn: '2026-11-28' }), { dueOn: 'dueInPast' }],
			[
				'an unknown practice',
				() => ({ practiceId: 'made-up', criterionId: null }),
				{ practiceId: 'unknownPractice' }
			],
			[
				'an unknown criterion',
				() => ({ criterionId: 'threat-modeling.9.z' }),
				{ criterionId: 'unknownCriterion' }
			],
			[
				'a criterion of another practice',
				() => ({ criterionId: 'code-review.1.a' }),
				{ criterionId: 'unknownCriterion' }
			],
			[
				'a question without its id',
				() => ({ source: 'question' }),
				{ questionId: 'unknownQuestion' }
			],
			[
				'everything at once',
				() => ({ ownerId: t.org.user('Cy'), dueOn: '2020-01-01', criterionId: 'code-review.1.a' }),
				{ ownerId: 'ownerNotMember', dueOn: 'dueInPast', criterionId: 'unknownCriterion' }
			]
		];
		for (const [what, change, problems] of cases) {
			it(what, async () => {
				const before = await snapshot();
				const result = await createPlanItem(t.db, ctx(), model, alpha(), item(change()), ON);
				expect(result).toEqual({ ok: false, kind: 'invalid', problems });
				expect(await snapshot()).toEqual(before);
			});
		}

		it('an owner who was deactivated', async () => {
			const before = await snapshot();
			const beta = t.org.team('beta');
			const result = await createPlanItem(
				t.db,
				{ actorId: t.org.user('Cy'), ip: '' },
				model,
				beta,
				item({ ownerId: t.org.user('Dee') }),
				ON
			);
			expect(result).toMatchObject({ ok: false, problems: { ownerId: 'ownerNotMember' } });
			expect(await snapshot()).toEqual(before);
		});

		it("a reviewer's question on another team's assessment, or on another criterion", async () => {
			const betaAssessment = t.org.assessments.find(
				(a) => a.teamId === t.org.team('beta') && a.cycleId === t.org.cycle('2026-Q2')
			)!;
			const alphaAssessment = t.org.assessments.find(
				(a) => a.teamId === alpha() && a.cycleId === t.org.cycle('2026-Q2')
			)!;
			const [theirs, ours] = await t.db
				.insert(table.reviewQuestion)
				.values([
					{ assessmentId: betaAssessment.id, criterionId: criterion },
					{ assessmentId: alphaAssessment.id, criterionId: 'threat-modeling.1.b' }
				])
				.returning({ id: table.reviewQuestion.id });
			const before = await snapshot();
			for (const questionId of [theirs!.id, ours!.id]) {
				const result = await createPlanItem(
					t.db,
					ctx(),
					model,
					alpha(),
					item({ source: 'question', questionId }),
					ON
				);
				expect(result).toEqual({
					ok: false,
					kind: 'invalid',
					problems: { questionId: 'unknownQuestion' }
				});
			}
			expect(await snapshot()).toEqual(before);
			// The same question on its own criterion is accepted and linked.
			const linked = await createPlanItem(
				t.db,
				ctx(),
				model,
				alpha(),
				item({ source: 'question', questionId: ours!.id, criterionId: 'threat-modeling.1.b' }),
				ON
			);
			if (!linked.ok) throw new Error(JSON.stringify(linked));
			expect((await stored(linked.id)).questionId).toBe(ours!.id);
		});

		it("another team's item id, for an edit or a status change", async () => {
			const beta = t.org.team('beta');
			const theirs = await createPlanItem(
				t.db,
				{ actorId: t.org.user('Cy'), ip: '' },
				model,
				beta,
				item({ ownerId: t.org.user('Cy') }),
				ON
			);
			if (!theirs.ok) throw new Error(JSON.stringify(theirs));
			const before = await snapshot();
			const edit = {
				action: 'Taken over',
				ownerId: t.org.user('Bo'),
				dueOn: FUTURE,
				baseVersion: 1
			};
			expect(await editPlanItem(t.db, ctx(), alpha(), theirs.id, edit, ON)).toEqual({
				ok: false,
				kind: 'notFound'
			});
			expect(
				await changePlanStatus(t.db, ctx(), alpha(), theirs.id, {
					status: 'dropped',
					baseVersion: 1
				})
			).toEqual({ ok: false, kind: 'notFound' });
			expect(await snapshot()).toEqual(before);
		});
	});

	it('edits an item, and refuses a stale edit showing what is stored and who changed it', async () => {
		const made = await createPlanItem(t.db, ctx(), model, alpha(), item(), ON);
		if (!made.ok) throw new Error(JSON.stringify(made));
		const first = {
			action: 'Model the card flow',
			ownerId: t.org.user('Ann'),
			dueOn: '2027-02-01'
		};
		expect(
			await editPlanItem(
				t.db,
				{ actorId: t.org.user('Bo'), ip: '' },
				alpha(),
				made.id,
				{ ...first, baseVersion: 1 },
				ON
			)
		).toEqual({ ok: true, id: made.id, version: 2 });
		const before = await snapshot();
		const stale = await editPlanItem(
			t.db,
			ctx(),
			alpha(),
			made.id,
			{ action: 'Something else', ownerId: t.org.user('Bo'), dueOn: FUTURE, baseVersion: 1 },
			ON
		);
		expect(stale).toEqual({
			ok: false,
			kind: 'conflict',
			current: { ...first, status: 'planned', version: 2, changedBy: 'Bo' }
		});
		expect(await snapshot()).toEqual(before);
		const entries = await auditOf(made.id);
		expect(entries.at(-1)).toMatchObject({
			action: 'plan.item_changed',
			actorId: t.org.user('Bo'),
			detail: {
				from: { action: item().action, ownerId: t.org.user('Bo'), dueOn: FUTURE },
				to: first
			}
		});
		// Unchanged: nothing written, the version stays.
		expect(
			await editPlanItem(t.db, ctx(), alpha(), made.id, { ...first, baseVersion: 2 }, ON)
		).toEqual({ ok: true, id: made.id, version: 2 });
		expect(await snapshot()).toEqual(before);
	});

	it('lets an edit keep a past due date, not move to another one or to an owner outside the team', async () => {
		const made = await createPlanItem(t.db, ctx(), model, alpha(), item(), ON);
		if (!made.ok) throw new Error(JSON.stringify(made));
		await t.db
			.update(table.planItem)
			.set({ dueOn: '2026-10-01' })
			.where(eq(table.planItem.id, made.id));
		const base = { action: 'Still to do', ownerId: t.org.user('Bo'), baseVersion: 1 };
		const before = await snapshot();
		expect(
			await editPlanItem(t.db, ctx(), alpha(), made.id, { ...base, dueOn: '2026-10-02' }, ON)
		).toEqual({ ok: false, kind: 'invalid', problems: { dueOn: 'dueInPast' } });
		expect(
			await editPlanItem(
				t.db,
				ctx(),
				alpha(),
				made.id,
				{ ...base, dueOn: '2026-10-01', ownerId: t.org.user('Fay') },
				ON
			)
		).toEqual({ ok: false, kind: 'invalid', problems: { ownerId: 'ownerNotMember' } });
		expect(await snapshot()).toEqual(before);
		expect(
			await editPlanItem(t.db, ctx(), alpha(), made.id, { ...base, dueOn: '2026-10-01' }, ON)
		).toMatchObject({ ok: true, version: 2 });
	});

	it('closes an item when done or dropped and reopens it, each change audited and versioned', async () => {
		const made = await createPlanItem(t.db, ctx(), model, alpha(), item(), ON);
		if (!made.ok) throw new Error(JSON.stringify(made));
		const change = (status: table.PlanStatus, baseVersion: number) =>
			changePlanStatus(t.db, ctx(), alpha(), made.id, { status, baseVersion });
		expect(await change('in_progress', 1)).toMatchObject({ ok: true, version: 2 });
		expect((await stored(made.id)).closedAt).toBeNull();
		expect(await change('done', 2)).toMatchObject({ ok: true, version: 3 });
		const closed = (await stored(made.id)).closedAt;
		expect(closed).toBeInstanceOf(Date);
		expect(await change('dropped', 3)).toMatchObject({ ok: true, version: 4 });
		expect((await stored(made.id)).closedAt).toEqual(closed);
		// A stale status change is refused with the status as it stands.
		const before = await snapshot();
		expect(await change('planned', 3)).toMatchObject({
			ok: false,
			kind: 'conflict',
			current: { status: 'dropped', version: 4, changedBy: 'Ann' }
		});
		expect(await snapshot()).toEqual(before);
		expect(await change('planned', 4)).toMatchObject({ ok: true, version: 5 });
		expect(await stored(made.id)).toMatchObject({ status: 'planned', closedAt: null });
		const actions = (await auditOf(made.id)).map((e) => [e.action, e.detail]);
		expect(actions).toEqual([
			['plan.item_created', expect.anything()],
			['plan.status_changed', { from: 'planned', to: 'in_progress' }],
			['plan.status_changed', { from: 'in_progress', to: 'done' }],
			['plan.status_changed', { from: 'done', to: 'dropped' }],
			['plan.status_changed', { from: 'dropped', to: 'planned' }]
		]);
	});
});
