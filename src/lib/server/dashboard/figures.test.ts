import { describe, expect, it } from 'vitest';
import {
	droppedTeams,
	orgScore,
	phaseLevelShares,
	progressShares,
	signed,
	whereToAct,
	type TeamRow
} from './figures';
import { summarySentences } from './summary';

const team = (
	name: string,
	status: TeamRow['status'],
	score: number | null,
	previousScore: number | null
): TeamRow => ({
	teamId: name,
	name,
	slug: name,
	unitId: null,
	unit: null,
	status,
	score,
	previousScore
});
const fixture = [
	team('a', 'approved', 2, 1.5),
	team('b', 'submitted', 1, 1.4),
	team('c', 'draft', 3, 3),
	team('d', 'returned', null, 2)
];

describe('dashboard figures', () => {
	it('gives the share of teams assessed and approved', () => {
		expect(progressShares(fixture)).toEqual({ teams: 4, assessed: 0.5, approved: 0.25 });
		expect(progressShares([])).toEqual({ teams: 0, assessed: 0, approved: 0 });
	});
	it('gives the organisation score with spread and its change', () => {
		const s = orgScore(fixture);
		expect(s.now).toEqual({ mean: 2, median: 2, min: 1, max: 3, teams: 3 });
		expect(s.previous).toEqual({ mean: 1.975, median: 1.75, min: 1.4, max: 3, teams: 4 });
		expect(s.change).toBe(0.025);
	});
	it('counts a team at level 2 in a phase only when every applicable practice is', () => {
		const phase = new Map([
			['tm', 'plan'],
			['req', 'plan'],
			['sast', 'build']
		]);
		const rows = [
			{ teamId: 'a', practiceId: 'tm', achievedLevel: 2, notApplicable: false },
			{ teamId: 'a', practiceId: 'req', achievedLevel: 3, notApplicable: false },
			{ teamId: 'b', practiceId: 'tm', achievedLevel: 2, notApplicable: false },
			{ teamId: 'b', practiceId: 'req', achievedLevel: 1, notApplicable: false },
			{ teamId: 'c', practiceId: 'tm', achievedLevel: 4, notApplicable: false },
			{ teamId: 'c', practiceId: 'req', achievedLevel: 0, notApplicable: true },
			{ teamId: 'a', practiceId: 'sast', achievedLevel: 0, notApplicable: true }
		];
		expect(phaseLevelShares(['plan', 'build'], phase, rows)).toEqual([
			{ phase: 'plan', share: 2 / 3, teams: 3 },
			{ phase: 'build', share: 0, teams: 0 }
		]);
	});
	it('lists teams that dropped, the biggest drop first', () => {
		expect(droppedTeams(fixture).map((t) => [t.name, t.change])).toEqual([['b', -0.4]]);
	});
	it('picks the lowest and the most spread practices', () => {
		const p = [
			{ practiceId: 'x', mean: 1, min: 0.5, max: 1.5, teams: 3 },
			{ practiceId: 'y', mean: 2, min: 0, max: 4, teams: 3 },
			{ practiceId: 'z', mean: 0.5, min: 0.25, max: 1, teams: 3 }
		];
		const w = whereToAct(p, 2);
		expect(w.lowest.map((x) => x.practiceId)).toEqual(['z', 'x']);
		expect(w.widest.map((x) => x.practiceId)).toEqual(['y', 'x']);
	});
	it('writes signed changes', () => {
		expect([signed(0.4), signed(-0.1), signed(0), signed(null)]).toEqual([
			'+0.40',
			'−0.10',
			'±0.00',
			'—'
		]);
	});
});

describe('summary sentences', () => {
	it('names the strongest and weakest phase and the biggest move', () => {
		const s = summarySentences({
			phases: [
				{ name: 'Plan', score: 1.5, previous: 1.4 },
				{ name: 'Build', score: 2.6, previous: 2.5 },
				{ name: 'Monitor', score: 1.1, previous: 1.5 }
			],
			org: { mean: 1.73, change: -0.07 },
			assessedShare: 0.75,
			dropped: 2
		});
		expect(s).toEqual([
			'The organisation scores 1.73 of 4 (−0.07 since the previous cycle).',
			'Build is the strongest phase (2.60); Monitor the weakest (1.10).',
			'Monitor dropped 0.40, the largest move of any phase.',
			'75 % of teams have submitted their assessment.',
			'2 teams dropped since the previous cycle.'
		]);
	});
});
