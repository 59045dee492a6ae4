import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import * as table from '$lib/server/db/schema';
import {
	listTeamAssessments,
	saveAnswer,
	savePracticeSettings
} from '$lib/server/assessments/assessments';
import { loadModel } from '$lib/server/model/load-model';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { changePlanStatus, createPlanItem, type NewPlanItem } from './items';
import { teamPlan, teamPlanSummary } from './read';
import { teamPicture } from '$lib/server/assessments/team-picture';

const model = loadModel();
const ON = '2026-11-29';

/*
 * Gamma's 2026-Q2 assessment is a draft with nothing answered. Its plan: a criterion item, a
 * whole-practice item, an overdue item, one carried over from 2026-Q1, a done and a dropped
 * item; Alpha has an item of its own that Gamma's figures must not count.
 */
describe("a team's plan as the team sees it", () => {
	const t = testOrganisation();
	const ids: Record<string, string> = {};
	const ctx = () => ({ actorId: t.org.user('Fay'), ip: '' });
	const current = async (slug: 'gamma' | 'alpha') => {
		const [a] = await listTeamAssessments(t.db, t.org.team(slug));
		return { id: a!.id, cycle: a!.cycle, startsOn: a!.startsOn };
	};
	const add = async (
		name: string,
		more: Partial<NewPlanItem>,
		team: 'gamma' | 'alpha' = 'gamma'
	) => {
		const result = await createPlanItem(
			t.db,
			ctx(),
			model,
			t.org.team(team),
			{
				practiceId: 'threat-modeling',
				criterionId: 'threat-modeling.1.a',
				action: name,
				ownerId: t.org.user('Bo'),
				dueOn: '2027-01-31',
				source: 'manual',
				questionId: null,
				...more
			},
			'2026-01-01'
		);
		if (!result.ok) throw new Error(JSON.stringify(result));
		ids[name] = result.id;
	};
	const answer = async (criterionId: string, value: 1 | 0.5) => {
		const { id } = await current('gamma');
		const [row] = await t.db
			.select({ version: table.answer.version })
			.from(table.answer)
			.where(and(eq(table.answer.assessmentId, id), eq(table.answer.criterionId, criterionId)));
		const result = await saveAnswer(t.db, ctx(), model, {
			assessmentId: id,
			criterionId,
			value,
			comment: '',
			evidence: [],
			baseVersion: row?.version ?? 0
		});
		if (!result.ok) throw new Error(JSON.stringify(result));
	};

	beforeAll(async () => {
		await add('criterion', { criterionId: 'threat-modeling.1.a', dueOn: '2026-12-15' });
		await add('practice', { practiceId: 'static-analysis', criterionId: null, source: 'target' });
		await add('overdue', { criterionId: 'threat-modeling.1.b', dueOn: '2026-11-01' });
		await add('carried', { practiceId: 'code-review', criterionId: 'code-review.1.a' });
		await add('done', {
			practiceId: 'code-review',
			criterionId: 'code-review.1.b',
			dueOn: '2026-02-01'
		});
		await add('dropped', {
			practiceId: 'secret-detection',
			criterionId: null,
			dueOn: '2026-02-01'
		});
		await t.db
			.update(table.planItem)
			.set({ cycleId: t.org.cycle('2026-Q1') })
			.where(eq(table.planItem.id, ids.carried!));
		await changePlanStatus(t.db, ctx(), t.org.team('gamma'), ids.done!, {
			status: 'done',
			baseVersion: 1
		});
		await changePlanStatus(t.db, ctx(), t.org.team('gamma'), ids.dropped!, {
			status: 'dropped',
			baseVersion: 1
		});
		await add('alpha', { ownerId: t.org.user('Ann'), dueOn: '2026-10-01' }, 'alpha');
	});

	it('lists every item of the team and only of the team, saying which are open, overdue and carried over', async () => {
		const plan = await teamPlan(t.db, model, t.org.team('gamma'), false, ON);
		const byName = new Map(plan.items.map((i) => [i.action, i]));
		expect([...byName.keys()].sort()).toEqual(
			['carried', 'criterion', 'done', 'dropped', 'overdue', 'practice'].sort()
		);
		expect(
			plan.items
				.filter((i) => i.open)
				.map((i) => i.action)
				.sort()
		).toEqual(['carried', 'criterion', 'overdue', 'practice'].sort());
		expect(plan.items.filter((i) => i.overdue).map((i) => i.action)).toEqual(['overdue']);
		expect(plan.items.filter((i) => i.carriedFrom).map((i) => [i.action, i.carriedFrom])).toEqual([
			['carried', '2026-Q1']
		]);
		expect(byName.get('criterion')).toMatchObject({
			ownerName: 'Bo',
			cycleName: '2026-Q2',
			practiceName: model.practiceById.get('threat-modeling')!.name,
			criterionText: model.criterionById.get('threat-modeling.1.a')!.text,
			met: false
		});
		expect(byName.get('practice')!.criterionText).toBeNull();
	});

	it('sums up the open items for the team page', async () => {
		const summary = await teamPlanSummary(
			t.db,
			model,
			t.org.team('gamma'),
			await current('gamma'),
			ON
		);
		expect(summary).toMatchObject({ open: 4, overdue: 1, met: 0 });
		// Soonest due first (the last two share a due date).
		const order = summary.items.map((i) => i.action);
		expect(order.slice(0, 2)).toEqual(['overdue', 'criterion']);
		expect(order.slice(2).sort()).toEqual(['carried', 'practice']);
		const alpha = await teamPlanSummary(
			t.db,
			model,
			t.org.team('alpha'),
			await current('alpha'),
			ON
		);
		expect(alpha).toMatchObject({ open: 1, overdue: 1 });
	});

	it('projects the score the team reaches once its open items are done', async () => {
		const before = await teamPlan(t.db, model, t.org.team('gamma'), false, ON);
		const stored = async () =>
			(
				await t.db
					.select({ score: table.assessment.score })
					.from(table.assessment)
					.where(eq(table.assessment.id, (await current('gamma')).id))
			)[0]!.score;
		expect(before.projection!.current).toBe(await stored());
		// Do the open items for real: their criteria answered "all", and static analysis (level 0)
		// gets its level 1 criteria answered "all".
		for (const c of ['threat-modeling.1.a', 'threat-modeling.1.b', 'code-review.1.a'])
			await answer(c, 1);
		for (const c of model.practiceById.get('static-analysis')!.levels[0]!.criteria)
			await answer(c.id, 1);
		expect(before.projection!.projected).toBe(await stored());
		expect(before.projection!.projected).toBeGreaterThan(before.projection!.current!);
	});

	it("offers the team page's next steps, practices below target, owners and questions only to those who edit", async () => {
		const gamma = t.org.team('gamma');
		const assessment = await current('gamma');
		const [question] = await t.db
			.insert(table.reviewQuestion)
			.values({ assessmentId: assessment.id, criterionId: 'code-review.2.a' })
			.returning({ id: table.reviewQuestion.id });
		await t.db
			.insert(table.questionMessage)
			.values({ questionId: question!.id, body: 'Who reviews the reviewers?' });
		// Another team's question and a withdrawn one are not offered.
		const alphaAssessment = await current('alpha');
		await t.db.insert(table.reviewQuestion).values([
			{ assessmentId: alphaAssessment.id, criterionId: 'code-review.2.a' },
			{ assessmentId: assessment.id, criterionId: 'code-review.2.b', status: 'withdrawn' }
		]);
		const plan = await teamPlan(t.db, model, gamma, true, ON);
		const picture = await teamPicture(t.db, model, await listTeamAssessments(t.db, gamma));
		expect(
			plan.suggestions!.nextSteps.map((s) => [
				s.practiceId,
				s.nextLevel,
				s.criteria.map((c) => [c.id, c.value])
			])
		).toEqual(
			picture!.nextSteps.map((s) => [s.id, s.nextLevel, s.criteria.map((c) => [c.id, c.value])])
		);
		expect(plan.suggestions!.nextSteps.length).toBe(3);
		expect(plan.suggestions!.belowTarget).toEqual(
			picture!.practices
				.filter((p) => !p.notApplicable && p.target !== null && p.achievedLevel < p.target)
				.map((p) => expect.objectContaining({ practiceId: p.id, target: p.target }))
		);
		expect(plan.owners.map((o) => o.name)).toEqual(['Bo', 'Fay']);
		expect(plan.questions).toEqual([
			expect.objectContaining({
				id: question!.id,
				criterionId: 'code-review.2.a',
				practiceId: 'code-review',
				body: 'Who reviews the reviewers?',
				cycle: '2026-Q2',
				status: 'open'
			})
		]);
		const readOnly = await teamPlan(t.db, model, gamma, false, ON);
		expect(readOnly).toMatchObject({ owners: [], questions: [], suggestions: null });
		expect(readOnly.items).toEqual(plan.items);
	});

	it('says an item is met once the current answers show it', async () => {
		const { id } = await current('gamma');
		const result = await savePracticeSettings(t.db, ctx(), model, {
			assessmentId: id,
			practiceId: 'static-analysis',
			notApplicable: false,
			reason: '',
			target: 1,
			baseVersion: 1
		});
		expect(result.ok).toBe(true);
		await answer('threat-modeling.1.b', 0.5);
		const plan = await teamPlan(t.db, model, t.org.team('gamma'), false, ON);
		const met = plan.items
			.filter((i) => i.met)
			.map((i) => i.action)
			.sort();
		// The done item's criterion was never answered; threat-modeling.1.b went back to "most".
		expect(met).toEqual(['carried', 'criterion', 'practice']);
		const summary = await teamPlanSummary(
			t.db,
			model,
			t.org.team('gamma'),
			await current('gamma'),
			ON
		);
		expect(summary.met).toBe(3);
	});
});
