import type { Database } from '$lib/server/db';
import type { Model } from '$lib/server/model/types';
import { criteriaOf } from '$lib/server/model/criteria';
import { loadAnswers, loadPhaseScores, loadPractices } from './assessments';

/** Per phase: how many criteria are answered, the phase score, and each practice's stored result. */
export async function assessmentOverview(db: Database, model: Model, assessmentId: string) {
	const [answers, practices, phaseScores] = await Promise.all([
		loadAnswers(db, assessmentId),
		loadPractices(db, assessmentId),
		loadPhaseScores(db, assessmentId)
	]);
	return model.phases.map((phase) => {
		const criteria = criteriaOf(phase.practices);
		return {
			id: phase.id,
			name: phase.name,
			score: phaseScores.get(phase.id) ?? null,
			answered: criteria.filter((c) => (answers.get(c.id)?.value ?? null) !== null).length,
			total: criteria.length,
			practices: phase.practices.map((p) => {
				const s = practices.get(p.id);
				return {
					id: p.id,
					name: p.name,
					score: s?.score ?? 0,
					achievedLevel: s?.achievedLevel ?? 0,
					target: s?.target ?? null,
					notApplicable: s?.notApplicable ?? false
				};
			})
		};
	});
}
