export const phaseIds = ['plan', 'develop', 'build', 'test', 'operate', 'monitor'] as const;
export type PhaseId = (typeof phaseIds)[number];

/** Which scans count for an evidence rule: on the repository's default branch, on other refs (pull requests), or either. */
export const evidenceBranches = ['default', 'pull-requests', 'any'] as const;
export type EvidenceBranch = (typeof evidenceBranches)[number];

/**
 * What a pipeline must show for a criterion it can confirm: a scan by a tool of one of these
 * catalogue categories, on these refs, at most `maxAgeDays` old, on each of the team's repositories.
 */
export interface EvidenceRule {
	categories: string[];
	branch: EvidenceBranch;
	maxAgeDays: number;
}

export interface Criterion {
	id: string;
	text: string;
	practiceId: string;
	level: number;
	/** Present on criteria a pipeline can confirm (content/model/practices/*.yaml `evidence`). */
	evidence?: EvidenceRule;
}

export interface Level {
	level: number;
	title: string;
	criteria: Criterion[];
}

export interface Practice {
	id: string;
	phase: PhaseId;
	order: number;
	name: string;
	summary: string;
	samm: string[];
	ssdf: string[];
	levels: Level[];
	/** Markdown guidance: what good looks like, pitfalls, the next level. */
	guidance: string;
}

export interface Phase {
	id: PhaseId;
	name: string;
	description: string;
	practices: Practice[];
}

/** The maturity model an assessment is answered against. */
export interface Model {
	version: string;
	phases: Phase[];
	practices: Practice[];
	practiceById: ReadonlyMap<string, Practice>;
	criterionById: ReadonlyMap<string, Criterion>;
}
