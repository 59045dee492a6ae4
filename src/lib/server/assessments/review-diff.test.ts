import { describe, expect, it } from 'vitest';
import type { Model, Phase, PhaseId, Practice } from '$lib/server/model/types';
import {
	answerChanges,
	mostMovedPractices,
	practiceChanges,
	reviewView,
	type AnswerState,
	type AssessmentSnapshot,
	type PracticeState
} from './review-diff';

/** A model small enough to reason about: two phases, three practices, two criteria each. */
function tinyModel(): Model {
	const practice = (id: string, phase: PhaseId, order: number): Practice => ({
		id,
		phase,
		order,
		name: id.toUpperCase(),
		summary: '',
		samm: [],
		ssdf: [],
		guidance: '',
		levels: [1, 2].map((level) => ({
			level,
			title: `L${level}`,
			criteria: [{ id: `${id}.${level}`, text: `${id} at ${level}`, practiceId: id, level }]
		}))
	});
	const practices = [
		practice('tm', 'plan', 1),
		practice('req', 'plan', 2),
		practice('sast', 'build', 1)
	];
	const phases: Phase[] = (['plan', 'build'] as const).map((id) => ({
		id,
		name: id === 'plan' ? 'Plan' : 'Build',
		description: '',
		practices: practices.filter((p) => p.phase === id)
	}));
	return {
		version: 'test',
		phases,
		practices,
		practiceById: new Map(practices.map((p) => [p.id, p])),
		criterionById: new Map(
			practices.flatMap((p) => p.levels.flatMap((l) => l.criteria)).map((c) => [c.id, c])
		)
	};
}

const answer = (value: number | null, comment = '', evidence: string[] = []): AnswerState => ({
	value,
	comment,
	evidence
});
const practice = (score: number, more: Partial<PracticeState> = {}): PracticeState => ({
	notApplicable: false,
	reason: '',
	target: null,
	score,
	achievedLevel: 0,
	...more
});

describe('answerChanges', () => {
	it('names each part that changed: value, comment, evidence', () => {
		expect(answerChanges(answer(0.5), answer(0.5))).toEqual([]);
		expect(answerChanges(answer(0.5), answer(1))).toEqual(['value']);
		expect(answerChanges(answer(0.5, 'a'), answer(0.5, 'b'))).toEqual(['comment']);
		expect(answerChanges(answer(1, '', ['https://a']), answer(1, '', ['https://b']))).toEqual([
			'evidence'
		]);
		expect(answerChanges(answer(0, 'x', []), answer(1, 'y', ['https://a']))).toEqual([
			'value',
			'comment',
			'evidence'
		]);
	});

	it('reads a missing answer as unanswered, and an answer of "no" as a change from it', () => {
		expect(answerChanges(null, null)).toEqual([]);
		expect(answerChanges(undefined, answer(null))).toEqual([]);
		expect(answerChanges(null, answer(0))).toEqual(['value']);
		expect(answerChanges(answer(0.25), null)).toEqual(['value']);
	});

	it('ignores spaces around a comment but not the order of evidence links', () => {
		expect(answerChanges(answer(1, 'same '), answer(1, ' same'))).toEqual([]);
		expect(
			answerChanges(
				answer(1, '', ['https://a', 'https://b']),
				answer(1, '', ['https://b', 'https://a'])
			)
		).toEqual(['evidence']);
	});
});

describe('practiceChanges', () => {
	it('sees not applicable switched, a new reason while not applicable, and a new target', () => {
		expect(practiceChanges(practice(1), practice(2))).toEqual([]);
		expect(practiceChanges(practice(1), practice(0, { notApplicable: true, reason: 'r' }))).toEqual(
			['notApplicable']
		);
		expect(
			practiceChanges(
				practice(0, { notApplicable: true, reason: 'old' }),
				practice(0, { notApplicable: true, reason: 'new' })
			)
		).toEqual(['reason']);
		// A reason left behind on an applicable practice is not shown, so it is no change.
		expect(practiceChanges(practice(1, { reason: 'old' }), practice(1, { reason: '' }))).toEqual(
			[]
		);
		expect(practiceChanges(null, practice(1, { target: 3 }))).toEqual(['target']);
	});
});

describe('mostMovedPractices', () => {
	const model = tinyModel();

	it('ranks by the size of the move, down as well as up, and leaves out what did not move', () => {
		const before = new Map([
			['tm', practice(1)],
			['req', practice(2)],
			['sast', practice(0.5)]
		]);
		const after = new Map([
			['tm', practice(1.5)],
			['req', practice(1)],
			['sast', practice(0.5)]
		]);
		expect(mostMovedPractices(model, before, after)).toEqual([
			{ practiceId: 'req', name: 'REQ', before: 2, after: 1, delta: -1 },
			{ practiceId: 'tm', name: 'TM', before: 1, after: 1.5, delta: 0.5 }
		]);
	});

	it('keeps model order for equal moves, honours the limit, and counts a missing row as 0', () => {
		const after = new Map([
			['tm', practice(1)],
			['req', practice(1)],
			['sast', practice(1)]
		]);
		expect(mostMovedPractices(model, new Map(), after, 2).map((m) => m.practiceId)).toEqual([
			'tm',
			'req'
		]);
	});

	it('leaves out a practice not applicable then or now', () => {
		const before = new Map([['tm', practice(0, { notApplicable: true, reason: 'r' })]]);
		const after = new Map([
			['tm', practice(3)],
			['req', practice(0, { notApplicable: true, reason: 'r' })],
			['sast', practice(0.25)]
		]);
		expect(mostMovedPractices(model, before, after).map((m) => m.practiceId)).toEqual(['sast']);
	});
});

describe('reviewView', () => {
	const model = tinyModel();
	const snapshot = (
		answers: [string, AnswerState & { updatedBy?: string | null }][],
		practices: [string, PracticeState][] = []
	): AssessmentSnapshot => ({ answers: new Map(answers), practices: new Map(practices) });
	const baseline = snapshot(
		[
			['tm.1', answer(0.5, '', ['https://wiki.example/tm'])],
			['req.1', answer(1)],
			['sast.1', answer(0)]
		],
		[['sast', practice(0)]]
	);
	const current = snapshot(
		[
			['tm.1', { ...answer(1, 'now done', ['https://jira.example/TM-1']), updatedBy: 'Ada' }],
			['req.1', answer(1)],
			['sast.1', answer(0)],
			['sast.2', { ...answer(0.25), updatedBy: 'Ben' }]
		],
		[['sast', practice(0.125, { target: 2 })]]
	);
	const ids = (v: ReturnType<typeof reviewView>) =>
		v.phases.flatMap((ph) => ph.practices.flatMap((p) => p.criteria.map((c) => c.id)));

	it('shows every criterion with then and now, who changed it, and the evidence that went', () => {
		const view = reviewView(model, current, baseline, { phase: null, changedOnly: false });
		expect(ids(view)).toEqual(['tm.1', 'tm.2', 'req.1', 'req.2', 'sast.1', 'sast.2']);
		const tm1 = view.phases[0]!.practices[0]!.criteria[0]!;
		expect(tm1).toMatchObject({
			before: { value: 0.5 },
			now: { value: 1, comment: 'now done', updatedBy: 'Ada' },
			changes: ['value', 'comment', 'evidence'],
			removedEvidence: ['https://wiki.example/tm']
		});
		expect(view.changedCriteria).toBe(2);
		expect(view.totalCriteria).toBe(6);
		expect(view.phases[1]!.practices[0]!.changes).toEqual(['target']);
		expect(view.moved).toEqual([
			{ practiceId: 'sast', name: 'SAST', before: 0, after: 0.125, delta: 0.125 }
		]);
	});

	it('filters to one phase and to changes only, a practice staying when only its settings changed', () => {
		const changed = reviewView(model, current, baseline, { phase: null, changedOnly: true });
		expect(ids(changed)).toEqual(['tm.1', 'sast.2']);
		expect(changed.phases.map((p) => p.practices.map((x) => x.id))).toEqual([['tm'], ['sast']]);
		const build = reviewView(model, current, baseline, { phase: 'build', changedOnly: false });
		expect(build.phases.map((p) => p.id)).toEqual(['build']);
		expect(ids(build)).toEqual(['sast.1', 'sast.2']);
		// The counts and the moves describe the whole assessment, whatever is shown.
		expect(build.changedCriteria).toBe(2);
		expect(build.moved).toHaveLength(1);
		const onlySettings = reviewView(
			model,
			snapshot([], [['req', practice(0, { target: 1 })]]),
			snapshot([]),
			{ phase: 'plan', changedOnly: true }
		);
		expect(onlySettings.phases[0]!.practices).toMatchObject([
			{ id: 'req', changes: ['target'], criteria: [] }
		]);
	});

	it('without an approved assessment to compare with, counts every answered criterion as changed and ranks no moves', () => {
		const view = reviewView(model, current, null, { phase: null, changedOnly: true });
		expect(ids(view)).toEqual(['tm.1', 'req.1', 'sast.1', 'sast.2']);
		expect(view.phases[0]!.practices[0]!.criteria[0]!.before).toBeNull();
		expect(view.phases[1]!.practices[0]!.before).toBeNull();
		expect(view.moved).toEqual([]);
	});
});
