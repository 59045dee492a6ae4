/**
 * Where plan items come from besides typing them, without a database: the team's next steps
 * (the rule of the team page's picture, assessments/team-picture.ts: the three weakest applicable
 * practices below level 4 and the criteria of their next level not yet answered "all"), practices
 * below their target, and reviewers' questions on the team's assessments.
 */
import type { Model } from '$lib/server/model/types';
import type { CurrentAnswers } from './projection';

const NEXT_STEPS = 3;

interface Planned {
	practiceId: string;
	criterionId: string | null;
}

const key = (practiceId: string, criterionId: string | null) =>
	`${practiceId}|${criterionId ?? ''}`;

/** Next steps and practices below target from the current answers, each marked when an open item covers it. */
export function planSuggestions(
	model: Model,
	current: CurrentAnswers | null,
	openItems: readonly Planned[]
) {
	if (!current) return { nextSteps: [], belowTarget: [] };
	const planned = new Set(openItems.map((i) => key(i.practiceId, i.criterionId)));
	const practices = model.practices.map((p) => {
		const row = current.practices.get(p.id);
		return {
			practice: p,
			score: row?.score ?? 0,
			achievedLevel: row?.achievedLevel ?? 0,
			target: row?.target ?? null,
			notApplicable: row?.notApplicable ?? false
		};
	});
	const weakest = practices
		.filter((p) => !p.notApplicable && p.achievedLevel < 4)
		.sort((a, b) => a.score - b.score || a.achievedLevel - b.achievedLevel)
		.slice(0, NEXT_STEPS);
	return {
		nextSteps: weakest.map(({ practice, achievedLevel }) => {
			const level = practice.levels[achievedLevel]!;
			return {
				practiceId: practice.id,
				name: practice.name,
				nextLevel: level.level,
				criteria: level.criteria
					.map((c) => ({ id: c.id, text: c.text, value: current.answers.get(c.id) ?? null }))
					.filter((c) => c.value !== 1)
					.map((c) => ({ ...c, planned: planned.has(key(practice.id, c.id)) }))
			};
		}),
		belowTarget: practices
			.filter((p) => !p.notApplicable && p.target !== null && p.achievedLevel < p.target)
			.map((p) => ({
				practiceId: p.practice.id,
				name: p.practice.name,
				achievedLevel: p.achievedLevel,
				target: p.target!,
				planned: planned.has(key(p.practice.id, null))
			}))
	};
}

/** A reviewer's question as stored, with the first message of its thread. */
export interface QuestionRow {
	id: string;
	criterionId: string;
	status: string;
	cycle: string;
	body: string | null;
}

/** The questions whose criterion the model knows, with its practice and text. */
export function describeQuestions(model: Model, rows: readonly QuestionRow[]) {
	return rows.flatMap((r) => {
		const criterion = model.criterionById.get(r.criterionId);
		if (!criterion) return [];
		const practice = model.practiceById.get(criterion.practiceId)!;
		return [
			{
				...r,
				body: r.body ?? '',
				practiceId: practice.id,
				practiceName: practice.name,
				criterionText: criterion.text
			}
		];
	});
}
