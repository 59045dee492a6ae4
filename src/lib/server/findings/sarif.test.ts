import { describe, expect, it } from 'vitest';
import { readCycloneDx } from './cyclonedx';
import { readSarif, readSarifPausing } from './sarif';
import { generatedSarif } from './testing/generated-sarif';
import type { ReportedFinding, ScannedTool, Severity } from './scan-report';
import { sample, sampleNames, severityCounts } from './testing/samples';

interface Expected {
	tools: ScannedTool[];
	results: number;
	skipped: number;
	findings: number;
	suppressed: number;
	severities: Partial<Record<Severity, number>>;
}

/*
 * Figures computed apart from the reader, with jq over each file:
 * - results: `[.runs[].results[]?] | length`; skipped: results of kind "pass" / "notApplicable";
 * - severity per result: the rule (driver.rules[ruleIndex], else by id in driver and extension
 *   rules) `properties."security-severity"` (a number: ≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0
 *   low; Semgrep writes a word, taken as it stands), else result.level, else the rule's
 *   defaultConfiguration.level, else warning (error high, warning medium, note low);
 * - findings: distinct [tool, ruleId, uri, sorted fingerprints and partialFingerprints], or for a
 *   result without any [tool, ruleId, uri, startLine, message]; collisions counted by hand:
 *   Gitleaks 7 reports each of 4 secrets twice (two commits, same file, line and message, no rule
 *   id): 8 results, 4 findings. Flawfinder's contextHash/v1 hashes the line's text, so identical
 *   lines of one file share it: io.cc 61/137 (note), data.cc 1051/1059 (note), io.cc 31/48 (note)
 *   and param.cc 29 (no level, rule default error → high) / 75 (warning → medium) are 4 pairs:
 *   53 problem results, 49 findings, the merged pair high. Per result, Flawfinder is high 2, medium
 *   1, low 50; as findings high 2 (the error and the merged pair), low 47.
 * - CodeQL's partialFingerprints hash the line's text too (bad/ and good/ copies of one file
 *   share 16 of them), which is why the path is part of the key: 72 results, 72 findings.
 * - suppressed: results with a suppression whose status is absent or "accepted".
 */
const expected: Record<string, Expected> = {
	'appendix_k.sarif': {
		tools: [{ name: 'CodeScanner', version: '2.1' }],
		results: 1,
		skipped: 0,
		findings: 1,
		suppressed: 1,
		severities: { high: 1 }
	},
	'appendix_k1_double.sarif': {
		tools: [
			{ name: 'CodeScanner', version: null },
			{ name: 'OtherScanner', version: null }
		],
		results: 0,
		skipped: 0,
		findings: 0,
		suppressed: 0,
		severities: {}
	},
	'codeQL-output.sarif': {
		tools: [{ name: 'CodeQL', version: '2.5.4' }],
		results: 72,
		skipped: 0,
		findings: 72,
		suppressed: 0,
		severities: { high: 11, medium: 4, low: 57 }
	},
	'cxf-3.4.6.sarif': {
		tools: [{ name: 'Grype', version: '0.34.7' }],
		results: 22,
		skipped: 0,
		findings: 22,
		suppressed: 0,
		severities: { critical: 1, high: 11, medium: 4, low: 6 }
	},
	'dependency_check.sarif': {
		tools: [{ name: 'dependency-check', version: '6.1.2' }],
		results: 13,
		skipped: 0,
		findings: 13,
		suppressed: 0,
		severities: { high: 13 }
	},
	'flawfinder.sarif': {
		tools: [{ name: 'Flawfinder', version: '2.0.19' }],
		results: 54,
		skipped: 1,
		findings: 49,
		suppressed: 0,
		severities: { high: 2, low: 47 }
	},
	'gitleaks_7.5.0.sarif': {
		tools: [{ name: 'Gitleaks', version: 'v7.4.0' }],
		results: 8,
		skipped: 0,
		findings: 4,
		suppressed: 0,
		severities: { medium: 4 }
	},
	'no_runs.sarif': {
		tools: [],
		results: 0,
		skipped: 0,
		findings: 0,
		suppressed: 0,
		severities: {}
	},
	'semgrep-oss.sarif': {
		tools: [{ name: 'Semgrep OSS', version: '1.69.0' }],
		results: 77,
		skipped: 0,
		findings: 77,
		suppressed: 0,
		severities: { critical: 34, high: 1, medium: 42 }
	},
	'spotbugs.sarif': {
		tools: [{ name: 'SpotBugs', version: '4.4.0' }],
		results: 56,
		skipped: 0,
		findings: 56,
		suppressed: 0,
		severities: { low: 56 }
	},
	'suppression_test.sarif': {
		tools: [{ name: 'CodeScanner', version: null }],
		results: 5,
		skipped: 0,
		findings: 5,
		suppressed: 3,
		severities: { medium: 5 }
	},
	// jq '.components | length' (none nested), '.metadata.tools', and per vulnerability the
	// highest of its ratings' severities: 44228, 45046, 7rjr, jfh8 critical; p6xc high; 44832,
	// 45105, 8489 medium.
	'cyclonedx-log4j.json': {
		tools: [{ name: 'grype', version: '0.41.0' }],
		results: 8,
		skipped: 0,
		findings: 8,
		suppressed: 0,
		severities: { critical: 4, high: 1, medium: 3 }
	}
};

const read = (name: string) =>
	name.endsWith('.sarif') ? readSarif(sample(name)) : readCycloneDx(sample(name));

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('the real scanner output in tests/fixtures/sarif-samples', () => {
	it('has a figure for every file in the folder', () => {
		expect(sampleNames()).toEqual(Object.keys(expected).sort());
	});

	it.each(Object.keys(expected))('%s: results, findings, suppressed, tools, severities', (name) => {
		const want = expected[name]!;
		const report = read(name);
		expect(report.tools).toEqual(want.tools);
		expect(report.results).toBe(want.results);
		expect(report.skipped).toBe(want.skipped);
		expect(report.findings).toHaveLength(want.findings);
		expect(report.findings.filter((f) => f.suppressed)).toHaveLength(want.suppressed);
		expect(severityCounts(report)).toEqual(want.severities);
		expect(report.components).toBe(name.endsWith('.json') ? 1 : null);
	});

	it.each(Object.keys(expected))('%s: read twice, the same keys, each a sha256 once', (name) => {
		const keys = read(name).findings.map((f) => f.key);
		expect(read(name).findings.map((f) => f.key)).toEqual(keys);
		expect(new Set(keys).size).toBe(keys.length);
		for (const key of keys) expect(key).toMatch(/^[0-9a-f]{64}$/);
	});

	it.each(Object.keys(expected))(
		'%s: every string bounded and free of control characters',
		(name) => {
			for (const f of read(name).findings) {
				for (const value of [f.ruleId, f.ruleName, f.location.path, f.tool.name, f.tool.version]) {
					if (value !== null) expect(value).not.toMatch(/[\t\n]|^\s|\s$/);
				}
				for (const value of [f.ruleId, f.ruleName, f.message, f.help, f.location.path]) {
					if (value !== null) expect(value).not.toMatch(UNSAFE);
				}
				expect(f.message.length).toBeGreaterThan(0);
				expect(f.message.length).toBeLessThanOrEqual(4_000);
				expect(f.help?.length ?? 0).toBeLessThanOrEqual(20_000);
				// A SARIF location is a path, never a URL (an SBOM's is a purl, "pkg:…", by design).
				if (name.endsWith('.sarif')) {
					expect(f.location.path ?? '').not.toMatch(/^[a-z][a-z0-9+.-]+:|(^|\/)\.\.?\//i);
				}
			}
		}
	);
});

const byRule = (findings: ReportedFinding[], ruleId: string) =>
	findings.filter((f) => f.ruleId === ruleId);

describe('readSarif on the samples, finding by finding', () => {
	it("appendix K: the rule's message string with its arguments, a path below the base URIs, an accepted suppression", () => {
		const [finding] = readSarif(sample('appendix_k.sarif')).findings;
		expect(finding).toMatchObject({
			tool: { name: 'CodeScanner', version: '2.1' },
			ruleId: 'C2001',
			ruleName: 'A variable was used without being initialized.',
			severity: 'high',
			message: 'Variable "ptr" was used without being initialized. It was declared [here](0).',
			help: null,
			// "collections/list.h" in SRCROOT (" src/"), in PROJECTROOT (file://build.example.com/work/).
			location: { path: 'src/collections/list.h', startLine: 15, endLine: 15 },
			suppressed: { kind: 'external', justification: null }
		});
	});

	it('CodeQL: the rule by ruleIndex, its level and title, %SRCROOT% paths left relative', () => {
		const { findings } = readSarif(sample('codeQL-output.sarif'));
		const sql = byRule(findings, 'py/sql-injection');
		expect(sql).toHaveLength(2);
		expect(sql[0]).toMatchObject({
			severity: 'high',
			ruleName: 'SQL query built from user-controlled sources'
		});
		expect(sql.map((f) => f.location.path)).toEqual(['bad/libuser.py', 'bad/libuser.py']);
		expect(byRule(findings, 'py/unused-import').every((f) => f.severity === 'low')).toBe(true);
		// Two copies of one line in bad/ and good/ share partial fingerprints, not keys.
		const emptyExcept = byRule(findings, 'py/empty-except');
		const bad = emptyExcept.filter((f) => f.location.path === 'bad/db_init.py');
		const good = emptyExcept.filter((f) => f.location.path === 'good/db_init.py');
		expect(bad.length).toBeGreaterThan(0);
		expect(good.length).toBe(bad.length);
		expect(new Set([...bad, ...good].map((f) => f.key)).size).toBe(bad.length * 2);
	});

	it('Grype: security-severity scores, help as markdown', () => {
		const { findings } = readSarif(sample('cxf-3.4.6.sarif'));
		const critical = findings.find((f) => f.severity === 'critical')!;
		expect(critical.ruleId).toBe('CVE-2019-12419-cxf-xjc-runtime');
		expect(critical.help).toMatch(/^\*\*Vulnerability CVE-2019-12419\*\*\n\| Severity/);
		expect(byRule(findings, 'CVE-2008-0732-geronimo-jms_1.1_spec')[0]?.severity).toBe('low');
	});

	it('Semgrep: security-severity written as a word', () => {
		const { findings } = readSarif(sample('semgrep-oss.sarif'));
		const nosql = findings.filter((f) => f.ruleId.endsWith('rule-node-nosqli-injection'));
		expect(nosql).toHaveLength(25);
		expect(nosql.every((f) => f.severity === 'critical')).toBe(true);
		const paths = findings.filter((f) => f.ruleId.endsWith('rule-non-literal-fs-filename'));
		expect(paths[0]?.message).toMatch(
			/^The application dynamically constructs file or path information\. If the path\ninformation/
		);
	});

	it('SpotBugs: messages from the rule by id with their argument', () => {
		const { findings } = readSarif(sample('spotbugs.sarif'));
		expect(findings[0]).toMatchObject({
			ruleId: 'DMI_HARDCODED_ABSOLUTE_FILENAME',
			message: 'Hard coded reference to an absolute pathname in Boot.main(String[]).',
			location: { path: 'Boot.java', startLine: 23, endLine: null }
		});
	});

	it('Flawfinder: a "pass" is no finding, two results with one fingerprint are one, at the higher severity', () => {
		const { findings } = readSarif(sample('flawfinder.sarif'));
		// The one "pass" (FF1013, no message, no location) is skipped.
		expect(findings.every((f) => f.location.path !== null && f.message !== f.ruleId)).toBe(true);
		const random = byRule(findings, 'FF1048');
		expect(random).toHaveLength(1);
		expect(random[0]).toMatchObject({
			severity: 'high',
			location: { path: 'src/tree/param.cc', startLine: 29 }
		});
	});

	it('Gitleaks 7: no rule id, the same secret in two commits is one finding', () => {
		const { findings } = readSarif(sample('gitleaks_7.5.0.sarif'));
		expect(findings.every((f) => f.ruleId === '' && f.ruleName === null)).toBe(true);
		expect(
			findings.map((f) => [f.location.path?.split('/').pop(), f.location.startLine, f.message])
		).toEqual([
			['gitlab_secret_detection_report_1_vuln.json', 13, 'AWS Access Key secret detected'],
			['gitlab_secret_detection_report_3_vuln.json', 13, 'Asymmetric Private Key secret detected'],
			['gitlab_secret_detection_report_3_vuln.json', 44, 'AWS Access Key secret detected'],
			['test_gitlab_secret_detection_report_parser.py', 37, 'AWS Access Key secret detected']
		]);
	});

	it('dependency-check: a file://// URI becomes one absolute path', () => {
		const [first] = readSarif(sample('dependency_check.sarif')).findings;
		expect(first?.location.path).toBe(
			'/src/.venv/lib/python3.9/site-packages/tastypie_swagger/static/tastypie_swagger/js/lib/handlebars-1.0.0.js'
		);
	});

	it('suppression test: external and in-source suppressions count, an empty list does not', () => {
		const { findings } = readSarif(sample('suppression_test.sarif'));
		expect(findings.map((f) => [f.ruleId, f.location.path, f.suppressed?.kind ?? null])).toEqual([
			['TST0001', 'C:/code/file1.c', 'external'],
			['TST0002', 'C:/code/file2.c', 'external'],
			['TST0003', 'C:/code/file3.c', 'inSource'],
			['TST0004', 'C:/code/file4.c', null],
			['TST0005', 'C:/code/file5.c', null]
		]);
	});
});

describe('reading a large log for the upload route', () => {
	it('reads what readSarif reads, pausing so that other requests run meanwhile', async () => {
		const log = generatedSarif(3_000, 5);
		let others = 0;
		const other = () => {
			others++;
			if (!done) setImmediate(other);
		};
		let done = false;
		setImmediate(other);
		const report = await readSarifPausing(log);
		done = true;
		expect(report).toEqual(readSarif(log));
		expect(report.results).toBe(3_000);
		// 3,000 results read 300 at a time: the other task ran between every two steps.
		expect(others).toBeGreaterThanOrEqual(9);
		for (const name of sampleNames().filter((n) => n.endsWith('.sarif')))
			expect(await readSarifPausing(sample(name))).toEqual(readSarif(sample(name)));
	});
});
