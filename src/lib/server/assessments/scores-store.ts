import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { Model } from '$lib/server/model/types';
import { scorePhase, scorePractice, scoreTeam } from './scoring';

/**
 * Recomputes and stores the scores of some practices of one assessment (all of them when
 * `practiceIds` is omitted), then its phase and team scores. Called inside the transaction
 * that changed the answers, so stored scores never disagree with stored answers.
 */
export async function recomputeScores(
	tx: Tx,
	model: Model,
	assessmentId: string,
	practiceIds?: readonly string[]
): Promise<void> {
	const practices = practiceIds
		? practiceIds.map((id) => model.practiceById.get(id)).filter((p) => p !== undefined)
		: model.practices;
	const criterionIds = practices.flatMap((p) =>
		p.levels.flatMap((l) => l.criteria.map((c) => c.id))
	);
	const answers = criterionIds.length
		? await tx
				.select({ criterionId: table.answer.criterionId, value: table.answer.value })
				.from(table.answer)
				.where(
					and(
						eq(table.answer.assessmentId, assessmentId),
						inArray(table.answer.criterionId, criterionIds)
					)
				)
		: [];
	const byCriterion = new Map(answers.map((a) => [a.criterionId, a.value]));

	const rows = practices.map((p) => {
		const s = scorePractice(p.levels, byCriterion);
		return {
			assessmentId,
			practiceId: p.id,
			phase: p.phase,
			score: s.score,
			achievedLevel: s.achievedLevel,
			levelScores: s.levelScores
		};
	});
	if (rows.length) {
		await tx
			.insert(table.assessmentPractice)
			.values(rows)
			.onConflictDoUpdate({
				target: [table.assessmentPractice.assessmentId, table.assessmentPractice.practiceId],
				set: {
					score: sqlExcluded('score'),
					achievedLevel: sqlExcluded('achieved_level'),
					levelScores: sqlExcluded('level_scores'),
					phase: sqlExcluded('phase')
				}
			});
	}
	await recomputeAggregates(tx, model, assessmentId);
}

/** Phase and team scores from the stored practice scores (cheap: at most ~25 rows). */
export async function recomputeAggregates(tx: Tx, model: Model, assessmentId: string) {
	const stored = await tx
		.select({
			practiceId: table.assessmentPractice.practiceId,
			score: table.assessmentPractice.score,
			notApplicable: table.assessmentPractice.notApplicable
		})
		.from(table.assessmentPractice)
		.where(eq(table.assessmentPractice.assessmentId, assessmentId));
	const byPractice = new Map(stored.map((s) => [s.practiceId, s]));
	const phases = model.phases.map((phase) => ({
		assessmentId,
		phase: phase.id,
		score: scorePhase(
			phase.practices.map((p) => byPractice.get(p.id) ?? { score: 0, notApplicable: false })
		)
	}));
	await tx
		.insert(table.assessmentPhase)
		.values(phases)
		.onConflictDoUpdate({
			target: [table.assessmentPhase.assessmentId, table.assessmentPhase.phase],
			set: { score: sqlExcluded('score') }
		});
	await tx
		.update(table.assessment)
		.set({ score: scoreTeam(phases.map((p) => p.score)), updatedAt: new Date() })
		.where(eq(table.assessment.id, assessmentId));
}

/** The value a conflicting INSERT tried to write, for ON CONFLICT DO UPDATE. */
function sqlExcluded(column: string) {
	return sql.raw(`excluded."${column}"`);
}
