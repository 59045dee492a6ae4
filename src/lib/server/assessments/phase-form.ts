import type { Database } from '$lib/server/db';
import type * as table from '$lib/server/db/schema';
import type { Phase } from '$lib/server/model/types';
import { criterionIdsOf } from '$lib/server/model/criteria';
import { loadAnswers, loadPractices } from './assessments';
import { previousAssessmentId } from './cycles';

/** What the person saw, so a whole-phase submit writes only what they changed. */
export function answerFingerprint(a: {
	value: number | null;
	comment: string;
	evidence: string[];
}) {
	return JSON.stringify([a.value, a.comment, a.evidence]);
}

export function practiceFingerprint(p: {
	notApplicable: boolean;
	reason: string;
	target: number | null;
}) {
	return JSON.stringify([p.notApplicable, p.notApplicable ? p.reason : '', p.target]);
}

/** Everything the phase form shows: each practice's settings and each criterion's answer, then and now. */
export async function phaseForm(
	db: Database,
	access: {
		team: { id: string };
		assessment: typeof table.assessment.$inferSelect;
		cycle: typeof table.cycle.$inferSelect;
	},
	phase: Phase
) {
	const prevId = await previousAssessmentId(
		db,
		access.team.id,
		access.cycle.startsOn,
		access.cycle.id
	);
	const shown = criterionIdsOf(phase.practices);
	const [answers, practices, previous] = await Promise.all([
		loadAnswers(db, access.assessment.id, shown),
		loadPractices(db, access.assessment.id),
		prevId ? loadAnswers(db, prevId, shown) : Promise.resolve(new Map())
	]);
	return phase.practices.map((p) => {
		const stored = practices.get(p.id);
		const settings = {
			notApplicable: stored?.notApplicable ?? false,
			reason: stored?.notApplicableReason ?? '',
			target: stored?.target ?? null,
			version: stored?.version ?? 1
		};
		return {
			id: p.id,
			name: p.name,
			summary: p.summary,
			score: stored?.score ?? 0,
			achievedLevel: stored?.achievedLevel ?? 0,
			settings: { ...settings, fingerprint: practiceFingerprint(settings) },
			levels: p.levels.map((l) => ({
				level: l.level,
				title: l.title,
				criteria: l.criteria.map((c) => {
					const a = answers.get(c.id);
					const answer = {
						value: a?.value ?? null,
						comment: a?.comment ?? '',
						evidence: a?.evidence ?? [],
						version: a?.version ?? 0,
						updatedBy: a?.updatedBy ?? null
					};
					const before = previous.get(c.id);
					return {
						id: c.id,
						text: c.text,
						answer: { ...answer, fingerprint: answerFingerprint(answer) },
						previous: prevId
							? { value: before?.value ?? null, comment: before?.comment ?? '' }
							: null
					};
				})
			}))
		};
	});
}
