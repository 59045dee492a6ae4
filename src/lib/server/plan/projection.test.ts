import { describe, expect, it } from 'vitest';
import type { Criterion, Model, Phase, Practice } from '$lib/server/model/types';
import { isMet, projectScore, type CurrentAnswers, type CurrentPractice } from './projection';

/** A model small enough to score by hand: plan holds A and B, build holds C and D. */
function practice(id: string, phase: Phase['id'], levels: string[][]): Practice {
	return {
		id,
		phase,
		order: 0,
		name: id,
		summary: '',
		samm: [],
		ssdf: [],
		guidance: '',
		levels: levels.map((ids, i) => ({
			level: i + 1,
			title: `L${i + 1}`,
			criteria: ids.map((c) => ({ id: c, text: c, practiceId: id, level: i + 1 }))
		}))
	};
}
const A = practice('a', 'plan', [['a1a', 'a1b'], ['a2a', 'a2b'], ['a3a'], ['a4a']]);
const B = practice('b', 'plan', [['b1a', 'b1b'], ['b2a'], ['b3a'], ['b4a']]);
const C = practice('c', 'build', [['c1a', 'c1b'], ['c2a', 'c2b'], ['c3a'], ['c4a']]);
const D = practice('d', 'build', [['d1a'], ['d2a'], ['d3a'], ['d4a']]);
const practices = [A, B, C, D];
const model: Model = {
	version: 'test',
	phases: [
		{ id: 'plan', name: 'Plan', description: '', practices: [A, B] },
		{ id: 'build', name: 'Build', description: '', practices: [C, D] }
	],
	practices,
	practiceById: new Map(practices.map((p) => [p.id, p])),
	criterionById: new Map<string, Criterion>(
		practices.flatMap((p) => p.levels.flatMap((l) => l.criteria.map((c) => [c.id, c])))
	)
};

/*
 * By hand:
 *   A: L1 (1 + 0.5)/2 = 0.75, L2 (0.25 + 0)/2 = 0.125          → 0.875, level 1
 *   B: L1 (0.5 + 0.5)/2 = 0.5                                  → 0.5,   level 0
 *   C: L1 1, L2 (1 + 0.5)/2 = 0.75, L3 0                        → 1.75,  level 2
 *   D: not applicable
 *   plan (0.875 + 0.5)/2 = 0.6875, build 1.75 → team (0.6875 + 1.75)/2 = 1.21875
 */
const row = (practiceId: string, score: number, achievedLevel: number, extra = {}) =>
	[
		practiceId,
		{ practiceId, score, achievedLevel, notApplicable: false, target: null, ...extra }
	] as [string, CurrentPractice];
const current: CurrentAnswers = {
	practices: new Map([
		row('a', 0.875, 1, { target: 2 }),
		row('b', 0.5, 0),
		row('c', 1.75, 2, { target: 2 }),
		row('d', 2, 1, { notApplicable: true })
	]),
	answers: new Map([
		['a1a', 1],
		['a1b', 0.5],
		['a2a', 0.25],
		['a2b', 0],
		['b1a', 0.5],
		['b1b', 0.5],
		['c1a', 1],
		['c1b', 1],
		['c2a', 1],
		['c2b', 0.5],
		['c3a', 0]
	])
};

describe('the score the team would reach', () => {
	it('counts each open item’s criterion as "all" and a whole-practice item as its next level', () => {
		/*
		 * a2b → all: A L2 (0.25 + 1)/2 = 0.625                      → 0.75 + 0.625 = 1.375
		 * B whole practice, level 0 → level 1 all                    → 1
		 * c3a → all, then C whole practice: level 3 reached → L4 all → 1 + 0.75 + 1 + 1 = 3.75
		 * d (not applicable) stays out
		 * plan (1.375 + 1)/2 = 1.1875, build 3.75 → team (1.1875 + 3.75)/2 = 2.46875
		 */
		const projection = projectScore(model, current, [
			{ practiceId: 'a', criterionId: 'a2b' },
			{ practiceId: 'b', criterionId: null },
			{ practiceId: 'c', criterionId: null },
			{ practiceId: 'c', criterionId: 'c3a' },
			{ practiceId: 'd', criterionId: 'd1a' }
		]);
		// The scoring module rounds to four places.
		expect(projection).toEqual({ current: 1.2188, projected: 2.4688 });
	});

	it('is the current score when nothing is open, and ignores practices and criteria the model lacks', () => {
		expect(projectScore(model, current, [])).toEqual({ current: 1.2188, projected: 1.2188 });
		expect(
			projectScore(model, current, [
				{ practiceId: 'gone', criterionId: null },
				{ practiceId: 'a', criterionId: 'b1a' }
			])
		).toEqual({ current: 1.2188, projected: 1.2188 });
	});

	it('lifts a whole practice once, however many items name it', () => {
		const one = projectScore(model, current, [{ practiceId: 'b', criterionId: null }]);
		const two = projectScore(model, current, [
			{ practiceId: 'b', criterionId: null },
			{ practiceId: 'b', criterionId: null }
		]);
		// B → 1: plan (0.875 + 1)/2 = 0.9375, team (0.9375 + 1.75)/2 = 1.34375
		expect(one.projected).toBe(1.3438);
		expect(two).toEqual(one);
	});
});

describe('an item that the answers show as met', () => {
	it('is met when its criterion is answered "all"', () => {
		expect(isMet({ practiceId: 'a', criterionId: 'a1a' }, current)).toBe(true);
		expect(isMet({ practiceId: 'a', criterionId: 'a1b' }, current)).toBe(false);
		expect(isMet({ practiceId: 'a', criterionId: 'a3a' }, current)).toBe(false);
	});

	it('for a whole practice, when its achieved level reaches the target', () => {
		expect(isMet({ practiceId: 'c', criterionId: null }, current)).toBe(true);
		expect(isMet({ practiceId: 'a', criterionId: null }, current)).toBe(false);
		// No target set: nothing to reach.
		expect(isMet({ practiceId: 'b', criterionId: null }, current)).toBe(false);
	});

	it('is never met without a current assessment', () => {
		expect(isMet({ practiceId: 'a', criterionId: 'a1a' }, null)).toBe(false);
	});
});
