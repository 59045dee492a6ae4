import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentError } from '$lib/server/content/problems';
import { loadModel, readYaml } from './load-model';
import { modelSummary, validateModel, type ModelFiles } from './validate-model';
import { phaseIds } from './types';

const streams = [
	'G-SM-A',
	'G-SM-B',
	'G-PC-A',
	'G-PC-B',
	'G-EG-A',
	'G-EG-B',
	'D-TA-A',
	'D-TA-B',
	'D-SR-A',
	'D-SR-B',
	'D-SA-A',
	'D-SA-B',
	'I-SB-A',
	'I-SB-B',
	'I-SD-A',
	'I-SD-B',
	'I-DM-A',
	'I-DM-B',
	'V-AA-A',
	'V-AA-B',
	'V-RT-A',
	'V-RT-B',
	'V-ST-A',
	'V-ST-B',
	'O-IM-A',
	'O-IM-B',
	'O-EM-A',
	'O-EM-B',
	'O-OM-A',
	'O-OM-B'
];

function practice(id: string, phase: string) {
	return {
		id,
		phase,
		order: 1,
		name: `Practice ${id}`,
		summary: 'A practice.',
		samm: ['D-TA-A'],
		ssdf: ['PW.7.2'],
		levels: [1, 2, 3, 4].map((level) => ({
			level,
			title: `Level ${level}`,
			criteria: ['a', 'b'].map((l) => ({
				id: `${id}.${level}.${l}`,
				text: `Criterion ${l} of level ${level}.`
			}))
		}))
	};
}

function fixture(): ModelFiles {
	return {
		model: {
			file: 'model/model.yaml',
			data: {
				version: 't1',
				phases: phaseIds.map((id) => ({ id, name: id, description: `The ${id} phase.` }))
			}
		},
		streams: {
			file: 'model/samm-streams.yaml',
			data: { streams: streams.map((id) => ({ id, name: id })) }
		},
		practices: phaseIds.map((phase) => ({
			file: `model/practices/p-${phase}.yaml`,
			data: practice(`p-${phase}`, phase),
			guidance: 'Some guidance.',
			guidanceFile: `model/practices/p-${phase}.md`
		}))
	};
}

function problemsOf(files: ModelFiles) {
	try {
		validateModel(files);
	} catch (e) {
		if (e instanceof ContentError) return e.problems;
		throw e;
	}
	return [];
}

describe('model validation', () => {
	it('builds a valid model in phase order with stable criterion ids', () => {
		const model = validateModel(fixture());
		expect(model.phases.map((p) => p.id)).toEqual([...phaseIds]);
		expect(model.criterionById.get('p-build.3.b')).toMatchObject({
			practiceId: 'p-build',
			level: 3
		});
		expect(modelSummary(model)).toBe('model t1: 6 phases, 6 practices, 24 levels, 48 criteria');
	});

	it('reports a duplicate criterion id with file and path', () => {
		const f = fixture();
		const p = f.practices[1]!.data as ReturnType<typeof practice>;
		p.levels[0]!.criteria[1]!.id = 'p-develop.1.a';
		expect(problemsOf(f)).toContainEqual({
			file: 'model/practices/p-develop.yaml',
			path: 'levels[0].criteria[1].id',
			message: expect.stringContaining('duplicate criterion id "p-develop.1.a"')
		});
	});

	it('reports a level without criteria', () => {
		const f = fixture();
		(f.practices[0]!.data as ReturnType<typeof practice>).levels[2]!.criteria = [];
		expect(problemsOf(f)).toContainEqual(
			expect.objectContaining({
				path: 'levels[2].criteria',
				message: expect.stringContaining('needs 2 to 4')
			})
		);
	});

	it('reports an unknown phase, a missing level and an unknown SAMM stream', () => {
		const f = fixture();
		const p = f.practices[2]!.data as ReturnType<typeof practice>;
		p.phase = 'deploy';
		p.levels.pop();
		p.samm = ['X-YY-Z', 'D-XX-A'];
		const messages = problemsOf(f).map((x) => `${x.path}: ${x.message}`);
		expect(messages).toEqual(
			expect.arrayContaining([
				'phase: unknown phase "deploy"',
				'levels: must have exactly the levels 1, 2, 3 and 4, in order',
				'samm[0]: "X-YY-Z" is not one of SAMM v2\'s 30 stream ids',
				'samm[1]: "D-XX-A" is not one of SAMM v2\'s 30 stream ids'
			])
		);
	});

	it('reports ids that do not match their file, duplicates, missing guidance and bad SSDF ids', () => {
		const f = fixture();
		f.practices[3]!.data = { ...(f.practices[3]!.data as object), id: 'p-build' };
		f.practices[4]!.guidance = null;
		(f.practices[5]!.data as ReturnType<typeof practice>).ssdf = ['PW.7'];
		const problems = problemsOf(f);
		expect(problems.map((p) => p.message)).toEqual(
			expect.arrayContaining([
				'"p-build" does not match the file name "p-test"',
				expect.stringContaining('duplicate practice id "p-build"'),
				'guidance markdown is missing or empty',
				'is not an SSDF task id like PW.7.2'
			])
		);
	});

	it('reports phases out of order and a phase without practices', () => {
		const f = fixture();
		const m = f.model.data as { phases: { id: string }[] };
		[m.phases[0], m.phases[1]] = [m.phases[1]!, m.phases[0]!];
		f.practices.pop();
		const messages = problemsOf(f).map((p) => p.message);
		expect(messages).toContainEqual(expect.stringContaining('in this order'));
		expect(messages).toContain('has no practices');
	});

	it('names the file and line of a YAML syntax error', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'rampart-yaml-'));
		writeFileSync(path.join(dir, 'bad.yaml'), 'id: x\nlevels: [1, 2\nname: y\n');
		expect(() => readYaml(dir, 'bad.yaml')).toThrow(/bad\.yaml at line \d/);
	});
});

describe('the shipped model', () => {
	it('loads, covers every phase and has 2–4 criteria per level', () => {
		const model = loadModel();
		expect(model.phases.every((p) => p.practices.length >= 3)).toBe(true);
		for (const id of [
			'threat-modeling',
			'static-analysis',
			'secret-detection',
			'incident-response'
		]) {
			expect(model.practiceById.has(id)).toBe(true);
		}
	});
});
