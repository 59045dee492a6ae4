import { describe, expect, it } from 'vitest';
import {
	ACHIEVED_THRESHOLD,
	isCoverage,
	scorePhase,
	scorePractice,
	scoreTeam,
	spread
} from './scoring';

const levels = [
	{ criteria: [{ id: '1a' }, { id: '1b' }] },
	{ criteria: [{ id: '2a' }, { id: '2b' }, { id: '2c' }] },
	{ criteria: [{ id: '3a' }, { id: '3b' }] },
	{ criteria: [{ id: '4a' }, { id: '4b' }, { id: '4c' }, { id: '4d' }] }
];
const answers = (o: Record<string, number>) => new Map(Object.entries(o));

describe('coverage scale', () => {
	it('accepts exactly no, some, most and all', () => {
		expect([0, 0.25, 0.5, 1].every(isCoverage)).toBe(true);
		expect([0.75, -1, 2, '1', null].some(isCoverage)).toBe(false);
	});
});

describe('practice score', () => {
	it('is the sum of level means, and a level is the mean of its answers', () => {
		const s = scorePractice(
			levels,
			answers({ '1a': 1, '1b': 0.5, '2a': 1, '2b': 1, '2c': 0.25, '3a': 0.5 })
		);
		expect(s.levelScores).toEqual([0.75, 0.75, 0.25, 0]);
		expect(s.score).toBe(1.75);
	});

	it('counts a missing answer as 0', () => {
		expect(scorePractice(levels, answers({ '1a': 1 })).levelScores[0]).toBe(0.5);
		expect(scorePractice(levels, new Map()).score).toBe(0);
	});

	it('achieves a level only when every level up to it reaches 0.75', () => {
		const all = (v: number) =>
			answers(Object.fromEntries(levels.flatMap((l) => l.criteria.map((c) => [c.id, v]))));
		expect(scorePractice(levels, all(1)).achievedLevel).toBe(4);
		expect(scorePractice(levels, all(0.5)).achievedLevel).toBe(0);
		// Level 1 at exactly the threshold counts; a strong level 3 after a weak level 2 does not.
		const s = scorePractice(levels, answers({ '1a': 1, '1b': 0.5, '2a': 0.5, '3a': 1, '3b': 1 }));
		expect(s.levelScores[0]).toBe(ACHIEVED_THRESHOLD);
		expect(s.achievedLevel).toBe(1);
	});

	it('ranges from 0.00 to 4.00', () => {
		const full = answers(
			Object.fromEntries(levels.flatMap((l) => l.criteria.map((c) => [c.id, 1])))
		);
		expect(scorePractice(levels, full).score).toBe(4);
	});
});

describe('phase and team scores', () => {
	it('leaves not-applicable practices out of the phase mean', () => {
		expect(
			scorePhase([
				{ score: 3, notApplicable: false },
				{ score: 0, notApplicable: true },
				{ score: 1, notApplicable: false }
			])
		).toBe(2);
	});
	it('has no phase score when every practice is not applicable', () => {
		expect(scorePhase([{ score: 0, notApplicable: true }])).toBeNull();
	});
	it('is the mean of the phase scores that exist', () => {
		expect(scoreTeam([1, 2, null, 3])).toBe(2);
		expect(scoreTeam([null])).toBeNull();
	});
});

describe('organisation spread', () => {
	it('gives mean, median, min, max and the number of teams', () => {
		expect(spread([1, 3, 2, null, 4])).toEqual({
			mean: 2.5,
			median: 2.5,
			min: 1,
			max: 4,
			teams: 4
		});
		expect(spread([2, 0.5, 1])).toEqual({ mean: 1.1667, median: 1, min: 0.5, max: 2, teams: 3 });
		expect(spread([])).toBeNull();
	});
});
