import { describe, expect, it } from 'vitest';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { adminOverview } from './overview';

describe('the admin start page', () => {
	const t = testOrganisation();

	it('counts active users, active teams and every org unit', async () => {
		const expected = {
			users: t.org.users.filter((u) => u.active).length,
			teams: t.org.teams.filter((t) => t.active).length,
			orgUnits: t.org.units.length
		};
		// Rows that must not be counted exist.
		expect(expected.users).toBeLessThan(t.org.users.length);
		expect(expected.teams).toBeLessThan(t.org.teams.length);
		expect(await adminOverview(t.db)).toEqual(expected);
	});
});
