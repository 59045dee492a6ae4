import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentError } from '$lib/server/content/problems';
import { loadCatalogue } from '$lib/server/tools/catalogue';
import {
	checkEvidenceCategories,
	criteriaWithRules,
	evidenceSummary,
	parseEvidenceRule
} from './evidence-rules';
import { loadModel } from './load-model';

/** A copy of the shipped content with one practice file's text edited. */
function contentWith(file: string, edit: (yaml: string) => string): string {
	const root = mkdtempSync(path.join(tmpdir(), 'rampart-evidence-'));
	cpSync(path.resolve('content'), root, { recursive: true });
	const p = path.join(root, 'model/practices', file);
	const before = readFileSync(p, 'utf8');
	const after = edit(before);
	expect(after, 'the edit changed nothing').not.toBe(before);
	writeFileSync(p, after);
	return root;
}

function problemsOf(load: () => unknown) {
	try {
		load();
	} catch (e) {
		if (e instanceof ContentError) return e.problems;
		throw e;
	}
	return [];
}

const sast2a = /(- id: static-analysis\.2\.a\n.*\n\s+evidence:\n)([\s\S]*?)(\n\s+- id:)/;

describe('evidence rules in the model', () => {
	it('reads a rule', () => {
		expect(
			parseEvidenceRule({ categories: ['sast', 'sca'], branch: 'pull-requests', maxAgeDays: 7 })
		).toEqual({
			ok: true,
			rule: { categories: ['sast', 'sca'], branch: 'pull-requests', maxAgeDays: 7 }
		});
	});

	it.each([
		[{ categories: [], branch: 'any', maxAgeDays: 30 }, '.categories', 'at least one'],
		[{ categories: 'sast', branch: 'any', maxAgeDays: 30 }, '.categories', 'list'],
		[{ categories: ['SAST'], branch: 'any', maxAgeDays: 30 }, '.categories[0]', 'category id'],
		[{ categories: ['sast'], branch: 'main', maxAgeDays: 30 }, '.branch', 'default, pull'],
		[{ categories: ['sast'], branch: 'any', maxAgeDays: 0 }, '.maxAgeDays', 'positive'],
		[{ categories: ['sast'], branch: 'any', maxAgeDays: -3 }, '.maxAgeDays', 'positive'],
		[{ categories: ['sast'], branch: 'any', maxAgeDays: 1.5 }, '.maxAgeDays', 'whole'],
		[{ categories: ['sast'], branch: 'any', maxAgeDays: '30' }, '.maxAgeDays', 'whole'],
		[{ categories: ['sast'], branch: 'any' }, '.maxAgeDays', 'whole'],
		[{ categories: ['sast'], branch: 'any', maxAgeDays: 3, age: 3 }, '', 'unknown key "age"'],
		['sast', '', 'object']
	])('refuses %j', (data, where, message) => {
		const r = parseEvidenceRule(data);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.problems).toContainEqual({ path: where, message: expect.stringContaining(message) });
	});

	it('names the file, the place and the criterion of a bad branch or age', () => {
		const root = contentWith('static-analysis.yaml', (y) =>
			y.replace(
				sast2a,
				(_m, head, _body, tail) => `${head}          categories: [sast]
          branch: nightly
          maxAgeDays: 0${tail}`
			)
		);
		const problems = problemsOf(() => loadModel(root));
		expect(problems).toEqual([
			{
				file: 'model/practices/static-analysis.yaml',
				path: 'levels[1].criteria[0].evidence.branch',
				message: 'criterion static-analysis.2.a: must be default, pull-requests or any'
			},
			{
				file: 'model/practices/static-analysis.yaml',
				path: 'levels[1].criteria[0].evidence.maxAgeDays',
				message: 'criterion static-analysis.2.a: must be a positive number of days'
			}
		]);
		// And in the words content:check prints.
		expect(() => loadModel(root)).toThrow(
			/model\/practices\/static-analysis\.yaml at levels\[1\]\.criteria\[0\]\.evidence\.branch: criterion static-analysis\.2\.a/
		);
	});

	it('names the file, the place and the criterion of an unknown tool category', () => {
		const root = contentWith('static-analysis.yaml', (y) =>
			y.replace(
				sast2a,
				(_m, head, body: string, tail) => `${head}${body.replace('[sast]', '[sast, lint]')}${tail}`
			)
		);
		const model = loadModel(root);
		const { categories } = loadCatalogue(new Set(model.practiceById.keys()), root);
		expect(
			problemsOf(() =>
				checkEvidenceCategories(
					model,
					categories.map((c) => c.id)
				)
			)
		).toEqual([
			{
				file: 'model/practices/static-analysis.yaml',
				path: 'levels[1].criteria[0].evidence.categories[1]',
				message:
					'criterion static-analysis.2.a: unknown tool category "lint" (see tools/categories.yaml)'
			}
		]);
	});

	it('ships at least ten rules, each on known categories, and keeps them on the criteria', () => {
		const model = loadModel();
		const { categories } = loadCatalogue(new Set(model.practiceById.keys()));
		const rules = checkEvidenceCategories(
			model,
			categories.map((c) => c.id)
		);
		expect(rules.length).toBeGreaterThanOrEqual(10);
		expect(rules).toEqual(criteriaWithRules(model));
		for (const id of [
			'static-analysis.2.a',
			'dependency-scanning.2.a',
			'secret-detection.2.a',
			'dynamic-analysis.2.a',
			'infrastructure-as-code.2.b'
		])
			expect(model.criterionById.get(id)?.evidence, id).toBeDefined();
		expect(model.criterionById.get('dependency-scanning.2.a')!.evidence).toEqual({
			categories: ['sca', 'container-scanning'],
			branch: 'pull-requests',
			maxAgeDays: 30
		});
		// A criterion a pipeline cannot confirm has no rule at all.
		expect('evidence' in model.criterionById.get('threat-modeling.1.a')!).toBe(false);
		expect(evidenceSummary(rules)).toMatch(
			/^evidence: \d+ criteria with evidence rules over \d+ tool categories$/
		);
	});
});
