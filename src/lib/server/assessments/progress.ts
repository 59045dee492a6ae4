import type { Model, PhaseId } from '$lib/server/model/types';

/** One criterion still to answer, with where it is. */
export interface Unanswered {
	id: string;
	text: string;
	practiceId: string;
	practiceName: string;
}

export interface PracticeProgress {
	id: string;
	answered: number;
	total: number;
	notApplicable: boolean;
}

export interface PhaseProgress {
	id: PhaseId;
	name: string;
	answered: number;
	total: number;
	practices: PracticeProgress[];
	unanswered: Unanswered[];
}

/**
 * How far an assessment is answered, per phase and practice, and what is left, in model order.
 * A practice marked not applicable needs no answers (it is not scored), so it counts in neither.
 */
export function assessmentProgress(
	model: Model,
	answered: ReadonlySet<string>,
	notApplicable: ReadonlySet<string>
): PhaseProgress[] {
	return model.phases.map((phase) => {
		const practices: PracticeProgress[] = [];
		const unanswered: Unanswered[] = [];
		for (const p of phase.practices) {
			const criteria = p.levels.flatMap((l) => l.criteria);
			const na = notApplicable.has(p.id);
			const done = criteria.filter((c) => answered.has(c.id)).length;
			practices.push({
				id: p.id,
				answered: na ? 0 : done,
				total: na ? 0 : criteria.length,
				notApplicable: na
			});
			if (!na)
				for (const c of criteria)
					if (!answered.has(c.id))
						unanswered.push({ id: c.id, text: c.text, practiceId: p.id, practiceName: p.name });
		}
		return {
			id: phase.id,
			name: phase.name,
			answered: practices.reduce((n, p) => n + p.answered, 0),
			total: practices.reduce((n, p) => n + p.total, 0),
			practices,
			unanswered
		};
	});
}

/** All criteria left to answer, over every phase. */
export function unansweredCount(progress: readonly PhaseProgress[]): number {
	return progress.reduce((n, p) => n + p.unanswered.length, 0);
}

/** The first unanswered criterion from a phase on (wrapping to the first phases), or null. */
export function nextUnanswered(
	progress: readonly PhaseProgress[],
	fromPhase?: PhaseId
): { phase: PhaseId; criterion: Unanswered } | null {
	const start = Math.max(
		0,
		progress.findIndex((p) => p.id === fromPhase)
	);
	for (let i = 0; i < progress.length; i++) {
		const phase = progress[(start + i) % progress.length]!;
		const first = phase.unanswered[0];
		if (first) return { phase: phase.id, criterion: first };
	}
	return null;
}
