import type { Criterion, Practice } from './types';

/** Every criterion of these practices, level by level. */
export function criteriaOf(practices: readonly Practice[]): Criterion[] {
	return practices.flatMap((p) => p.levels.flatMap((l) => l.criteria));
}

/** The ids of every criterion of these practices. */
export function criterionIdsOf(practices: readonly Practice[]): string[] {
	return criteriaOf(practices).map((c) => c.id);
}
