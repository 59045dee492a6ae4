import { describe, expect, it } from 'vitest';
import { loadModel } from '$lib/server/model/load-model';
import { draftFrom } from './draft';

const model = loadModel();
const params = (q: Record<string, string>) => new URLSearchParams(q);
const question = {
	id: '6d6f3c1e-1111-4aaa-8bbb-123456789abc',
	practiceId: 'code-review',
	criterionId: 'code-review.2.a'
};

describe("a new item's starting point", () => {
	it('takes a known practice, its criterion and the source from the links', () => {
		const draft = draftFrom(
			params({
				practice: 'threat-modeling',
				criterion: 'threat-modeling.1.b',
				source: 'next_step'
			}),
			model,
			[]
		);
		expect(draft).toMatchObject({
			practiceId: 'threat-modeling',
			criterionId: 'threat-modeling.1.b',
			source: 'next_step',
			questionId: null
		});
		expect(draft!.criteria.map((c) => c.id)).toEqual(
			model.practiceById.get('threat-modeling')!.levels.flatMap((l) => l.criteria.map((c) => c.id))
		);
	});

	it('drops what it does not know: a practice, a criterion of another practice, a source', () => {
		expect(draftFrom(params({ practice: 'made-up' }), model, [])).toBeNull();
		expect(draftFrom(params({}), model, [])).toBeNull();
		expect(
			draftFrom(
				params({ practice: 'threat-modeling', criterion: 'code-review.1.a', source: 'hack' }),
				model,
				[]
			)
		).toMatchObject({ criterionId: null, source: 'manual' });
		// A question source needs one of the team's questions.
		expect(
			draftFrom(params({ practice: 'threat-modeling', source: 'question' }), model, [])
		).toMatchObject({ source: 'manual', questionId: null });
	});

	it("takes practice and criterion from one of the team's questions, and only from those", () => {
		expect(draftFrom(params({ question: question.id }), model, [question])).toMatchObject({
			practiceId: 'code-review',
			criterionId: 'code-review.2.a',
			source: 'question',
			questionId: question.id
		});
		expect(draftFrom(params({ question: question.id }), model, [])).toBeNull();
	});
});
