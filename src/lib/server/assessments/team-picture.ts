import { eq, inArray } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { Model } from '$lib/server/model/types';
import { practiceResultColumns, type listTeamAssessments } from './assessments';

export type TeamAssessment = Awaited<ReturnType<typeof listTeamAssessments>>[number];

const TREND_EPSILON = 0.05;

/**
 * The team's picture: this cycle against the last one and the targets, and where to go next.
 * `assessments` are the team's, newest cycle first (listTeamAssessments).
 */
export async function teamPicture(
	db: Database,
	model: Model,
	assessments: readonly TeamAssessment[]
) {
	const [current, previous] = assessments;
	if (!current) return null;
	const ids = [current.id, ...(previous ? [previous.id] : [])];
	const [practices, phases, answers] = await Promise.all([
		db
			.select(practiceResultColumns)
			.from(table.assessmentPractice)
			.where(inArray(table.assessmentPractice.assessmentId, ids)),
		db
			.select({
				assessmentId: table.assessmentPhase.assessmentId,
				phase: table.assessmentPhase.phase,
				score: table.assessmentPhase.score
			})
			.from(table.assessmentPhase)
			.where(inArray(table.assessmentPhase.assessmentId, ids)),
		db
			.select({ criterionId: table.answer.criterionId, value: table.answer.value })
			.from(table.answer)
			.where(eq(table.answer.assessmentId, current.id))
	]);
	return pictureOf(model, assessments, {
		practices,
		phases,
		answers: new Map(answers.map((a) => [a.criterionId, a.value]))
	});
}

/** What the picture is made of: the newest two assessments' practice and phase rows, the newest's answers. */
export interface PictureRows {
	practices: readonly PicturePracticeRow[];
	phases: readonly { assessmentId: string; phase: string; score: number | null }[];
	/** The newest assessment's answer values by criterion id. */
	answers: ReadonlyMap<string, number | null>;
}

type PicturePracticeRow = Pick<
	typeof table.assessmentPractice.$inferSelect,
	'assessmentId' | 'practiceId' | 'notApplicable' | 'target' | 'score' | 'achievedLevel'
>;

/** teamPicture from rows already read (the team page reads them with the rest of the page). */
export function pictureOf(
	model: Model,
	assessments: readonly TeamAssessment[],
	{ practices: practiceRows, phases: phaseRows, answers }: PictureRows
) {
	const [current, previous] = assessments;
	if (!current) return null;
	const practiceOf = (assessmentId: string, practiceId: string) =>
		practiceRows.find((r) => r.assessmentId === assessmentId && r.practiceId === practiceId);
	const phaseOf = (assessmentId: string, phase: string) =>
		phaseRows.find((r) => r.assessmentId === assessmentId && r.phase === phase)?.score ?? null;

	const practices = model.practices.map((p) => {
		const now = practiceOf(current.id, p.id);
		const before = previous ? practiceOf(previous.id, p.id) : undefined;
		const delta =
			now && before && !now.notApplicable && !before.notApplicable
				? now.score - before.score
				: null;
		return {
			id: p.id,
			name: p.name,
			phase: p.phase,
			score: now?.score ?? 0,
			achievedLevel: now?.achievedLevel ?? 0,
			target: now?.target ?? null,
			notApplicable: now?.notApplicable ?? false,
			trend:
				delta === null
					? null
					: delta > TREND_EPSILON
						? 'up'
						: delta < -TREND_EPSILON
							? 'down'
							: 'flat',
			delta
		};
	});

	const phases = model.phases.map((ph) => {
		const targets = practices.filter(
			(p) => p.phase === ph.id && !p.notApplicable && p.target !== null
		);
		return {
			id: ph.id,
			name: ph.name,
			score: phaseOf(current.id, ph.id),
			previous: previous ? phaseOf(previous.id, ph.id) : null,
			target: targets.length ? targets.reduce((s, p) => s + p.target!, 0) / targets.length : null
		};
	});

	// Next steps: the weakest applicable practices and the criteria that would lift each one level
	// (only those criteria's answers are read).
	const weakest = practices
		.filter((p) => !p.notApplicable && p.achievedLevel < 4)
		.sort((a, b) => a.score - b.score || a.achievedLevel - b.achievedLevel)
		.slice(0, 3)
		.map((p) => ({ practice: p, level: model.practiceById.get(p.id)!.levels[p.achievedLevel]! }));
	const nextSteps = weakest.map(({ practice: p, level }) => ({
		...p,
		nextLevel: level.level,
		nextLevelTitle: level.title,
		criteria: level.criteria
			.map((c) => ({ id: c.id, text: c.text, value: answers.get(c.id) ?? null }))
			.filter((c) => c.value !== 1)
	}));

	return {
		current: { cycle: current.cycle, status: current.status, score: current.score },
		previous: previous ? { cycle: previous.cycle, score: previous.score } : null,
		phases,
		practices,
		nextSteps
	};
}
