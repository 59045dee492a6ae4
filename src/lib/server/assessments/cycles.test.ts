import { describe, expect, it } from 'vitest';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { listCycles } from './cycles';

describe('the cycles admins see', () => {
	const t = testOrganisation();

	it("counts each cycle's own assessments, submitted and approved, newest first", async () => {
		const expected = [...t.org.cycles]
			.sort((a, b) => b.startsOn.localeCompare(a.startsOn))
			.map((c) => {
				const mine = t.org.assessments.filter((a) => a.cycleId === c.id);
				return {
					name: c.name,
					assessments: mine.length,
					submitted: mine.filter((a) => a.status === 'submitted').length,
					approved: mine.filter((a) => a.status === 'approved').length
				};
			});
		// The organisation is built so that no two cycles share a figure by accident.
		expect(expected.map((c) => c.assessments)).toEqual([4, 6]);
		const listed = await listCycles(t.db);
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
