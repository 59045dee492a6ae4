import { sql } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { rowsOf } from '$lib/server/db/rows';
import type { Model } from '$lib/server/model/types';
import { loadPhaseScores, loadPractices } from './assessments';
import { assessmentProgress, type PhaseProgress } from './progress';

/** Which criteria have an answer and which practices are marked not applicable: two id lists. */
export async function assessmentProgressOf(
	db: Tx,
	model: Model,
	assessmentId: string
): Promise<PhaseProgress[]> {
	// One statement and one row: a row per answered criterion costs more to read than to find.
	const [row] = rowsOf<{ answered: string[]; notApplicable: string[] }>(
		await db.execute(sql`select
			coalesce((select array_agg(${table.answer.criterionId}) from ${table.answer}
				where ${table.answer.assessmentId} = ${assessmentId} and ${table.answer.value} is not null), '{}') as "answered",
			coalesce((select array_agg(${table.assessmentPractice.practiceId}) from ${table.assessmentPractice}
				where ${table.assessmentPractice.assessmentId} = ${assessmentId}
				and ${table.assessmentPractice.notApplicable}), '{}') as "notApplicable"`)
	);
	return assessmentProgress(model, new Set(row?.answered ?? []), new Set(row?.notApplicable ?? []));
}

/** Per phase: progress (answered of total, what is left), the phase score, and each practice's result. */
export async function assessmentOverview(db: Database, model: Model, assessmentId: string) {
	const [progress, practices, phaseScores] = await Promise.all([
		assessmentProgressOf(db, model, assessmentId),
		loadPractices(db, assessmentId),
		loadPhaseScores(db, assessmentId)
	]);
	return model.phases.map((phase, i) => {
		const done = progress[i]!;
		return {
			id: phase.id,
			name: phase.name,
			score: phaseScores.get(phase.id) ?? null,
			answered: done.answered,
			total: done.total,
			unanswered: done.unanswered,
			practices: phase.practices.map((p, j) => {
				const s = practices.get(p.id);
				return {
					id: p.id,
					name: p.name,
					answered: done.practices[j]!.answered,
					total: done.practices[j]!.total,
					score: s?.score ?? 0,
					achievedLevel: s?.achievedLevel ?? 0,
					target: s?.target ?? null,
					notApplicable: s?.notApplicable ?? false
				};
			})
		};
	});
}
