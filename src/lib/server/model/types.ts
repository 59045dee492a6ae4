export const phaseIds = ['plan', 'develop', 'build', 'test', 'operate', 'monitor'] as const;
export type PhaseId = (typeof phaseIds)[number];

export interface Criterion {
	id: string;
	text: string;
	practiceId: string;
	level: number;
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
