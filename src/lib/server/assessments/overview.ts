import { and, eq, isNotNull } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { Model } from '$lib/server/model/types';
import { loadPhaseScores, loadPractices } from './assessments';
import { assessmentProgress, type PhaseProgress } from './progress';

/** Which criteria have an answer and which practices are marked not applicable: two id lists. */
export async function assessmentProgressOf(
	db: Tx,
	model: Model,
	assessmentId: string
): Promise<PhaseProgress[]> {
	const [answered, notApplicable] = await Promise.all([
		db
			.select({ id: table.answer.criterionId })
			.from(table.answer)
			.where(and(eq(table.answer.assessmentId, assessmentId), isNotNull(table.answer.value))),
		db
			.select({ id: table.assessmentPractice.practiceId })
			.from(table.assessmentPractice)
			.where(
				and(
					eq(table.assessmentPractice.assessmentId, assessmentId),
					eq(table.assessmentPractice.notApplicable, true)
				)
			)
	]);
	return assessmentProgress(
		model,
		new Set(answered.map((a) => a.id)),
		new Set(notApplicable.map((p) => p.id))
	);
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
