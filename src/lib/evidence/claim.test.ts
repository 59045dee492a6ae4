import { describe, expect, it } from 'vitest';
import { checkClaim, isScannableClaim } from './claim';

describe('an answer against the pipelines', () => {
	const facts = (covered: number, repositories: number) => ({ covered, repositories });

	it('backs "all" only when every repository had a qualifying run', () => {
		expect(checkClaim(1, facts(4, 4))).toBe('backed');
		expect(checkClaim(1, facts(3, 4))).toBe('contradicted');
		expect(checkClaim(1, facts(0, 1))).toBe('contradicted');
	});

	it('backs "most" when at least half the repositories had one', () => {
		expect(checkClaim(0.5, facts(2, 4))).toBe('backed');
		expect(checkClaim(0.5, facts(1, 1))).toBe('backed');
		expect(checkClaim(0.5, facts(1, 3))).toBe('contradicted');
		expect(checkClaim(0.5, facts(0, 4))).toBe('contradicted');
		expect(checkClaim(0.5, facts(1, 2))).toBe('backed');
	});

	it('checks nothing else: no, some, unanswered, or a team without facts', () => {
		for (const value of [0, 0.25, null, undefined]) {
			expect(checkClaim(value, facts(0, 4)), String(value)).toBeNull();
			expect(isScannableClaim(value)).toBe(false);
		}
		expect(checkClaim(1, null)).toBeNull();
		expect(checkClaim(1, facts(0, 0))).toBeNull();
		expect(isScannableClaim(0.5) && isScannableClaim(1)).toBe(true);
	});
});
