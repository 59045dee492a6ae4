import { and, eq, inArray, sql, type SQLWrapper } from 'drizzle-orm';
import type { Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { writeTogether } from '$lib/server/db/one-statement';
import type { Model } from '$lib/server/model/types';
import { criterionIdsOf } from '$lib/server/model/criteria';
import { aggregateScores, scorePractices, type PracticeScoreRow, type Rescored } from './rescore';

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
	const criterionIds = criterionIdsOf(practices);
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
	const rows = scorePractices(practices, new Map(answers.map((a) => [a.criterionId, a.value])));
	if (rows.length) await practiceScoreUpsert(tx, assessmentId, rows);
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
	await writeTogether(tx, aggregateWrites(tx, assessmentId, aggregateScores(model, stored)));
}

function aggregateWrites(
	tx: Tx,
	assessmentId: string,
	scores: Pick<Rescored, 'phases' | 'team'>
): SQLWrapper[] {
	return [
		tx
			.insert(table.assessmentPhase)
			.values(scores.phases.map((p) => ({ assessmentId, ...p })))
			.onConflictDoUpdate({
				target: [table.assessmentPhase.assessmentId, table.assessmentPhase.phase],
				set: { score: sqlExcluded('score') }
			}),
		tx
			.update(table.assessment)
			.set({ score: scores.team, updatedAt: new Date() })
			.where(eq(table.assessment.id, assessmentId))
	];
}

function practiceScoreUpsert(tx: Tx, assessmentId: string, rows: PracticeScoreRow[]) {
	return tx
		.insert(table.assessmentPractice)
		.values(rows.map((r) => ({ assessmentId, ...r })))
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

/** The value a conflicting INSERT tried to write, for ON CONFLICT DO UPDATE. */
function sqlExcluded(column: string) {
	return sql.raw(`excluded."${column}"`);
}
