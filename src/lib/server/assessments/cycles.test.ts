import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import { loadModel } from '$lib/server/model/load-model';
import { buildOrganisation, type Organisation } from '$lib/server/testing/organisation';
import { listCycles } from './cycles';

describe('the cycles admins see', () => {
	let handle: DatabaseHandle;
	let org: Organisation;
	beforeAll(async () => {
		handle = await createTestDatabase();
		org = await buildOrganisation(handle.db, loadModel());
	});
	afterAll(() => handle.close());

	it("counts each cycle's own assessments, submitted and approved, newest first", async () => {
		const expected = [...org.cycles]
			.sort((a, b) => b.startsOn.localeCompare(a.startsOn))
			.map((c) => {
				const mine = org.assessments.filter((a) => a.cycleId === c.id);
				return {
					name: c.name,
					assessments: mine.length,
					submitted: mine.filter((a) => a.status === 'submitted').length,
					approved: mine.filter((a) => a.status === 'approved').length
				};
			});
		// The organisation is built so that no two cycles share a figure by accident.
		expect(expected.map((c) => c.assessments)).toEqual([4, 6]);
		const listed = await listCycles(handle.db);
		expect(
			listed.map(({ name, assessments, submitted, approved }) => ({
				name,
				assessments,
				submitted,
				approved
			}))
		).toEqual(expected);
	});
});
