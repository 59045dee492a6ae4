import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { loadModel } from '$lib/server/model/load-model';
import type { Model } from '$lib/server/model/types';
import { csvStream, practiceColumns, practiceRows } from '$lib/server/reports/export';
import { compareUnits, loadDashboard } from './load';
import { dashboardCycles } from './scope';
import { dashboardFigures, orgUnitHeatmap } from './cache';
import { dataRevision } from '$lib/server/db/revision';
import { selection } from './select';
import { getCatalogue } from '$lib/server/tools/catalogue';
import {
	buildOrganisation,
	type Organisation,
	type PersonName
} from '$lib/server/testing/organisation';

/**
 * A small organisation with stored scores chosen by hand: 3 teams in 2 business units, two
 * cycles, and an archived team that must not count anywhere. Every figure below is worked out
 * from these numbers.
 */
describe('dashboard figures from the database', () => {
	let handle: DatabaseHandle;
	let model: Model;
	let units: { dept: string; a: string; b: string };
	const teamScores = { alpha: [1, 2], 'b,"eta"': [2, 1.5], '=gamma': [null, 3] } as const;

	beforeAll(async () => {
		handle = await createTestDatabase();
		model = loadModel();
		const db = handle.db;
		const [dept] = await db
			.insert(table.orgUnit)
			.values({ name: 'Engineering', kind: 'department' })
			.returning();
		const [a, b] = await db
			.insert(table.orgUnit)
			.values([
				{ name: 'Unit A', kind: 'business_unit', parentId: dept!.id },
				{ name: 'Unit B', kind: 'business_unit', parentId: dept!.id }
			])
			.returning();
		units = { dept: dept!.id, a: a!.id, b: b!.id };
		const teams = await db
			.insert(table.team)
			.values([
				{ name: 'alpha', slug: 'alpha', orgUnitId: a!.id },
				{ name: 'b,"eta"', slug: 'beta', orgUnitId: a!.id },
				{ name: '=gamma', slug: 'gamma', orgUnitId: b!.id }
			])
			.returning();
		const cycles = await db
			.insert(table.cycle)
			.values([
				{ name: '2026-Q1', startsOn: '2026-01-01', dueOn: '2026-03-01', status: 'closed' },
				{ name: '2026-Q2', startsOn: '2026-04-01', dueOn: '2026-06-01', status: 'open' }
			])
			.returning();
		// Rows no figure may count: an archived team of Unit A with approved scores in both cycles.
		const [archived] = await db
			.insert(table.team)
			.values({ name: 'omega', slug: 'omega', orgUnitId: a!.id, active: false })
			.returning();
		for (const [ci, cycle] of cycles.entries()) {
			for (const t of [...teams, archived!]) {
				const score =
					t.slug === 'omega' ? 3.5 : (teamScores[t.name as keyof typeof teamScores][ci] ?? null);
				if (score === null) continue;
				const [as] = await db
					.insert(table.assessment)
					.values({
						cycleId: cycle.id,
						teamId: t.id,
						modelVersion: model.version,
						score,
						status:
							ci === 0 || t.slug === 'omega'
								? 'approved'
								: t.slug === 'alpha'
									? 'submitted'
									: 'draft'
					})
					.returning();
				// Every phase and practice at the team score; achieved level = floor(score).
				await db
					.insert(table.assessmentPhase)
					.values(model.phases.map((p) => ({ assessmentId: as!.id, phase: p.id, score })));
				await db.insert(table.assessmentPractice).values(
					model.practices.map((p) => ({
						assessmentId: as!.id,
						practiceId: p.id,
						phase: p.phase,
						score,
						achievedLevel: Math.floor(score)
					}))
				);
			}
		}
	});
	afterAll(() => handle.close());

	const load = async (unitId: string | null) => {
		const cycles = await dashboardCycles(handle.db);
		return loadDashboard(handle.db, model, { unitId }, cycles[0]!, cycles[1]!, cycles);
	};

	it('gives headline figures with spread and change', async () => {
		const d = await load(null);
		expect(d.teamCount).toBe(3);
		expect(d.progress).toEqual({ teams: 3, assessed: 1 / 3, approved: 0 });
		// Now: 2, 1.5, 3 → mean 2.1667, median 2; before: 1, 2 → mean 1.5.
		expect(d.org.now).toEqual({ mean: 2.1667, median: 2, min: 1.5, max: 3, teams: 3 });
		expect(d.org.previous).toEqual({ mean: 1.5, median: 1.5, min: 1, max: 2, teams: 2 });
		expect(d.org.change).toBe(0.6667);
		expect(d.phases[0]).toMatchObject({ score: expect.closeTo(2.1667, 3), previous: 1.5 });
		// Level ≥ 2 in every practice: alpha (2) and gamma (3), not beta (1.5).
		expect(d.levelShares.every((s) => Math.abs(s.share - 2 / 3) < 1e-9)).toBe(true);
		expect(d.trend.map((t) => [t.cycle, t.org])).toEqual([
			['2026-Q1', 1.5],
			['2026-Q2', expect.closeTo(2.1667, 3)]
		]);
		expect(d.dropped.map((t) => t.slug)).toEqual(['beta']);
	});

	it('filters by business unit and by department', async () => {
		const a = await load(units.a);
		expect(a.teams.map((t) => t.slug)).toEqual(
			['alpha', 'b,"eta"'].map((n) => (n === 'alpha' ? 'alpha' : 'beta'))
		);
		expect(a.org.now).toMatchObject({ mean: 1.75, teams: 2 });
		const dept = await load(units.dept);
		expect(dept.teamCount).toBe(3);
		const compared = compareUnits(dept, model);
		expect(compared.map((u) => [u.unit, u.org.now?.mean])).toEqual([
			['Unit A', 1.75],
			['Unit B', 3]
		]);
	});

	it('rolls teams up to their department for the whole organisation', async () => {
		const d = await load(null);
		expect(compareUnits(d, model, 'department').map((u) => [u.unit, u.org.now?.mean])).toEqual([
			['Engineering', 2.1667]
		]);
		const rows = orgUnitHeatmap(d, model, 'department');
		expect(rows.map((r) => [r.unitId, r.unit, r.teams, r.score])).toEqual([
			[units.dept, 'Engineering', 3, (2 + 1.5 + 3) / 3]
		]);
		// Achieved level = floor(score) in every practice: 2, 1 and 3 → mean 2.
		expect(rows[0]!.levels.every((l) => l === 2)).toBe(true);
		expect(orgUnitHeatmap(d, model, 'unit').map((r) => [r.unit, r.teams])).toEqual([
			['Unit A', 2],
			['Unit B', 1]
		]);
	});

	it('streams a CSV with quoting and formula escaping', async () => {
		const cycles = (await dashboardCycles(handle.db)).filter((c) => c.name === '2026-Q2');
		const stream = csvStream(
			practiceColumns,
			practiceRows(handle.db, model, { unitId: null }, cycles)
		);
		const text = await new Response(stream).text();
		const lines = text.split('\r\n').filter(Boolean);
		expect(lines[0]).toBe(practiceColumns.join(','));
		expect(lines).toHaveLength(1 + 3 * model.practices.length);
		expect(text).toContain(',"b,""eta""",beta,');
		expect(text).toContain(",'=gamma,gamma,");
		expect(text).not.toMatch(/(^|,)=gamma/m);
	});

	it('serves cached figures until a write changes the data revision', async () => {
		const db = handle.db;
		const figures = async () => {
			const s = await selection(db, new URLSearchParams());
			return dashboardFigures(
				db,
				model,
				{ unitId: null },
				s.cycle!,
				s.previous,
				s.cycles,
				s.revision
			);
		};
		const first = await figures();
		expect(await figures()).toBe(first);
		// A write anywhere the figures read from: the revision moves, the figures are fresh.
		const before = await dataRevision(db);
		await db.update(table.assessment).set({ score: 4 }).where(eq(table.assessment.score, 3));
		expect(await dataRevision(db)).not.toBe(before);
		const second = await figures();
		expect(second).not.toBe(first);
		expect(second.org.now?.max).toBe(4);
		// A write elsewhere (the audit log) does not throw the cache away.
		const revision = await dataRevision(db);
		await db
			.insert(table.auditLog)
			.values({ action: 'test.noop', targetType: 'test', ip: '127.0.0.1' });
		expect(await dataRevision(db)).toBe(revision);
		expect(await figures()).toBe(second);
		await db.update(table.assessment).set({ score: 3 }).where(eq(table.assessment.score, 4));
	});
});

describe("the dashboard's tool, responsibility and people figures", () => {
	let handle: DatabaseHandle;
	let model: Model;
	let org: Organisation;
	const certified: PersonName[] = ['Ann', 'Eve'];

	beforeAll(async () => {
		handle = await createTestDatabase();
		model = loadModel();
		org = await buildOrganisation(handle.db, model);
		await handle.db.insert(table.certificate).values(
			certified.map((who, i) => ({
				id: `certificate-${i}`,
				userId: org.user(who),
				trackId: 'security-champion',
				holderName: who,
				trackTitle: 'Security champion'
			}))
		);
	});
	afterAll(() => handle.close());

	const load = async (unitId: string | null) => {
		const cycles = await dashboardCycles(handle.db);
		const now = cycles.find((c) => c.name === '2026-Q2')!;
		const before = cycles.find((c) => c.name === '2026-Q1')!;
		return loadDashboard(handle.db, model, { unitId }, now, before, cycles);
	};

	for (const unit of [null, 'Payments', 'Engineering'] as const) {
		it(`counts active teams only${unit ? ` in ${unit}` : ''}`, async () => {
			const unitId = unit ? org.unit(unit) : null;
			const inUnit = (orgUnitId: string | null) =>
				unitId === null ||
				orgUnitId === unitId ||
				org.units.find((u) => u.id === orgUnitId)?.parentId === unitId;
			const teams = org.teams.filter((t) => t.active && inUnit(t.orgUnitId));
			const ids = new Set(teams.map((t) => t.id));
			const n = teams.length;
			const d = await load(unitId);
			expect(d.teamCount).toBe(n);

			const { categories, tools } = getCatalogue(new Set(model.practiceById.keys()));
			const categoryOf = (toolId: string) => tools.find((t) => t.id === toolId)!.category;
			const coverage = [...categories]
				.sort((a, b) => a.name.localeCompare(b.name))
				.map((c) => {
					const using = org.adoptions.filter(
						(a) =>
							ids.has(a.teamId) &&
							(a.state === 'adopted' || a.state === 'enforced') &&
							categoryOf(a.toolId) === c.id
					);
					const teams = new Set(using.map((a) => a.teamId)).size;
					return { id: c.id, teams, share: n ? teams / n : 0 };
				});
			expect(d.coverage.map(({ id, teams, share }) => ({ id, teams, share }))).toEqual(coverage);

			const responsibility = org.responsibilities.filter((r) => ids.has(r.teamId));
			const key = (r: { practiceId: string; party: string }) => `${r.practiceId} ${r.party}`;
			const expected = [...new Set(responsibility.map(key))].map(
				(k) => `${k} ${responsibility.filter((r) => key(r) === k).length}`
			);
			expect(d.responsibility.map((r) => `${key(r)} ${r.teams}`).sort()).toEqual(expected.sort());

			// A deactivated person is nobody's champion.
			const activeUsers = new Set(org.users.filter((u) => u.active).map((u) => u.id));
			const champions = org.members.filter(
				(m) => m.champion && ids.has(m.teamId) && activeUsers.has(m.userId)
			);
			const isCertified = (userId: string) => certified.some((who) => org.user(who) === userId);
			const championUsers = new Set(champions.map((m) => m.userId));
			const certifiedUsers = [...championUsers].filter(isCertified);
			expect(d.people).toEqual({
				nobodyTeams: new Set(
					responsibility.filter((r) => r.party === 'nobody').map((r) => r.teamId)
				).size,
				championTeams: new Set(champions.map((m) => m.teamId)).size,
				championCoverage: n
					? new Set(champions.filter((m) => isCertified(m.userId)).map((m) => m.teamId)).size / n
					: 0,
				trainingCompletion: championUsers.size ? certifiedUsers.length / championUsers.size : 0
			});
		});
	}
});
