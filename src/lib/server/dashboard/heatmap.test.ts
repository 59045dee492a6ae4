import { describe, expect, it } from 'vitest';
import { encodeHeatmap, unitHeatmap } from './heatmap';

describe('heatmap encoding', () => {
	it('writes one character per practice: level, n/a or no answer', () => {
		const rows = encodeHeatmap(
			[
				{ teamId: 'a', name: 'A', slug: 'a', unit: null, score: 1 },
				{ teamId: 'b', name: 'B', slug: 'b', unit: 'U', score: null }
			],
			[
				{ teamId: 'a', practiceId: 'p1', achievedLevel: 3, notApplicable: false },
				{ teamId: 'a', practiceId: 'p3', achievedLevel: 0, notApplicable: true },
				{ teamId: 'a', practiceId: 'unknown', achievedLevel: 2, notApplicable: false }
			],
			['p1', 'p2', 'p3']
		);
		expect(rows.map((r) => r.levels)).toEqual(['3.n', '...']);
	});
});

describe('heatmap per org unit', () => {
	it('averages achieved levels per unit and practice, leaving out n/a, sorted by unit', () => {
		const rows = unitHeatmap(
			[
				{ teamId: 'a', unitId: 'u2', unit: 'Payments', score: 2 },
				{ teamId: 'b', unitId: 'u2', unit: 'Payments', score: 3 },
				{ teamId: 'c', unitId: 'u1', unit: 'Identity', score: null },
				{ teamId: 'd', unitId: null, unit: null, score: 1 }
			],
			[
				{ teamId: 'a', practiceId: 'p1', achievedLevel: 1, notApplicable: false },
				{ teamId: 'b', practiceId: 'p1', achievedLevel: 2, notApplicable: false },
				{ teamId: 'b', practiceId: 'p2', achievedLevel: 4, notApplicable: true },
				{ teamId: 'a', practiceId: 'p2', achievedLevel: 3, notApplicable: false },
				{ teamId: 'd', practiceId: 'p2', achievedLevel: 0, notApplicable: false }
			],
			['p1', 'p2']
		);
		expect(rows).toEqual([
			{ unitId: 'u1', unit: 'Identity', teams: 1, score: null, levels: [null, null] },
			{ unitId: null, unit: 'No org unit', teams: 1, score: 1, levels: [null, 0] },
			{ unitId: 'u2', unit: 'Payments', teams: 2, score: 2.5, levels: [1.5, 3] }
		]);
	});
});
