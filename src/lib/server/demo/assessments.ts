import type { Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { AssessmentStatus } from '$lib/server/db/schema';
import { recomputeScores } from '$lib/server/assessments/scores-store';
import type { Model } from '$lib/server/model/types';

/** Two closed quarters and the current one, so trends show. */
export const demoCycles = [
	{ name: '2026-Q2', startsOn: '2026-04-01', dueOn: '2026-06-19', status: 'closed' },
	{ name: '2026-Q3', startsOn: '2026-07-01', dueOn: '2026-09-18', status: 'closed' },
	{ name: '2026-Q4', startsOn: '2026-10-01', dueOn: '2026-12-18', status: 'open' }
] as const;

/** A small deterministic generator, so the demo looks the same on every install. */
function random(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const currentStatuses: AssessmentStatus[] = ['draft', 'submitted', 'approved', 'returned'];

/** Answers for every team in every demo cycle: each team has strengths, and most improve each quarter. */
export async function seedDemoAssessments(
	tx: Tx,
	model: Model,
	teams: { id: string }[],
	reviewerId: string
) {
	for (const [ci, c] of demoCycles.entries()) {
		const [cycle] = await tx
			.insert(table.cycle)
			.values({
				name: c.name,
				startsOn: c.startsOn,
				dueOn: c.dueOn,
				status: c.status,
				closedAt: c.status === 'closed' ? new Date(`${c.dueOn}T18:00:00Z`) : null
			})
			.returning({ id: table.cycle.id });
		const assessments = await tx
			.insert(table.assessment)
			.values(
				teams.map((t, ti) => {
					const status =
						c.status === 'closed' ? 'approved' : currentStatuses[ti % currentStatuses.length]!;
					const reviewed = status === 'approved' || status === 'returned';
					// Closed cycles were submitted on their due date; the open one's submissions lie
					// in its first weeks (never after the day the demo is about, 2026-11-29).
					const submitted =
						c.status === 'closed'
							? new Date(`${c.dueOn}T09:00:00Z`)
							: new Date(Date.parse(`${c.startsOn}T09:00:00Z`) + (35 + (ti % 15)) * DAY);
					return {
						cycleId: cycle!.id,
						teamId: t.id,
						modelVersion: model.version,
						status,
						submittedAt: status === 'draft' ? null : submitted,
						reviewedAt: reviewed ? new Date(submitted.getTime() + 6 * HOUR) : null,
						reviewedBy: reviewed ? reviewerId : null,
						reviewComment:
							status === 'returned' ? 'Please add evidence links for the build-phase answers.' : ''
					};
				})
			)
			.returning({ id: table.assessment.id });
		const answers: (typeof table.answer.$inferInsert)[] = [];
		const practices: (typeof table.assessmentPractice.$inferInsert)[] = [];
		teams.forEach((_, ti) => {
			const assessmentId = assessments[ti]!.id;
			const rnd = random(ti * 7919 + 17);
			// A team's maturity per practice, growing a little each quarter (some teams slip).
			const drift = ti % 6 === 5 ? -0.25 : 0.35;
			for (const [pi, p] of model.practices.entries()) {
				const base = ((ti * 3 + pi * 5) % 7) / 2 + rnd() * 0.8 + ci * drift;
				if (ti % 5 === 0 && p.id === 'runtime-analysis') {
					practices.push({
						assessmentId,
						practiceId: p.id,
						phase: p.phase,
						notApplicable: true,
						notApplicableReason: 'No IAST/RASP agent supports our Go services.'
					});
				} else if (ci === demoCycles.length - 1 && pi % 3 === ti % 3) {
					practices.push({
						assessmentId,
						practiceId: p.id,
						phase: p.phase,
						target: Math.min(4, Math.max(1, Math.round(base) + 1))
					});
				}
				for (const level of p.levels) {
					for (const criterion of level.criteria) {
						const x = base - (level.level - 1) + (rnd() - 0.5);
						const value = x >= 1.2 ? 1 : x >= 0.7 ? 0.5 : x >= 0.3 ? 0.25 : 0;
						if (level.level > 3 && value === 0 && rnd() < 0.5) continue; // left unanswered
						answers.push({
							assessmentId,
							criterionId: criterion.id,
							value,
							comment: '',
							evidence: []
						});
					}
				}
			}
		});
		for (let i = 0; i < answers.length; i += 1000)
			await tx.insert(table.answer).values(answers.slice(i, i + 1000));
		if (practices.length) await tx.insert(table.assessmentPractice).values(practices);
		for (const a of assessments) await recomputeScores(tx, model, a.id);
	}
}
