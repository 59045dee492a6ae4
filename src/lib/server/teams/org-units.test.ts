import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import { loadModel } from '$lib/server/model/load-model';
import { buildOrganisation, type Organisation } from '$lib/server/testing/organisation';
import { listOrgUnits } from './org-units';

describe('the org units admins see', () => {
	let handle: DatabaseHandle;
	let org: Organisation;
	beforeAll(async () => {
		handle = await createTestDatabase();
		org = await buildOrganisation(handle.db, loadModel());
	});
	afterAll(() => handle.close());

	it("counts each unit's own teams (archived ones too: they keep it from being deleted)", async () => {
		const teamsIn = (unitId: string) => org.teams.filter((t) => t.orgUnitId === unitId).length;
		const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
		const expected = org.units
			.filter((u) => u.kind === 'department')
			.sort(byName)
			.flatMap((d) => [d, ...org.units.filter((u) => u.parentId === d.id).sort(byName)])
			.map((u) => ({ name: u.name, teams: teamsIn(u.id) }));
		expect(expected).toEqual([
			{ name: 'Engineering', teams: 0 },
			{ name: 'Payments', teams: 3 },
			{ name: 'Platform', teams: 2 },
			{ name: 'Sales', teams: 0 }
		]);
		const listed = await listOrgUnits(handle.db);
		expect(listed.map(({ name, teams }) => ({ name, teams }))).toEqual(expected);
	});
});
