import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import * as table from '$lib/server/db/schema';
import { loadModel } from '$lib/server/model/load-model';
import { csvStream } from '$lib/server/reports/export';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import type { TeamSlug } from '$lib/server/testing/organisation';
import { changePlanStatus, createPlanItem } from './items';
import { planColumns, planRows, type PlanExportFilter } from './export';

const model = loadModel();
const ON = '2026-11-29';

/*
 * Items in Alpha, Beta and the archived Legacy (made while it was active, so it must not appear
 * in the organisation's file); one item per team is overdue, one of Alpha's is met by its newest
 * answers, one of Beta's was carried over from 2026-Q1, and one is done.
 */
describe('the plans as CSV', () => {
	const t = testOrganisation();
	const made: { team: TeamSlug; action: string; dueOn: string }[] = [];
	const add = async (
		team: TeamSlug,
		owner: 'Ann' | 'Cy' | 'Eve',
		action: string,
		dueOn: string,
		criterionId: string | null = 'threat-modeling.1.a'
	) => {
		const result = await createPlanItem(
			t.db,
			{ actorId: t.org.adminId, ip: '' },
			model,
			t.org.team(team),
			{
				practiceId: 'threat-modeling',
				criterionId,
				action,
				ownerId: t.org.user(owner),
				dueOn,
				source: 'manual',
				questionId: null
			},
			'2026-01-01'
		);
		if (!result.ok) throw new Error(JSON.stringify(result));
		made.push({ team, action, dueOn });
		return result.id;
	};

	beforeAll(async () => {
		await add('alpha', 'Ann', '=HYPERLINK("https://evil.example")', '2026-11-01');
		await add('alpha', 'Ann', 'Model the card flow', '2027-01-10', 'threat-modeling.1.b');
		const carried = await add('beta', 'Cy', 'Write abuse cases, then "review"', '2026-12-01', null);
		const done = await add('beta', 'Cy', 'Done already', '2026-10-01');
		await add('legacy', 'Eve', 'Never shown for the organisation', '2026-10-01');
		await t.db
			.update(table.planItem)
			.set({ cycleId: t.org.cycle('2026-Q1') })
			.where(eq(table.planItem.id, carried));
		await changePlanStatus(t.db, { actorId: t.org.adminId, ip: '' }, t.org.team('beta'), done, {
			status: 'done',
			baseVersion: 1
		});
		// Alpha's newest assessment answers threat-modeling.1.b "all".
		const alphaQ2 = t.org.assessments.find(
			(a) => a.teamId === t.org.team('alpha') && a.cycleId === t.org.cycle('2026-Q2')
		)!;
		await t.db
			.insert(table.answer)
			.values({ assessmentId: alphaQ2.id, criterionId: 'threat-modeling.1.b', value: 1 });
		// The same answer in an older assessment of Beta must not make Beta's item met.
		const betaQ1 = t.org.assessments.find(
			(a) => a.teamId === t.org.team('beta') && a.cycleId === t.org.cycle('2026-Q1')
		)!;
		await t.db
			.insert(table.answer)
			.values({ assessmentId: betaQ1.id, criterionId: 'threat-modeling.1.a', value: 1 });
	});

	const collect = async (filter: PlanExportFilter) => {
		const rows = [];
		for await (const row of planRows(t.db, model, filter, ON)) rows.push(row);
		return rows;
	};

	it("holds every active team's items, each team's by due date, and no archived team's", async () => {
		const rows = await collect({ scope: { unitId: null } });
		const expected = made
			.filter((m) => t.org.teams.find((x) => x.slug === m.team)!.active)
			.sort((a, b) => a.team.localeCompare(b.team) || a.dueOn.localeCompare(b.dueOn));
		expect(rows.map((r) => [r.team_slug, r.action])).toEqual(
			expected.map((m) => [m.team, m.action])
		);
		expect(rows.find((r) => r.action === 'Model the card flow')).toMatchObject({
			department: 'Engineering',
			unit: 'Payments',
			team: 'Alpha',
			phase: 'plan',
			practice_id: 'threat-modeling',
			criterion_id: 'threat-modeling.1.b',
			owner: 'Ann',
			status: 'planned',
			overdue: false,
			met: true,
			cycle: '2026-Q2',
			carried_over: false
		});
		expect(rows.filter((r) => r.overdue).map((r) => r.action)).toEqual([
			'=HYPERLINK("https://evil.example")'
		]);
		expect(rows.filter((r) => r.met).map((r) => r.action)).toEqual(['Model the card flow']);
		expect(rows.filter((r) => r.carried_over).map((r) => r.action)).toEqual([
			'Write abuse cases, then "review"'
		]);
	});

	it('holds one team only when asked for one, archived or not', async () => {
		const legacy = await collect({ teamId: t.org.team('legacy') });
		expect(legacy.map((r) => r.action)).toEqual(['Never shown for the organisation']);
		const platform = await collect({ scope: { unitId: t.org.unit('Payments') } });
		expect(new Set(platform.map((r) => r.team_slug))).toEqual(new Set(['alpha', 'beta']));
	});

	it('writes a header and defuses what a spreadsheet would run', async () => {
		const text = await new Response(
			csvStream(planColumns, planRows(t.db, model, { teamId: t.org.team('alpha') }, ON))
		).text();
		const lines = text.split('\r\n');
		expect(lines[0]).toBe(planColumns.join(','));
		expect(text).toContain(`"'=HYPERLINK(""https://evil.example"")"`);
		expect(lines.filter(Boolean)).toHaveLength(3);
	});
});
