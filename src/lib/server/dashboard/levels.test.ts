import { beforeAll, describe, expect, it } from 'vitest';
import * as table from '$lib/server/db/schema';
import type { PlanStatus } from '$lib/server/db/schema';
import { loadModel } from '$lib/server/model/load-model';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import type { CycleName } from '$lib/server/testing/organisation';
import { loadDashboard } from './load';
import { overduePlanItems } from './plan';
import { dashboardCycles } from './scope';

/*
 * The level distribution, the gap to targets and the overdue plan items, against counts made
 * here from the rows written here. Rows that must not count: archived teams (with results and
 * overdue items), the other cycle, not-applicable practices (some with a target), a phase all
 * not applicable, results without a target, items done, dropped or due today or later.
 */
describe('levels, targets and overdue plan items on the dashboard', () => {
	const t = testOrganisation();
	const model = loadModel();
	const phaseOf = new Map(model.practices.map((p) => [p.id, p.phase]));
	const today = '2026-06-15';
	const results: {
		teamId: string;
		cycleId: string;
		practiceId: string;
		achievedLevel: number;
		target: number | null;
		notApplicable: boolean;
	}[] = [];
	const items: { teamId: string; status: PlanStatus; dueOn: string }[] = [];

	beforeAll(async () => {
		const { db, org } = t;
		for (const a of org.assessments) {
			const ti = org.teams.findIndex((x) => x.id === a.teamId);
			const ci = org.cycles.findIndex((c) => c.id === a.cycleId);
			for (const [pi, p] of model.practices.entries()) {
				const achievedLevel = (ti * 3 + pi * 2 + ci) % 5;
				const notApplicable =
					(pi + ti) % 7 === 0 || (org.teams[ti]!.slug === 'delta' && p.phase === 'plan');
				const target = (pi + ti) % 4 === 0 ? null : Math.min(4, ((pi * 5 + ti + ci) % 4) + 1);
				results.push({
					teamId: a.teamId,
					cycleId: a.cycleId,
					practiceId: p.id,
					achievedLevel,
					target,
					notApplicable
				});
				await db
					.insert(table.assessmentPractice)
					.values({
						assessmentId: a.id,
						practiceId: p.id,
						phase: p.phase,
						achievedLevel,
						target,
						notApplicable,
						notApplicableReason: notApplicable ? 'test' : ''
					})
					.onConflictDoUpdate({
						target: [table.assessmentPractice.assessmentId, table.assessmentPractice.practiceId],
						set: { achievedLevel, target, notApplicable }
					});
			}
		}
		const statuses: PlanStatus[] = ['planned', 'in_progress', 'done', 'dropped'];
		const dues = ['2026-01-10', '2026-06-14', today, '2026-09-01'];
		for (const [ti, team] of org.teams.entries()) {
			for (let i = 0; i < 3 + ti; i++) {
				const item = {
					teamId: team.id,
					status: statuses[(i + ti) % statuses.length]!,
					dueOn: dues[(i * 3 + ti) % dues.length]!
				};
				items.push(item);
				await db.insert(table.planItem).values({
					...item,
					practiceId: model.practices[i]!.id,
					action: `Item ${i} of ${team.slug}`
				});
			}
		}
	});

	const activeIn = (unit: string | null) => {
		const unitId = unit ? t.org.unit(unit) : null;
		return t.org.teams.filter(
			(x) =>
				x.active &&
				(unitId === null ||
					x.orgUnitId === unitId ||
					t.org.units.find((u) => u.id === x.orgUnitId)?.parentId === unitId)
		);
	};
	const load = async (unit: string | null, cycle: CycleName) => {
		const cycles = await dashboardCycles(t.db);
		const now = cycles.find((c) => c.name === cycle)!;
		const unitId = unit ? t.org.unit(unit) : null;
		return loadDashboard(t.db, model, { unitId }, now, null, cycles);
	};

	for (const unit of [null, 'Payments', 'Engineering'] as const) {
		for (const cycle of ['2026-Q1', '2026-Q2'] as const) {
			it(`counts teams per level and phase, and targets met and missed${unit ? ` in ${unit}` : ''}, ${cycle}`, async () => {
				const teams = new Set(activeIn(unit).map((x) => x.id));
				const mine = results.filter((r) => teams.has(r.teamId) && r.cycleId === t.org.cycle(cycle));
				const d = await load(unit, cycle);

				const expected = model.phases.map((ph) => {
					const counts = [0, 0, 0, 0, 0];
					for (const teamId of teams) {
						const levels = mine
							.filter(
								(r) =>
									r.teamId === teamId && !r.notApplicable && phaseOf.get(r.practiceId) === ph.id
							)
							.map((r) => r.achievedLevel);
						if (levels.length) counts[Math.min(...levels)]! += 1;
					}
					return { phase: ph.id, teams: counts };
				});
				expect(d.levels).toEqual(expected);
				// The delta team's plan phase is all not applicable: it is in no plan level.
				const assessed = new Set(mine.map((r) => r.teamId)).size;
				expect(expected[0]!.teams.reduce((a, b) => a + b, 0)).toBe(
					assessed - (teams.has(t.org.team('delta')) ? 1 : 0)
				);
				// The share at level 2 or more is read from the same levels.
				expect(d.levelShares.map((s) => s.share)).toEqual(
					expected.map(({ teams: n }) => {
						const all = n.reduce((a, b) => a + b, 0);
						return all ? (n[2]! + n[3]! + n[4]!) / all : 0;
					})
				);

				expect(d.targets).toEqual(
					model.practices.map((p) => {
						const set = mine.filter(
							(r) => r.practiceId === p.id && !r.notApplicable && r.target !== null
						);
						return {
							practiceId: p.id,
							targets: set.length,
							met: set.filter((r) => r.achievedLevel >= r.target!).length,
							missing: set
								.filter((r) => r.achievedLevel < r.target!)
								.reduce((sum, r) => sum + r.target! - r.achievedLevel, 0)
						};
					})
				);
				expect(d.targets.some((g) => g.targets > g.met)).toBe(true);
			});
		}

		it(`counts overdue plan items per org unit of active teams${unit ? ` in ${unit}` : ''}`, async () => {
			const teams = activeIn(unit);
			const unitId = unit ? t.org.unit(unit) : null;
			const rows = await overduePlanItems(t.db, { unitId }, today);
			const overdue = items.filter(
				(i) =>
					(i.status === 'planned' || i.status === 'in_progress') &&
					i.dueOn < today &&
					teams.some((x) => x.id === i.teamId)
			);
			const byUnit = new Map<string | null, { items: number; teams: Set<string> }>();
			for (const i of overdue) {
				const u = teams.find((x) => x.id === i.teamId)!.orgUnitId;
				const entry = byUnit.get(u) ?? { items: 0, teams: new Set() };
				entry.items++;
				entry.teams.add(i.teamId);
				byUnit.set(u, entry);
			}
			expect(
				rows.map((r) => ({ unitId: r.unitId, items: r.items, teams: r.teams })).sort(byId)
			).toEqual(
				[...byUnit].map(([u, e]) => ({ unitId: u, items: e.items, teams: e.teams.size })).sort(byId)
			);
			expect(rows.map((r) => r.items)).toEqual([...rows.map((r) => r.items)].sort((a, b) => b - a));
			expect(overdue.length).toBeGreaterThan(0);
			// Archived teams have overdue items too: none of them is counted.
			expect(
				items.some(
					(i) =>
						!t.org.teams.find((x) => x.id === i.teamId)!.active &&
						i.status === 'planned' &&
						i.dueOn < today
				)
			).toBe(true);
		});
	}
});

const byId = (a: { unitId: string | null }, b: { unitId: string | null }) =>
	(a.unitId ?? '').localeCompare(b.unitId ?? '');
