import { describe, expect, it } from 'vitest';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { listOrgUnits } from './org-units';

describe('the org units admins see', () => {
	const t = testOrganisation();

	it("counts each unit's own teams (archived ones too: they keep it from being deleted)", async () => {
		const teamsIn = (unitId: string) => t.org.teams.filter((t) => t.orgUnitId === unitId).length;
		const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
		const expected = t.org.units
			.filter((u) => u.kind === 'department')
			.sort(byName)
			.flatMap((d) => [d, ...t.org.units.filter((u) => u.parentId === d.id).sort(byName)])
			.map((u) => ({ name: u.name, teams: teamsIn(u.id) }));
		expect(expected).toEqual([
			{ name: 'Engineering', teams: 0 },
			{ name: 'Payments', teams: 3 },
			{ name: 'Platform', teams: 2 },
			{ name: 'Sales', teams: 0 }
		]);
		const listed = await listOrgUnits(t.db);
		expect(listed.map(({ name, teams }) => ({ name, teams }))).toEqual(expected);
	});
});
