/*
 * Whether an answer is a claim the pipelines back or contradict. Shared by the server (the
 * reviewer's list, the dashboard's share) and the phase form, which checks again as the answer
 * changes. Pure: no database, no model.
 */

/** What the pipelines showed for one criterion's rule: repositories with a qualifying run, of all. */
export interface Coverage {
	covered: number;
	repositories: number;
}

/** How an answer stands against the facts: null when it claims nothing the facts can check. */
export type ClaimCheck = 'backed' | 'contradicted' | null;

/** The answers that claim coverage a pipeline can confirm: "most" (0.5) and "all" (1). */
export function isScannableClaim(value: number | null | undefined): value is 0.5 | 1 {
	return value === 0.5 || value === 1;
}

/**
 * "All" is contradicted unless every repository has a qualifying run; "most" unless at least
 * half of them do (so no run at all contradicts both). No, some and unanswered claim nothing the
 * facts could contradict; without facts (the team's pipelines never uploaded) nothing is checked.
 */
export function checkClaim(value: number | null | undefined, facts: Coverage | null): ClaimCheck {
	if (!facts || !isScannableClaim(value)) return null;
	const { covered, repositories } = facts;
	if (repositories <= 0) return null;
	const backed = value === 1 ? covered >= repositories : covered > 0 && covered * 2 >= repositories;
	return backed ? 'backed' : 'contradicted';
}
