import { describe, expect, it } from 'vitest';
import { loadModel } from '$lib/server/model/load-model';
import { criterionIdsOf } from '$lib/server/model/criteria';
import { assessmentProgress, nextUnanswered, unansweredCount } from './progress';

const model = loadModel();
const [plan, develop] = model.phases;
const all = model.phases.flatMap((p) => criterionIdsOf(p.practices));

describe('how far an assessment is answered', () => {
	it('counts nothing answered as everything left, in model order', () => {
		const progress = assessmentProgress(model, new Set(), new Set());
		expect(unansweredCount(progress)).toBe(all.length);
		expect(progress.map((p) => p.id)).toEqual(model.phases.map((p) => p.id));
		expect(progress[0]!.unanswered.map((c) => c.id)).toEqual(criterionIdsOf(plan!.practices));
		expect(progress[0]!.total).toBe(criterionIdsOf(plan!.practices).length);
	});

	it('counts per phase and practice, and leaves not-applicable practices out of both', () => {
		const [first, second] = plan!.practices;
		const firstIds = criterionIdsOf([first!]);
		const answered = new Set([
			firstIds[0]!,
			firstIds[1]!,
			criterionIdsOf([develop!.practices[0]!])[0]!
		]);
		const progress = assessmentProgress(model, answered, new Set([second!.id]));
		const p = progress[0]!;
		expect(p.practices[0]).toEqual({
			id: first!.id,
			answered: 2,
			total: firstIds.length,
			notApplicable: false
		});
		expect(p.practices[1]).toEqual({ id: second!.id, answered: 0, total: 0, notApplicable: true });
		const expectedTotal = criterionIdsOf(plan!.practices).length - criterionIdsOf([second!]).length;
		expect(p.total).toBe(expectedTotal);
		expect(p.answered).toBe(2);
		expect(p.unanswered).toHaveLength(expectedTotal - 2);
		expect(p.unanswered.some((c) => c.practiceId === second!.id)).toBe(false);
		expect(progress[1]!.answered).toBe(1);
		expect(unansweredCount(progress)).toBe(all.length - 3 - criterionIdsOf([second!]).length);
	});

	it('finds the next unanswered criterion from a phase on, wrapping round, or none', () => {
		const planIds = new Set(criterionIdsOf(plan!.practices));
		const progress = assessmentProgress(model, planIds, new Set());
		expect(nextUnanswered(progress, 'plan')).toMatchObject({
			phase: 'develop',
			criterion: { id: criterionIdsOf(develop!.practices)[0] }
		});
		const last = model.phases.at(-1)!;
		const allButPlan = new Set(all.filter((id) => !planIds.has(id)));
		const wrapped = assessmentProgress(model, allButPlan, new Set());
		expect(nextUnanswered(wrapped, last.id)?.phase).toBe('plan');
		expect(nextUnanswered(assessmentProgress(model, new Set(all), new Set()))).toBeNull();
	});
});
