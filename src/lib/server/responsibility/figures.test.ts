import { describe, expect, it } from 'vitest';
import { responsibilityFigures } from './figures';

describe('responsibility figures', () => {
	const rows = [
		{ practiceId: 'penetration-testing', party: 'security' as const, teams: 3 },
		{ practiceId: 'penetration-testing', party: 'delivery' as const, teams: 1 },
		{ practiceId: 'threat-modeling', party: 'security' as const, teams: 2 },
		{ practiceId: 'threat-modeling', party: 'shared' as const, teams: 1 },
		{ practiceId: 'threat-modeling', party: 'nobody' as const, teams: 1 }
	];
	const [pen, tm, sast] = responsibilityFigures(
		['penetration-testing', 'threat-modeling', 'static-analysis'],
		rows,
		5
	);

	it('counts each party and the teams that recorded nothing', () => {
		expect(pen!.counts).toEqual({
			delivery: 1,
			security: 3,
			operations: 0,
			shared: 0,
			nobody: 0,
			unrecorded: 1
		});
		expect(sast!.counts.unrecorded).toBe(5);
	});
	it('marks a silo when the security team alone owns it in more than half of the teams', () => {
		expect(pen!.silo).toBe(true);
		// 2 of 5 is not more than half.
		expect(tm!.silo).toBe(false);
	});
	it('marks a gap when a team says nobody owns it', () => {
		expect(tm!.gap).toBe(true);
		expect(pen!.gap).toBe(false);
	});
});
