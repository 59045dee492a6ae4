import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '$lib/server/content/markdown';
import { ContentError, type ContentProblem } from '$lib/server/content/problems';
import { contentRoot, loadModel } from '$lib/server/model/load-model';
import { loadTraining } from './load-training';
import { trainingSummary, validateTraining, type TrainingSource } from './validate-training';

const practiceIds = new Set(['threat-modeling', 'code-review']);
const bytes = (text: string) => new Uint8Array(new TextEncoder().encode(text));

const quiz = `passMark: 0.5
questions:
  - id: q1
    kind: single
    text: Pick a.
    options:
      - { id: a, text: A }
      - { id: b, text: B }
    correct: [a]
    explanation: Because a.
  - id: q2
    kind: multiple
    text: Pick a and c.
    options:
      - { id: a, text: A }
      - { id: b, text: B }
      - { id: c, text: C }
    correct: [a, c]
    explanation: Because a and c.
`;

const moduleMd = (title: string, prerequisites: string, first = '01-first') => `---
title: ${title}
summary: A module for tests.
phase: plan
practices: [threat-modeling]
minutes: 30
prerequisites: ${prerequisites}
version: 1
---
Start with [the first lesson](${first}.md), then take the [quiz](quiz).
`;

/** Two valid modules and a champion track; each test breaks one file. */
function fixture(): Record<string, Record<string, string>> {
	return {
		alpha: {
			'module.md': moduleMd('Alpha', '[]'),
			'01-first.md':
				'---\ntitle: First\n---\n## Why\n\nSee [[practice:threat-modeling]].\n\n![A diagram](diagram.svg)\n\nThen [the second lesson](02-second.md).\n',
			'02-second.md': '---\ntitle: Second\n---\nBack to [the first](01-first.md#why).\n',
			'quiz.yaml': quiz,
			'diagram.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>'
		},
		beta: {
			'module.md': moduleMd('Beta', '[alpha]', '01-only'),
			'01-only.md': '---\ntitle: Only\n---\nSee [alpha](../alpha/02-second.md).\n',
			'quiz.yaml': quiz
		}
	};
}

const tracks = `tracks:
  - id: security-champion
    title: Security champion
    description: Everything.
    modules: [alpha, beta]
`;

function source(modules = fixture(), tracksText: string | null = tracks): TrainingSource {
	return {
		tracks: { file: 'training/tracks.yaml', text: tracksText },
		modules: Object.entries(modules).map(([id, files]) => ({
			id,
			files: Object.entries(files).map(([name, text]) => ({ name, bytes: bytes(text) }))
		}))
	};
}

function problemsOf(src: TrainingSource): ContentProblem[] {
	try {
		validateTraining(src, practiceIds);
	} catch (e) {
		if (e instanceof ContentError) return e.problems;
		throw e;
	}
	return [];
}

/** Breaks one file of the fixture and returns the problems. */
function withFile(moduleId: string, name: string, text: string | null) {
	const modules = fixture();
	if (text === null) delete modules[moduleId]![name];
	else modules[moduleId]![name] = text;
	return problemsOf(source(modules));
}

describe('validateTraining: a valid folder', () => {
	const training = validateTraining(source(), practiceIds);

	it('builds modules, lessons, quizzes and tracks', () => {
		expect(training.modules.map((m) => m.id)).toEqual(['alpha', 'beta']);
		const alpha = training.moduleById.get('alpha')!;
		expect(alpha.lessons.map((l) => l.id)).toEqual(['01-first', '02-second']);
		expect(alpha.quiz.passMark).toBe(0.5);
		expect(alpha.assets.get('diagram.svg')?.contentType).toBe('image/svg+xml');
		expect(training.trackById.get('security-champion')?.modules).toEqual(['alpha', 'beta']);
		expect(trainingSummary(training)).toBe(
			'training: 2 modules, 3 lessons, 4 quiz questions, 1 track'
		);
	});

	it('renders lessons once, with app links, module images and a table of contents', () => {
		const first = training.moduleById.get('alpha')!.lessonById.get('01-first')!;
		expect(first.html).toContain('href="/practices/threat-modeling"');
		expect(first.html).toContain('src="/training/alpha/assets/diagram.svg"');
		expect(first.html).toContain('href="/training/alpha/02-second"');
		expect(first.headings).toEqual([{ level: 2, text: 'Why', id: 'why' }]);
		expect(first.minutes).toBe(1);
		expect(training.moduleById.get('alpha')!.introHtml).toContain('href="/training/alpha/quiz"');
	});

	it('defaults the pass mark to 80 %', () => {
		const modules = fixture();
		modules.alpha!['quiz.yaml'] = quiz.replace('passMark: 0.5\n', '');
		const t = validateTraining(source(modules), practiceIds);
		expect(t.moduleById.get('alpha')!.quiz.passMark).toBe(0.8);
	});

	it('changes its version when any file changes', () => {
		const modules = fixture();
		modules.beta!['01-only.md'] += '\nOne more line.\n';
		expect(validateTraining(source(modules), practiceIds).version).not.toBe(training.version);
	});
});

describe('validateTraining: broken front matter', () => {
	it('reports a lesson without front matter', () => {
		expect(withFile('alpha', '02-second.md', 'Just text.\n')).toEqual([
			{
				file: 'training/alpha/02-second.md',
				path: 'line 1',
				message: expect.stringContaining('must start with front matter')
			}
		]);
	});

	it('reports front matter that is never closed', () => {
		expect(withFile('alpha', '02-second.md', '---\ntitle: Second\nText.\n')).toEqual([
			{
				file: 'training/alpha/02-second.md',
				path: 'line 1',
				message: expect.stringContaining('not closed')
			}
		]);
	});

	it('reports a YAML syntax error with its line in the file', () => {
		const broken = moduleMd('Alpha', '[]').replace('minutes: 30', 'minutes: x: 30');
		const problems = withFile('alpha', 'module.md', broken);
		expect(problems[0]).toMatchObject({ file: 'training/alpha/module.md', path: 'line 6' });
	});

	it('reports a field of the wrong type and a misspelt field by name', () => {
		const broken = moduleMd('Alpha', '[]')
			.replace('minutes: 30', 'minutes: lots')
			.replace('summary:', 'sumary:');
		const paths = withFile('alpha', 'module.md', broken).map((p) => p.path);
		expect(paths).toEqual(expect.arrayContaining(['minutes', 'summary', '']));
	});

	it('reports an unknown phase and a missing lesson title', () => {
		expect(
			withFile(
				'alpha',
				'module.md',
				moduleMd('Alpha', '[]').replace('phase: plan', 'phase: design')
			)
		).toEqual([expect.objectContaining({ path: 'phase' })]);
		expect(withFile('alpha', '02-second.md', '---\nname: Second\n---\nText.\n')).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ file: 'training/alpha/02-second.md', path: 'title' })
			])
		);
	});
});

describe('validateTraining: links, practices and images', () => {
	it('reports a lesson link that does not resolve, at its line', () => {
		const problems = withFile(
			'alpha',
			'02-second.md',
			'---\ntitle: Second\n---\nFine.\n\nSee [lesson 3](03-missing.md).\n'
		);
		expect(problems).toEqual([
			{
				file: 'training/alpha/02-second.md',
				path: 'line 6',
				message: expect.stringContaining('link "03-missing" does not resolve')
			}
		]);
	});

	it('reports a link to a lesson of a module that does not exist', () => {
		const problems = withFile(
			'beta',
			'01-only.md',
			'---\ntitle: Only\n---\n[x](../gamma/01-a.md)\n'
		);
		expect(problems).toEqual([
			expect.objectContaining({ file: 'training/beta/01-only.md', path: 'line 4' })
		]);
	});

	it('reports a practice link that names no practice, at its line', () => {
		const problems = withFile(
			'alpha',
			'02-second.md',
			'---\ntitle: Second\n---\n\nLearn [[practice:threat-modelling]].\n'
		);
		expect(problems).toEqual([
			{
				file: 'training/alpha/02-second.md',
				path: 'line 5',
				message: 'unknown practice "threat-modelling"'
			}
		]);
	});

	it('reports an unknown practice in the front matter', () => {
		const broken = moduleMd('Alpha', '[]').replace('[threat-modeling]', '[threat-modeling, nope]');
		expect(withFile('alpha', 'module.md', broken)).toEqual([
			{ file: 'training/alpha/module.md', path: 'practices[1]', message: 'unknown practice "nope"' }
		]);
	});

	it('reports an image that is not beside the lessons', () => {
		const problems = withFile('alpha', 'diagram.svg', null);
		expect(problems).toEqual([
			{
				file: 'training/alpha/01-first.md',
				path: 'line 8',
				message: expect.stringContaining('image "diagram.svg" is missing')
			}
		]);
	});

	it('reports images from other sites and refused links', () => {
		const problems = withFile(
			'alpha',
			'02-second.md',
			'---\ntitle: Second\n---\n![x](https://example.com/x.png)\n\n[y](javascript:alert(1))\n'
		);
		expect(problems.map((p) => [p.path, p.message.split(' ')[0]])).toEqual([
			['line 6', 'link'],
			['line 4', 'image']
		]);
	});
});

describe('validateTraining: quizzes', () => {
	it('reports a correct answer that names no option', () => {
		expect(
			withFile('alpha', 'quiz.yaml', quiz.replace('correct: [a, c]', 'correct: [a, d]'))
		).toEqual([
			{
				file: 'training/alpha/quiz.yaml',
				path: 'questions[1].correct[1]',
				message: '"d" names no option of question q2'
			}
		]);
	});

	it('reports a single-choice question with two correct options and duplicate ids', () => {
		const broken = quiz.replace('correct: [a]', 'correct: [a, b]').replace('id: q2', 'id: q1');
		expect(withFile('alpha', 'quiz.yaml', broken).map((p) => p.path)).toEqual([
			'questions[0].correct',
			'questions[1].id'
		]);
	});

	it('reports a quiz YAML error with its line, and a missing quiz', () => {
		expect(
			withFile('alpha', 'quiz.yaml', quiz.replace('kind: single', 'kind: [single'))[0]
		).toMatchObject({
			file: 'training/alpha/quiz.yaml',
			path: expect.stringMatching(/^line \d+$/)
		});
		expect(withFile('alpha', 'quiz.yaml', null)).toEqual([
			{ file: 'training/alpha', path: '', message: 'has no quiz.yaml' }
		]);
	});

	it('reports a pass mark given as a percentage', () => {
		expect(withFile('alpha', 'quiz.yaml', quiz.replace('passMark: 0.5', 'passMark: 80'))).toEqual([
			expect.objectContaining({ path: 'passMark' })
		]);
	});
});

describe('validateTraining: modules and tracks', () => {
	it('reports an unknown prerequisite and a prerequisite cycle', () => {
		expect(withFile('beta', 'module.md', moduleMd('Beta', '[gamma]', '01-only'))).toEqual([
			{
				file: 'training/beta/module.md',
				path: 'prerequisites[0]',
				message: 'unknown module "gamma"'
			}
		]);
		expect(withFile('alpha', 'module.md', moduleMd('Alpha', '[beta]'))).toEqual([
			{
				file: 'training/alpha/module.md',
				path: 'prerequisites',
				message: 'prerequisites form a cycle: alpha → beta → alpha'
			}
		]);
	});

	it('reports a track naming an unknown module and a missing champion track', () => {
		expect(
			problemsOf(source(fixture(), tracks.replace('[alpha, beta]', '[alpha, gamma]')))
		).toEqual([
			{
				file: 'training/tracks.yaml',
				path: 'tracks[0].modules[1]',
				message: 'unknown module "gamma"'
			}
		]);
		expect(problemsOf(source(fixture(), tracks.replace('security-champion', 'other')))).toEqual([
			expect.objectContaining({ file: 'training/tracks.yaml', path: 'tracks' })
		]);
		expect(problemsOf(source(fixture(), null))[0]).toMatchObject({ file: 'training/tracks.yaml' });
	});

	it('reports misnamed files, a module without lessons and a reserved module id', () => {
		expect(withFile('alpha', '3-third.md', '---\ntitle: Third\n---\n')).toEqual([
			expect.objectContaining({
				file: 'training/alpha/3-third.md',
				message: expect.stringContaining('unexpected file')
			})
		]);
		const modules = fixture();
		delete modules.beta!['01-only.md'];
		modules.report = fixture().alpha!;
		const problems = problemsOf(source(modules));
		expect(problems).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					file: 'training/beta',
					message: expect.stringContaining('no lessons')
				}),
				expect.objectContaining({
					file: 'training/report',
					message: expect.stringContaining('used by the training pages')
				})
			])
		);
	});

	it('reports every problem at once', () => {
		const modules = fixture();
		modules.alpha!['quiz.yaml'] = quiz.replace('correct: [a]', 'correct: [z]');
		modules.beta!['01-only.md'] = '---\ntitle: Only\n---\n[[practice:nope]]\n';
		expect(problemsOf(source(modules)).map((p) => p.file)).toEqual([
			'training/alpha/quiz.yaml',
			'training/beta/01-only.md'
		]);
	});
});

describe('the shipped training content', () => {
	const model = loadModel();
	const training = loadTraining(new Set(model.practiceById.keys()));

	it('loads without problems and has a champion track over six modules', () => {
		expect(trainingSummary(training)).toMatch(
			/^training: \d+ modules, \d+ lessons, \d+ quiz questions, \d+ tracks$/
		);
		expect(training.tracks[0]!.id).toBe('security-champion');
		expect(training.trackById.get('security-champion')!.modules.length).toBeGreaterThanOrEqual(6);
	});

	it('has at least one module per phase, each with 3–5 lessons and a quiz of 5–10 questions', () => {
		expect(new Set(training.modules.map((m) => m.phase))).toEqual(
			new Set(model.phases.map((p) => p.id))
		);
		for (const m of training.modules) {
			expect(m.lessons.length, m.id).toBeGreaterThanOrEqual(3);
			expect(m.lessons.length, m.id).toBeLessThanOrEqual(5);
			expect(m.quiz.questions.length, m.id).toBeGreaterThanOrEqual(5);
			expect(m.quiz.questions.length, m.id).toBeLessThanOrEqual(10);
		}
	});

	it('renders every lesson and introduction with zero problems', () => {
		const dir = path.join(contentRoot, 'training');
		const practiceHref = (id: string) => (model.practiceById.has(id) ? `/practices/${id}` : null);
		let rendered = 0;
		for (const m of training.modules) {
			for (const file of readdirSync(path.join(dir, m.id)).filter((f) => f.endsWith('.md'))) {
				const text = readFileSync(path.join(dir, m.id, file), 'utf8');
				const body = text.replace(/^---\n[\s\S]*?\n---\n/, '');
				const out = renderMarkdown(body, { practiceHref, base: `/training/${m.id}/` });
				expect(out.problems, `${m.id}/${file}`).toEqual([]);
				rendered++;
			}
		}
		expect(rendered).toBe(training.modules.reduce((n, m) => n + m.lessons.length + 1, 0));
	});
});
