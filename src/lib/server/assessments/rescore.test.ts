import { describe, expect, it } from 'vitest';
import { loadModel } from '$lib/server/model/load-model';
import { aggregateScores, rescore, scorePractices } from './rescore';
import { scorePhase, scoreTeam } from './scoring';

const model = loadModel();
const tm = model.practiceById.get('threat-modeling')!;
const allCriteria = (p: typeof tm) => p.levels.flatMap((l) => l.criteria.map((c) => c.id));

describe('rescoring after an answer changes', () => {
	it('gives what scoring every practice from scratch gives', () => {
		// Some answers across the model; the stored rows are those of the answers before one change.
		const before = new Map<string, number>();
		model.practices.forEach((p, i) =>
			allCriteria(p).forEach((c, j) => before.set(c, [0, 0.25, 0.5, 1][(i + j) % 4]!))
		);
		const stored = scorePractices(model.practices, before).map((r) => ({
			practiceId: r.practiceId,
			score: r.score,
			notApplicable: false
		}));
		const after = new Map(before).set(allCriteria(tm)[0]!, 1).set(allCriteria(tm)[1]!, 0);

		const incremental = rescore(model, [tm], after, stored);
		const scratch = scorePractices(model.practices, after);
		expect(incremental.practices).toEqual(scratch.filter((r) => r.practiceId === tm.id));
		const phases = model.phases.map((ph) => ({
			phase: ph.id,
			score: scorePhase(
				ph.practices.map((p) => ({
					score: scratch.find((r) => r.practiceId === p.id)!.score,
					notApplicable: false
				}))
			)
		}));
		expect(incremental.phases).toEqual(phases);
		expect(incremental.team).toBe(scoreTeam(phases.map((p) => p.score)));
	});

	it('keeps a practice’s not-applicable flag: its new score does not count', () => {
		const phase = model.phases.find((p) => p.id === tm.phase)!;
		const stored = phase.practices.map((p) => ({
			practiceId: p.id,
			score: 2,
			notApplicable: p.id === tm.id
		}));
		const answers = new Map(allCriteria(tm).map((c) => [c, 1]));
		const r = rescore(model, [tm], answers, stored);
		expect(r.practices[0]).toMatchObject({ practiceId: tm.id, score: 4, achievedLevel: 4 });
		expect(r.phases.find((p) => p.phase === tm.phase)?.score).toBe(2);
	});

	it('counts a practice with no stored row as applicable and 0, and a phase of only not-applicable practices as no score', () => {
		const phase = model.phases.find((p) => p.id === tm.phase)!;
		const others = model.phases.filter((p) => p.id !== tm.phase);
		const stored = others.flatMap((ph) =>
			ph.practices.map((p) => ({ practiceId: p.id, score: 1, notApplicable: true }))
		);
		const { phases, team } = aggregateScores(model, stored);
		expect(phases.find((p) => p.phase === tm.phase)?.score).toBe(0);
		expect(phases.filter((p) => p.phase !== phase.id).every((p) => p.score === null)).toBe(true);
		expect(team).toBe(0);
	});
});
