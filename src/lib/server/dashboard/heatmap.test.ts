import { describe, expect, it } from 'vitest';
import { encodeHeatmap } from './heatmap';

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
