import { describe, expect, it } from 'vitest';
import { ContentError } from '$lib/server/content/problems';
import { loadModel } from '$lib/server/model/load-model';
import { catalogueSummary, loadCatalogue, validateCatalogue } from './catalogue';

const practiceIds = new Set(['static-analysis', 'secret-detection']);
const files = (categories: unknown[], tools: unknown[]) => ({
	categories: { file: 'tools/categories.yaml', data: { categories } },
	tools: { file: 'tools/tools.yaml', data: { tools } }
});
const sast = {
	id: 'sast',
	name: 'SAST',
	description: 'Static analysis.',
	practices: ['static-analysis']
};
const semgrep = {
	id: 'semgrep',
	name: 'Semgrep',
	category: 'sast',
	homepage: 'https://semgrep.dev',
	licence: 'open-source',
	description: 'A scanner.'
};

function problems(f: ReturnType<typeof files>) {
	try {
		validateCatalogue(f, practiceIds);
		return [];
	} catch (e) {
		if (e instanceof ContentError) return e.problems.map((p) => `${p.path}: ${p.message}`);
		throw e;
	}
}

describe('tool catalogue validation', () => {
	it('accepts a valid catalogue', () => {
		expect(catalogueSummary(validateCatalogue(files([sast], [semgrep]), practiceIds))).toBe(
			'tools: 1 tools in 1 categories'
		);
	});
	it('reports unknown categories and practices, duplicates, bad licences and non-https homepages', () => {
		const found = problems(
			files(
				[sast, { ...sast, practices: ['made-up'] }],
				[
					semgrep,
					{ ...semgrep, category: 'nope' },
					{ ...semgrep, id: 'x', licence: 'free' },
					{ ...semgrep, id: 'y', homepage: 'http://insecure.example' }
				]
			)
		);
		expect(found).toEqual(
			expect.arrayContaining([
				'categories[1].id: duplicate category id "sast"',
				'categories[1].practices[0]: unknown practice "made-up"',
				'tools[1].id: duplicate tool id "semgrep"',
				'tools[1].category: unknown category "nope"',
				'tools[2].licence: must be open-source or commercial',
				'tools[3].homepage: Enter an https:// address.'
			])
		);
	});
	it('holds homepages to the rule the app applies to typed ones', () => {
		const found = problems(
			files(
				[sast],
				[
					semgrep,
					{ ...semgrep, id: 'a', homepage: 'https://u:p@evil.example/' },
					{ ...semgrep, id: 'b', homepage: 'https://user@evil.example/' },
					{ ...semgrep, id: 'c', homepage: 'https://evil.example\\@semgrep.dev' },
					{ ...semgrep, id: 'd', homepage: 'https://localhost/' }
				]
			)
		);
		expect(found).toEqual([
			expect.stringMatching(/^tools\[1\]\.homepage: Remove the part before @/),
			expect.stringMatching(/^tools\[2\]\.homepage: Remove the part before @/),
			expect.stringMatching(/^tools\[3\]\.homepage: Remove the backslash/),
			expect.stringMatching(/^tools\[4\]\.homepage: Use the address of a named site/)
		]);
	});
	it('reports a category without tools', () => {
		expect(problems(files([sast, { ...sast, id: 'dast' }], [semgrep]))).toContain(
			'categories[1]: category "dast" has no tools'
		);
	});
	it('loads the shipped catalogue, which names the tools of the seed articles', () => {
		const model = loadModel();
		const c = loadCatalogue(new Set(model.practiceById.keys()));
		expect(c.tools.length).toBeGreaterThanOrEqual(40);
		const names = c.tools.map((t) => t.name.toLowerCase()).join('|');
		for (const n of [
			'sonarqube',
			'zap',
			'snyk',
			'crashtest security',
			'terraform',
			'semgrep',
			'trivy',
			'gitleaks',
			'threat dragon',
			'vault'
		]) {
			expect(names).toContain(n);
		}
	});

	it('refuses a scanner name two tools claim, or one that is another tool’s name, with its place', () => {
		const grype = { ...semgrep, id: 'grype', name: 'Grype', scanners: ['Grype'] };
		expect(
			problems(
				files(
					[sast],
					[
						{ ...semgrep, scanners: ['Semgrep OSS', 'semgrep oss'] },
						{ ...semgrep, id: 'codeql', name: 'CodeQL', scanners: ['CodeQL', ' SEMGREP OSS'] },
						{ ...semgrep, id: 'osv', name: 'OSV', scanners: ['grype'] },
						grype,
						{ ...semgrep, id: 'empty', name: 'Empty', scanners: [''] }
					]
				)
			)
		).toEqual([
			'tools[4].scanners[0]: must not be empty',
			'tools[0].scanners[1]: scanner name "semgrep oss" is listed twice',
			'tools[1].scanners[1]: scanner name "SEMGREP OSS" is already claimed by tool "semgrep"',
			'tools[2].scanners[0]: scanner name "grype" is the name of tool "grype"',
			'tools[3].scanners[0]: scanner name "Grype" is already claimed by tool "osv"'
		]);
		expect(problems(files([sast], [{ ...semgrep, scanners: ['Semgrep', 'Semgrep OSS'] }]))).toEqual(
			[]
		);
	});
});
