import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isKebabCase } from '$lib/schemas/kebab';
import { ProblemList, formatPath } from '$lib/server/content/problems';
import { phaseIds } from '$lib/server/model/types';
import { normaliseText, parseYaml, splitFrontMatter } from './front-matter';
import { renderModuleMarkdown, type LinkTargets } from './render-content';
import {
	CHAMPION_TRACK_ID,
	type Lesson,
	type ModuleAsset,
	type Quiz,
	type Track,
	type Training,
	type TrainingModule
} from './types';

/** One file of a module folder, as read from disk. */
export interface SourceFile {
	name: string;
	bytes: Uint8Array<ArrayBuffer>;
}

/** The training folder as read from disk: `tracks.yaml` and one entry per module folder. */
export interface TrainingSource {
	tracks: { file: string; text: string | null };
	modules: { id: string; files: SourceFile[] }[];
}

const LESSON_FILE = /^(\d{2})-([a-z0-9-]+)\.md$/;

/** A lesson file is named `NN-kebab-name.md`; returns its number, or null for other files. */
export function lessonNumber(name: string): string | null {
	const match = LESSON_FILE.exec(name);
	return match && isKebabCase(match[2]!) ? match[1]! : null;
}
export const ASSET_TYPES: Readonly<Record<string, string>> = {
	svg: 'image/svg+xml',
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg'
};
const MAX_ASSET_BYTES = 1024 * 1024;
/** Segments the training routes use themselves, so no module may take them. */
const RESERVED_IDS = new Set(['report', 'assign', 'certificates', 'assets', 'quiz']);

const id = z.string().refine(isKebabCase, 'must be lower-case kebab-case');

const moduleSchema = z.strictObject({
	title: z.string().min(1),
	summary: z.string().min(1),
	phase: z.enum(phaseIds, { error: `must be one of ${phaseIds.join(', ')}` }),
	practices: z.array(z.string()).min(1, 'name at least one practice the module teaches'),
	minutes: z.number({ error: 'must be a number of minutes' }).int().positive().max(1000),
	prerequisites: z.array(z.string()).default([]),
	version: z
		.number({ error: 'must be a whole number, raised when the quiz changes' })
		.int()
		.positive()
});

const lessonSchema = z.strictObject({ title: z.string().min(1) });

const quizSchema = z.strictObject({
	passMark: z
		.number({ error: 'must be a share between 0 and 1, like 0.8' })
		.gt(0, 'must be more than 0')
		.max(1, 'must be a share between 0 and 1, like 0.8')
		.default(0.8),
	questions: z
		.array(
			z.strictObject({
				id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and -'),
				kind: z.enum(['single', 'multiple'], { error: 'must be single or multiple' }),
				text: z.string().min(1),
				options: z
					.array(
						z.strictObject({
							id: z
								.string()
								.regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and -'),
							text: z.string().min(1)
						})
					)
					.min(2, 'a question needs at least two options'),
				correct: z.array(z.string()).min(1, 'name at least one correct option'),
				explanation: z.string().min(1)
			})
		)
		.min(1, 'a quiz needs at least one question')
});

const tracksSchema = z.strictObject({
	tracks: z.array(
		z.strictObject({
			id,
			title: z.string().min(1),
			description: z.string().min(1),
			modules: z.array(z.string()).min(1, 'a track needs at least one module')
		})
	)
});

const text = (bytes: Uint8Array) => normaliseText(new TextDecoder().decode(bytes));

function readingMinutes(markdown: string): number {
	return Math.max(1, Math.round(markdown.split(/\s+/).filter(Boolean).length / 200));
}

function check<T>(
	schema: z.ZodType<T>,
	data: unknown,
	file: string,
	problems: ProblemList
): T | null {
	const r = schema.safeParse(data);
	if (r.success) return r.data;
	for (const issue of r.error.issues) problems.add(file, formatPath(issue.path), issue.message);
	return null;
}

function checkQuiz(data: unknown, file: string, problems: ProblemList): Quiz | null {
	const quiz = check(quizSchema, data, file, problems);
	if (!quiz) return null;
	const before = problems.items.length;
	const seen = new Set<string>();
	quiz.questions.forEach((q, i) => {
		const at = `questions[${i}]`;
		if (seen.has(q.id)) problems.add(file, `${at}.id`, `duplicate question id "${q.id}"`);
		seen.add(q.id);
		const options = new Set<string>();
		q.options.forEach((o, j) => {
			if (options.has(o.id))
				problems.add(file, `${at}.options[${j}].id`, `duplicate option id "${o.id}"`);
			options.add(o.id);
		});
		q.correct.forEach((c, j) => {
			if (!options.has(c))
				problems.add(file, `${at}.correct[${j}]`, `"${c}" names no option of question ${q.id}`);
		});
		if (new Set(q.correct).size !== q.correct.length)
			problems.add(file, `${at}.correct`, 'names an option twice');
		if (q.kind === 'single' && q.correct.length !== 1)
			problems.add(
				file,
				`${at}.correct`,
				'a single-choice question has exactly one correct option'
			);
	});
	return problems.items.length === before ? quiz : null;
}

interface ParsedModule {
	meta: z.infer<typeof moduleSchema>;
	intro: { body: string; bodyLine: number; file: string };
	lessons: { id: string; title: string; body: string; bodyLine: number; file: string }[];
	quiz: Quiz | null;
	assets: Map<string, ModuleAsset>;
}

/** Reads one module folder: front matter, lessons, quiz and assets, without rendering. */
function parseModule(
	moduleId: string,
	files: SourceFile[],
	problems: ProblemList
): ParsedModule | null {
	const dir = `training/${moduleId}`;
	if (!isKebabCase(moduleId)) problems.add(dir, '', 'a module folder name must be kebab-case');
	if (RESERVED_IDS.has(moduleId))
		problems.add(dir, '', `"${moduleId}" is used by the training pages; rename the folder`);
	const byName = new Map(files.map((f) => [f.name, f]));
	const moduleFile = byName.get('module.md');
	if (!moduleFile) {
		problems.add(dir, '', 'has no module.md');
		return null;
	}
	const front = splitFrontMatter(text(moduleFile.bytes), `${dir}/module.md`, problems);
	const meta = front && check(moduleSchema, front.data, `${dir}/module.md`, problems);

	const lessons: ParsedModule['lessons'] = [];
	const assets = new Map<string, ModuleAsset>();
	const numbers = new Map<string, string>();
	for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
		const file = `${dir}/${f.name}`;
		const ext = /\.([a-z]+)$/.exec(f.name)?.[1] ?? '';
		const n = lessonNumber(f.name);
		if (n) {
			if (numbers.has(n))
				problems.add(file, '', `lesson number ${n} is also used by ${numbers.get(n)}`);
			numbers.set(n, f.name);
			const fm = splitFrontMatter(text(f.bytes), file, problems);
			const data = fm && check(lessonSchema, fm.data, file, problems);
			if (fm && data) lessons.push({ id: f.name.slice(0, -3), title: data.title, ...fm, file });
		} else if (Object.hasOwn(ASSET_TYPES, ext) && /^[a-z0-9][a-z0-9._-]*$/.test(f.name)) {
			if (f.bytes.byteLength > MAX_ASSET_BYTES)
				problems.add(file, '', 'images may be at most 1 MiB');
			assets.set(f.name, { contentType: ASSET_TYPES[ext]!, bytes: f.bytes });
		} else if (!['module.md', 'quiz.yaml', 'README.md'].includes(f.name)) {
			problems.add(
				file,
				'',
				'unexpected file: lessons are NN-kebab-name.md; images are lower-case .svg, .png or .jpg'
			);
		}
	}
	if (!numbers.size) problems.add(dir, '', 'has no lessons (files named like 01-first-steps.md)');

	const quizFile = byName.get('quiz.yaml');
	let quiz: Quiz | null = null;
	if (!quizFile) problems.add(dir, '', 'has no quiz.yaml');
	else {
		const data = parseYaml(text(quizFile.bytes), `${dir}/quiz.yaml`, problems);
		if (data !== undefined) quiz = checkQuiz(data, `${dir}/quiz.yaml`, problems);
	}
	if (!front || !meta) return null;
	return {
		meta,
		intro: { body: front.body, bodyLine: front.bodyLine, file: `${dir}/module.md` },
		lessons,
		quiz,
		assets
	};
}

function checkTracks(
	source: TrainingSource['tracks'],
	moduleIds: ReadonlySet<string>,
	problems: ProblemList
): Track[] {
	const file = source.file;
	if (source.text === null) {
		problems.add(file, '', 'is missing: list the tracks (curricula) there');
		return [];
	}
	const data = parseYaml(normaliseText(source.text), file, problems);
	const parsed = data === undefined ? null : check(tracksSchema, data, file, problems);
	if (!parsed) return [];
	const seen = new Set<string>();
	parsed.tracks.forEach((t, i) => {
		if (seen.has(t.id)) problems.add(file, `tracks[${i}].id`, `duplicate track id "${t.id}"`);
		seen.add(t.id);
		t.modules.forEach((m, j) => {
			if (!moduleIds.has(m))
				problems.add(file, `tracks[${i}].modules[${j}]`, `unknown module "${m}"`);
			if (t.modules.indexOf(m) !== j)
				problems.add(file, `tracks[${i}].modules[${j}]`, `module "${m}" is listed twice`);
		});
	});
	if (!seen.has(CHAMPION_TRACK_ID))
		problems.add(file, 'tracks', `must include the "${CHAMPION_TRACK_ID}" track`);
	return parsed.tracks;
}

/** Reports each prerequisite cycle once, on the module.md of a module in it. */
function checkPrerequisiteCycles(modules: Map<string, ParsedModule>, problems: ProblemList) {
	const state = new Map<string, 'visiting' | 'done'>();
	const visit = (id: string, path: string[]) => {
		if (state.get(id) === 'done') return;
		if (state.get(id) === 'visiting') {
			const cycle = [...path.slice(path.indexOf(id)), id];
			problems.add(
				`training/${id}/module.md`,
				'prerequisites',
				`prerequisites form a cycle: ${cycle.join(' → ')}`
			);
			return;
		}
		state.set(id, 'visiting');
		for (const p of modules.get(id)?.meta.prerequisites ?? []) {
			if (modules.has(p)) visit(p, [...path, id]);
		}
		state.set(id, 'done');
	};
	for (const id of modules.keys()) visit(id, []);
}

function contentVersion(source: TrainingSource): string {
	const hash = createHash('sha256');
	hash.update(source.tracks.text ?? '');
	for (const m of source.modules) {
		for (const f of m.files) hash.update(`\0${m.id}/${f.name}\0`).update(f.bytes);
	}
	return hash.digest('hex').slice(0, 12);
}

/**
 * Checks all training content (front matter, lessons, quizzes, images, tracks, links and
 * practice ids) against itself and the model's practice ids, renders every lesson once and
 * builds the training; every problem is reported with its file and place, not just the first.
 */
export function validateTraining(
	source: TrainingSource,
	practiceIds: ReadonlySet<string>
): Training {
	const problems = new ProblemList();
	const parsed = new Map<string, ParsedModule>();
	for (const m of [...source.modules].sort((a, b) => a.id.localeCompare(b.id))) {
		const p = parseModule(m.id, m.files, problems);
		if (p) parsed.set(m.id, p);
	}
	const tracks = checkTracks(source.tracks, new Set(source.modules.map((m) => m.id)), problems);

	for (const [moduleId, m] of parsed) {
		const file = `training/${moduleId}/module.md`;
		m.meta.practices.forEach((p, i) => {
			if (!practiceIds.has(p)) problems.add(file, `practices[${i}]`, `unknown practice "${p}"`);
		});
		m.meta.prerequisites.forEach((p, i) => {
			if (p === moduleId)
				problems.add(file, `prerequisites[${i}]`, 'a module cannot require itself');
			else if (!source.modules.some((s) => s.id === p))
				problems.add(file, `prerequisites[${i}]`, `unknown module "${p}"`);
		});
	}
	checkPrerequisiteCycles(parsed, problems);

	// Links are checked against the files that exist, so one broken file is reported once,
	// not again by every lesson that links to it.
	const targets: LinkTargets = {
		practiceIds,
		modules: new Map(
			source.modules.map((m) => [
				m.id,
				{
					lessons: new Set(
						m.files.filter((f) => lessonNumber(f.name)).map((f) => f.name.slice(0, -3))
					),
					assets: new Set(parsed.get(m.id)?.assets.keys())
				}
			])
		)
	};
	const modules: TrainingModule[] = [];
	for (const [moduleId, m] of parsed) {
		const intro = renderModuleMarkdown(m.intro, moduleId, targets, problems);
		const lessons: Lesson[] = m.lessons.map((l) => {
			const rendered = renderModuleMarkdown(l, moduleId, targets, problems);
			return {
				id: l.id,
				title: l.title,
				file: l.file,
				html: rendered.html,
				headings: rendered.headings,
				minutes: readingMinutes(l.body)
			};
		});
		if (!m.quiz) continue;
		modules.push({
			id: moduleId,
			...m.meta,
			introHtml: intro.html,
			lessons,
			lessonById: new Map(lessons.map((l) => [l.id, l])),
			quiz: m.quiz,
			assets: m.assets
		});
	}
	problems.throwIfAny();

	// Modules in the order of the tracks that list them (the champion track first), then the rest.
	const order = [
		...new Set([
			...(tracks.find((t) => t.id === CHAMPION_TRACK_ID)?.modules ?? []),
			...tracks.flatMap((t) => t.modules)
		])
	];
	const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
	modules.sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
	return {
		version: contentVersion(source),
		modules,
		moduleById: new Map(modules.map((m) => [m.id, m])),
		// The champion track first, as the curriculum every champion follows.
		tracks: [...tracks].sort(
			(a, b) => Number(b.id === CHAMPION_TRACK_ID) - Number(a.id === CHAMPION_TRACK_ID)
		),
		trackById: new Map(tracks.map((t) => [t.id, t]))
	};
}

/** The one summary line `content:check` prints for training. */
export function trainingSummary(training: Training): string {
	const lessons = training.modules.reduce((n, m) => n + m.lessons.length, 0);
	const questions = training.modules.reduce((n, m) => n + m.quiz.questions.length, 0);
	const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
	return `training: ${plural(training.modules.length, 'module')}, ${plural(lessons, 'lesson')}, ${plural(questions, 'quiz question')}, ${plural(training.tracks.length, 'track')}`;
}
