import type { PhaseId } from '$lib/server/model/types';
import type { Rendered } from '$lib/server/content/markdown';

/** The track every security champion follows; the team page and the report measure it. */
export const CHAMPION_TRACK_ID = 'security-champion';

export type Heading = Rendered['headings'][number];

export interface Lesson {
	/** The file name without `.md`, e.g. `02-data-flow-diagrams`; also the URL segment. */
	id: string;
	title: string;
	/** Path relative to the content root, for problems and the README. */
	file: string;
	/** Safe HTML from the renderer, rendered once when the content is loaded. */
	html: string;
	headings: Heading[];
	/** Estimated reading time, at 200 words a minute. */
	minutes: number;
}

export interface QuizOption {
	id: string;
	text: string;
}

export interface QuizQuestion {
	id: string;
	kind: 'single' | 'multiple';
	text: string;
	options: QuizOption[];
	/** Never sent to the browser before an attempt. */
	correct: string[];
	explanation: string;
}

export interface Quiz {
	/** Share of questions to answer correctly, 0–1 (default 0.8). */
	passMark: number;
	questions: QuizQuestion[];
}

export interface ModuleAsset {
	contentType: string;
	bytes: Uint8Array<ArrayBuffer>;
}

export interface TrainingModule {
	id: string;
	title: string;
	summary: string;
	phase: PhaseId;
	/** Ids of the model practices the module teaches. */
	practices: string[];
	minutes: number;
	prerequisites: string[];
	version: number;
	introHtml: string;
	lessons: Lesson[];
	lessonById: ReadonlyMap<string, Lesson>;
	quiz: Quiz;
	/** Images beside the lessons, by file name: the only files the asset route serves. */
	assets: ReadonlyMap<string, ModuleAsset>;
}

export interface Track {
	id: string;
	title: string;
	description: string;
	/** Module ids, in the order they are meant to be taken. */
	modules: string[];
}

/** All training content, validated and rendered. */
export interface Training {
	/** A hash of every training file: changes whenever the content does. */
	version: string;
	modules: TrainingModule[];
	moduleById: ReadonlyMap<string, TrainingModule>;
	tracks: Track[];
	trackById: ReadonlyMap<string, Track>;
}
