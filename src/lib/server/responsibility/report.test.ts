import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import { responsibleParties } from '$lib/server/db/schema';
import { loadModel } from '$lib/server/model/load-model';
import type { Model } from '$lib/server/model/types';
import { buildOrganisation, type Organisation } from '$lib/server/testing/organisation';
import { onDutyByTeam, responsibilityReport } from './report';
import { loadRota, swapTurn } from './rota-store';
import { onDuty } from './rota';

describe('the responsibility report', () => {
	let handle: DatabaseHandle;
	let org: Organisation;
	let model: Model;
	beforeAll(async () => {
		handle = await createTestDatabase();
		model = loadModel();
		org = await buildOrganisation(handle.db, model);
	});
	afterAll(() => handle.close());

	const active = () => org.teams.filter((t) => t.active);
	const names = (teams: { name: string }[]) => teams.map((t) => t.name).sort();

	it('spreads each practice over the parties of active teams only', async () => {
		const teams = active();
		const ids = new Set(teams.map((t) => t.id));
		const expected = model.practices.map((p) => {
			const rows = org.responsibilities.filter((r) => r.practiceId === p.id && ids.has(r.teamId));
			const counts = Object.fromEntries(
				responsibleParties.map((party) => [party, rows.filter((r) => r.party === party).length])
			);
			return {
				practiceId: p.id,
				counts: { ...counts, unrecorded: teams.length - rows.length },
				silo: counts.security! > teams.length / 2,
				gap: counts.nobody! > 0
			};
		});
		const report = await responsibilityReport(handle.db, model);
		expect(report.teamCount).toBe(teams.length);
		expect(
			report.practices.map(({ practiceId, counts, silo, gap }) => ({
				practiceId,
				counts,
				silo,
				gap
			}))
		).toEqual(expected);
		// What the organisation was built to show: archived teams would add a silo and a gap.
		expect(report.silos.map((p) => p.practiceId)).toEqual(['threat-modeling']);
		expect(report.gaps.map((p) => p.practiceId)).toEqual(['static-analysis']);
	});

	it('names the active teams without a champion and without a rota', async () => {
		const teams = active();
		// A deactivated person is nobody's champion (as on the team page and the training report).
		const activeUsers = new Set(org.users.filter((u) => u.active).map((u) => u.id));
		const champions = new Set(
			org.members.filter((m) => m.champion && activeUsers.has(m.userId)).map((m) => m.teamId)
		);
		const rotas = new Set(org.rotas.filter((r) => r.userIds.length).map((r) => r.teamId));
		const report = await responsibilityReport(handle.db, model);
		expect(names(report.withoutChampion)).toEqual(names(teams.filter((t) => !champions.has(t.id))));
		expect(names(report.withoutRota)).toEqual(names(teams.filter((t) => !rotas.has(t.id))));
		expect(names(report.withoutChampion)).toEqual(['Beta', 'Delta']);
		expect(names(report.withoutRota)).toEqual(['Beta', 'Gamma']);
	});
});

describe('who is on duty, read for many teams at once', () => {
	let handle: DatabaseHandle;
	let org: Organisation;
	beforeAll(async () => {
		handle = await createTestDatabase();
		org = await buildOrganisation(handle.db, loadModel());
	});
	afterAll(() => handle.close());

	it('matches each rota read on its own, swaps included', async () => {
		const today = '2026-11-18';
		const alpha = org.teams.find((t) => t.slug === 'alpha')!;
		const [, bo] = org.rotas.find((r) => r.teamId === alpha.id)!.userIds;
		// Bo takes the turn that would be Ann's next.
		const before = onDuty((await loadRota(handle.db, alpha.id))!, today);
		const turnStart = before.next!.start;
		const admin = org.users.find((u) => u.name === 'Admin')!;
		const ctx = { actorId: admin.id, ip: '127.0.0.1' };
		expect(await swapTurn(handle.db, ctx, alpha.id, { turnStart, userId: bo! }, today)).toEqual({
			ok: true
		});
		const ids = org.teams.map((t) => t.id);
		const duty = await onDutyByTeam(handle.db, ids, today);
		const expected = new Map();
		for (const id of ids) {
			const plan = await loadRota(handle.db, id);
			if (plan) expected.set(id, onDuty(plan, today));
		}
		expect(duty).toEqual(expected);
		expect(duty.size).toBe(org.rotas.length);
		expect(duty.get(alpha.id)!.next).toMatchObject({ start: turnStart, userId: bo, swapped: true });
	});
});
