import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import { loadModel } from '$lib/server/model/load-model';
import { buildOrganisation, type Organisation } from '$lib/server/testing/organisation';
import { adminOverview } from './overview';

describe('the admin start page', () => {
	let handle: DatabaseHandle;
	let org: Organisation;
	beforeAll(async () => {
		handle = await createTestDatabase();
		org = await buildOrganisation(handle.db, loadModel());
	});
	afterAll(() => handle.close());

	it('counts active users, active teams and every org unit', async () => {
		const expected = {
			users: org.users.filter((u) => u.active).length,
			teams: org.teams.filter((t) => t.active).length,
			orgUnits: org.units.length
		};
		// Rows that must not be counted exist.
		expect(expected.users).toBeLessThan(org.users.length);
		expect(expected.teams).toBeLessThan(org.teams.length);
		expect(await adminOverview(handle.db)).toEqual(expected);
	});
});
