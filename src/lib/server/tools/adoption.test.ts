import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { loadModel } from '$lib/server/model/load-model';
import type { Model } from '$lib/server/model/types';
import { openCycle, setCycleStatus } from '$lib/server/assessments/cycles';
import { listResponsibility, setResponsibility } from '$lib/server/responsibility/responsibility';
import { responsibilityReport } from '$lib/server/responsibility/report';
import { loadRota, saveRota, swapTurn } from '$lib/server/responsibility/rota-store';
import { removeTeamMember } from '$lib/server/teams/members';
import { getCatalogue } from './catalogue';
import { listTeamAdoption, setAdoption } from './adoption';
import { addTool, setToolRetired } from './manage';
import { adoptionOverview, toolsUsedForPractices } from './report';
import { syncCatalogue } from './sync';

describe('adoption, responsibility and rotas in the database', () => {
	let handle: DatabaseHandle;
	let model: Model;
	let ids: {
		admin: string;
		ann: string;
		bo: string;
		outsider: string;
		teamA: string;
		teamB: string;
	};
	const ctx = () => ({ actorId: ids.admin, ip: '127.0.0.1' });

	beforeAll(async () => {
		handle = await createTestDatabase();
		model = loadModel();
		await syncCatalogue(handle.db, getCatalogue(new Set(model.practiceById.keys())));
		const users = await handle.db
			.insert(table.user)
			.values(
				['admin', 'ann', 'bo', 'outsider'].map((n) => ({
					email: `${n}@example.com`,
					name: n,
					passwordHash: 'x',
					role: n === 'admin' ? ('admin' as const) : ('member' as const)
				}))
			)
			.returning();
		const teams = await handle.db
			.insert(table.team)
			.values([
				{ name: 'A', slug: 'a' },
				{ name: 'B', slug: 'b' }
			])
			.returning();
		ids = {
			admin: users[0]!.id,
			ann: users[1]!.id,
			bo: users[2]!.id,
			outsider: users[3]!.id,
			teamA: teams[0]!.id,
			teamB: teams[1]!.id
		};
		await handle.db.insert(table.teamMember).values([
			{ teamId: ids.teamA, userId: ids.ann, role: 'lead' },
			{ teamId: ids.teamA, userId: ids.bo, role: 'member' }
		]);
	});
	afterAll(() => handle.close());

	it('records adoption and refuses unknown tools and states, storing nothing', async () => {
		expect(
			await setAdoption(handle.db, ctx(), ids.teamA, {
				toolId: 'semgrep',
				state: 'enforced',
				since: '2026-01-15',
				note: 'PR gate'
			})
		).toEqual({ ok: true });
		expect(
			await setAdoption(handle.db, ctx(), ids.teamB, {
				toolId: 'semgrep',
				state: 'adopted',
				since: null,
				note: ''
			})
		).toEqual({ ok: true });
		expect(
			await setAdoption(handle.db, ctx(), ids.teamA, {
				toolId: 'made-up',
				state: 'adopted',
				since: null,
				note: ''
			})
		).toMatchObject({ ok: false, field: 'toolId' });
		expect(
			await setAdoption(handle.db, ctx(), ids.teamA, {
				toolId: 'trivy',
				state: 'loved' as never,
				since: null,
				note: ''
			})
		).toMatchObject({ ok: false, field: 'state' });
		const rows = await handle.db.select().from(table.toolAdoption);
		expect(rows).toHaveLength(2);
		const a = (await listTeamAdoption(handle.db, ids.teamA)).find((t) => t.toolId === 'semgrep');
		expect(a).toMatchObject({ state: 'enforced', since: '2026-01-15', note: 'PR gate' });
	});

	it('computes organisation figures and names tools other teams use for a practice', async () => {
		const overview = await adoptionOverview(handle.db);
		const sast = overview.categories.find((c) => c.id === 'sast')!;
		expect(sast.teams).toBe(2);
		expect(sast.coverage).toBe(1);
		expect(sast.tools.find((t) => t.id === 'semgrep')!.counts).toEqual({
			not_used: 0,
			evaluating: 0,
			adopted: 1,
			enforced: 1
		});
		const used = await toolsUsedForPractices(handle.db, ['static-analysis'], ids.teamA);
		expect(used.get('static-analysis')).toEqual([{ name: 'Semgrep', teams: 1 }]);
		// The other team's view counts team A, and a change shows at once (not a stale cache).
		expect(
			(await toolsUsedForPractices(handle.db, ['static-analysis'], ids.teamB)).get(
				'static-analysis'
			)
		).toEqual([{ name: 'Semgrep', teams: 1 }]);
		await setAdoption(handle.db, ctx(), ids.teamA, {
			toolId: 'semgrep',
			state: 'not_used',
			since: null,
			note: ''
		});
		expect(
			(await toolsUsedForPractices(handle.db, ['static-analysis'], ids.teamB)).get(
				'static-analysis'
			)
		).toEqual([]);
		expect(
			(await toolsUsedForPractices(handle.db, ['static-analysis'], ids.teamA)).get(
				'static-analysis'
			)
		).toEqual([{ name: 'Semgrep', teams: 1 }]);
		await setAdoption(handle.db, ctx(), ids.teamA, {
			toolId: 'semgrep',
			state: 'enforced',
			since: '2026-01-15',
			note: 'PR gate'
		});
	});

	it('lets admins add and retire tools; a retired tool cannot be newly adopted', async () => {
		expect(
			await addTool(handle.db, ctx(), {
				id: 'in-house-scanner',
				name: 'In-house scanner',
				categoryId: 'sast',
				homepage: 'https://scanner.example',
				licence: 'commercial',
				description: 'Ours.'
			})
		).toEqual({ ok: true });
		expect(
			await addTool(handle.db, ctx(), {
				id: 'x',
				name: 'X',
				categoryId: 'nope',
				homepage: 'https://x.example',
				licence: 'commercial',
				description: ''
			})
		).toMatchObject({ ok: false, field: 'categoryId' });
		await setToolRetired(handle.db, ctx(), 'in-house-scanner', true);
		expect(
			await setAdoption(handle.db, ctx(), ids.teamA, {
				toolId: 'in-house-scanner',
				state: 'adopted',
				since: null,
				note: ''
			})
		).toMatchObject({ ok: false, field: 'toolId' });
	});

	it('snapshots adoption when a cycle closes', async () => {
		const c = await openCycle(handle.db, ctx(), model, {
			name: '2026-Q1',
			startsOn: '2026-01-01',
			dueOn: '2026-03-01'
		});
		if (!c.ok) throw new Error('refused');
		await setCycleStatus(handle.db, ctx(), c.id, 'closed');
		const snap = await handle.db
			.select()
			.from(table.adoptionSnapshot)
			.where(eq(table.adoptionSnapshot.cycleId, c.id));
		expect(snap.map((s) => s.state).sort()).toEqual(['adopted', 'enforced']);
	});

	it('sets responsibility; the accountable person must be in the team', async () => {
		const practices = new Set(model.practiceById.keys());
		expect(
			await setResponsibility(handle.db, ctx(), ids.teamA, practices, {
				practiceId: 'penetration-testing',
				party: 'security',
				accountableUserId: ids.ann
			})
		).toEqual({ ok: true });
		expect(
			await setResponsibility(handle.db, ctx(), ids.teamB, practices, {
				practiceId: 'penetration-testing',
				party: 'security',
				accountableUserId: null
			})
		).toEqual({ ok: true });
		expect(
			await setResponsibility(handle.db, ctx(), ids.teamA, practices, {
				practiceId: 'threat-modeling',
				party: 'nobody',
				accountableUserId: ids.outsider
			})
		).toMatchObject({ ok: false, field: 'accountableUserId' });
		expect(
			await setResponsibility(handle.db, ctx(), ids.teamA, practices, {
				practiceId: 'made-up',
				party: 'nobody',
				accountableUserId: null
			})
		).toMatchObject({ ok: false, field: 'practiceId' });
		expect((await listResponsibility(handle.db, ids.teamA)).size).toBe(1);
		const report = await responsibilityReport(handle.db, model);
		expect(report.silos.map((s) => s.practiceId)).toEqual(['penetration-testing']);
		expect(report.withoutChampion.map((t) => t.slug).sort()).toEqual(['a', 'b']);
		expect(report.withoutRota.map((t) => t.slug).sort()).toEqual(['a', 'b']);
	});

	it('refuses a rota with no members or outsiders, and drops a member who leaves the team', async () => {
		expect(
			await saveRota(handle.db, ctx(), ids.teamA, {
				rotationWeeks: 1,
				startsOn: '2026-11-02',
				members: []
			})
		).toMatchObject({ ok: false, field: 'members' });
		expect(
			await saveRota(handle.db, ctx(), ids.teamA, {
				rotationWeeks: 1,
				startsOn: '2026-11-02',
				members: [ids.ann, ids.outsider]
			})
		).toMatchObject({ ok: false, field: 'members' });
		expect(await handle.db.select().from(table.rota)).toHaveLength(0);
		expect(
			await saveRota(handle.db, ctx(), ids.teamA, {
				rotationWeeks: 1,
				startsOn: '2026-11-02',
				members: [ids.bo, ids.ann]
			})
		).toEqual({ ok: true });
		expect(
			await swapTurn(
				handle.db,
				ctx(),
				ids.teamA,
				{ turnStart: '2026-11-16', userId: ids.ann },
				'2026-11-10'
			)
		).toEqual({ ok: true });
		expect(
			await swapTurn(
				handle.db,
				ctx(),
				ids.teamA,
				{ turnStart: '2026-11-17', userId: ids.ann },
				'2026-11-10'
			)
		).toMatchObject({ ok: false, field: 'turnStart' });
		expect((await loadRota(handle.db, ids.teamA))!.swaps!.get('2026-11-16')).toBe(ids.ann);
		await removeTeamMember(handle.db, ctx(), ids.teamA, ids.bo);
		expect((await loadRota(handle.db, ids.teamA))!.members).toEqual([ids.ann]);
		const actions = (await handle.db.select().from(table.auditLog)).map((r) => r.action);
		expect(actions).toEqual(
			expect.arrayContaining([
				'tool.adoption_changed',
				'responsibility.changed',
				'rota.saved',
				'rota.swapped'
			])
		);
	});
});
