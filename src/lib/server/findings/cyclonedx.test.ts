import { describe, expect, it } from 'vitest';
import { readCycloneDx } from './cyclonedx';
import { ScanFormatError } from './scan-report';
import { sample } from './testing/samples';

const bom = (more: object, specVersion = '1.5') => ({
	bomFormat: 'CycloneDX',
	specVersion,
	...more
});

describe('readCycloneDx: the log4j sample', () => {
	it('locates each vulnerability at the purl of the component its bom-ref names', () => {
		const report = readCycloneDx(sample('cyclonedx-log4j.json'));
		const purl = 'pkg:maven/org.apache.logging.log4j/log4j-core@2.13.2';
		expect(report.findings.map((f) => [f.ruleId, f.severity, f.location.path])).toEqual([
			['CVE-2021-44228', 'critical', purl],
			['CVE-2021-44832', 'medium', purl],
			['CVE-2021-45046', 'critical', purl],
			['CVE-2021-45105', 'medium', purl],
			['GHSA-7rjr-3q55-vv33', 'critical', purl],
			['GHSA-8489-44mv-ggj8', 'medium', purl],
			['GHSA-jfh8-c2jp-5v3q', 'critical', purl],
			['GHSA-p6xc-xr62-6r2g', 'high', purl]
		]);
		expect(report.findings[0]).toMatchObject({
			tool: { name: 'grype', version: '0.41.0' },
			ruleName: null,
			help: null,
			suppressed: null,
			location: { startLine: null, endLine: null }
		});
		expect(report.findings[0]?.message).toMatch(/^Apache Log4j2 2\.0-beta9 through 2\.15\.0/);
	});
});

describe('readCycloneDx: what it refuses', () => {
	it.each([
		[null, 'expected a JSON object, got null'],
		[[], 'expected a JSON object, got an array'],
		['{}', 'expected a JSON object, got a string'],
		[{ specVersion: '1.5' }, 'it has no "bomFormat"'],
		[{ bomFormat: 'SPDX', specVersion: '1.5' }, 'bomFormat is SPDX'],
		[{ bomFormat: 'CycloneDX' }, 'it has no "specVersion"'],
		[{ bomFormat: 'CycloneDX', specVersion: '1.3' }, 'specVersion is 1.3'],
		[{ bomFormat: 'CycloneDX', specVersion: 1.5 }, 'specVersion is 1.5']
	])('%j: %s', (value, problem) => {
		expect(() => readCycloneDx(value)).toThrow(ScanFormatError);
		expect(() => readCycloneDx(value)).toThrow(`not a CycloneDX 1.4–1.6 JSON SBOM: ${problem}`);
	});

	it('reads an SBOM without vulnerabilities as components and tools only', () => {
		expect(readCycloneDx(bom({}, '1.6'))).toEqual({
			format: 'cyclonedx',
			tools: [],
			findings: [],
			results: 0,
			skipped: 0,
			components: 0
		});
	});
});

describe('readCycloneDx: components, tools and vulnerabilities', () => {
	const components = [
		{
			'bom-ref': 'app',
			name: 'app',
			components: [
				{ 'bom-ref': 'lib-a', group: 'org.example', name: 'lib-a', version: '1.2.0' },
				{
					'bom-ref': 'lib-b',
					name: 'lib-b',
					purl: 'pkg:npm/lib-b@2.0.0',
					components: [{ 'bom-ref': 'deep', name: 'deep' }]
				}
			]
		},
		{ 'bom-ref': 'no-name' },
		null
	];

	it('counts nested components and reads tools in the 1.5 form', () => {
		const report = readCycloneDx(
			bom({
				metadata: {
					tools: {
						components: [{ type: 'application', group: 'anchore', name: 'syft', version: '1.0.0' }],
						services: [{ name: 'scanner-service' }]
					},
					component: { 'bom-ref': 'subject', name: 'my-app', version: '3.0' }
				},
				components
			})
		);
		expect(report.components).toBe(5);
		expect(report.tools).toEqual([
			{ name: 'syft', version: '1.0.0' },
			{ name: 'scanner-service', version: null }
		]);
	});

	it('makes one finding per vulnerability and affected component, at its purl or [group/]name@version', () => {
		const report = readCycloneDx(
			bom(
				{
					metadata: {
						tools: [{ vendor: 'anchore', name: 'grype', version: '0.80.0' }],
						component: { name: 'my-app', version: '3.0' }
					},
					components,
					vulnerabilities: [
						{
							id: 'CVE-1',
							ratings: [{ score: 7.5, method: 'CVSSv31' }],
							affects: [{ ref: 'lib-a' }, { ref: 'lib-b' }]
						},
						{
							id: 'CVE-2',
							ratings: [{ severity: 'low' }, { severity: 'unknown' }, { score: 9.1 }],
							affects: [{ ref: 'deep' }]
						},
						{ id: 'CVE-3', ratings: [{ severity: 'unknown' }], affects: [{ ref: 'not-in-bom' }] },
						{ id: 'CVE-4', ratings: [{ severity: 'info' }], affects: [{ ref: 'no-name' }] },
						{ id: 'CVE-5', description: 'About the whole app.' },
						{ id: 'CVE-1', ratings: [{ severity: 'critical' }], affects: [{ ref: 'lib-a' }] }
					]
				},
				'1.4'
			)
		);
		expect(report.findings.map((f) => [f.ruleId, f.severity, f.location.path])).toEqual([
			['CVE-1', 'critical', 'org.example/lib-a@1.2.0'],
			['CVE-1', 'high', 'pkg:npm/lib-b@2.0.0'],
			['CVE-2', 'critical', 'deep'],
			['CVE-3', 'medium', 'not-in-bom'],
			['CVE-4', 'none', 'no-name'],
			['CVE-5', 'medium', 'my-app@3.0']
		]);
		expect(report.results).toBe(7);
		expect(report.findings.every((f) => f.tool.name === 'grype')).toBe(true);
		expect(report.findings.map((f) => f.message)).toEqual([
			'CVE-1',
			'CVE-1',
			'CVE-2',
			'CVE-3',
			'CVE-4',
			'About the whole app.'
		]);
	});

	it("keys by id and the component's identity, not its bom-ref (which a generator may make up each run)", () => {
		const read = (ref: string) =>
			readCycloneDx(
				bom({
					components: [{ 'bom-ref': ref, name: 'lib', version: '1.0' }],
					vulnerabilities: [{ id: 'CVE-9', affects: [{ ref }] }]
				})
			).findings[0]?.key;
		expect(read('uuid-1')).toBe(read('uuid-2'));
		expect(read('uuid-1')).toMatch(/^[0-9a-f]{64}$/);
	});

	it("takes the vulnerability's own tool, its detail and recommendation as help, VEX not_affected as suppressed", () => {
		const report = readCycloneDx(
			bom({
				metadata: { tools: { components: [{ name: 'cdxgen', version: '10' }] } },
				components: [{ 'bom-ref': 'a', name: 'a' }],
				vulnerabilities: [
					{
						id: 'GHSA-x',
						tools: { components: [{ name: 'osv-scanner', version: '1.9' }] },
						description: 'Short.',
						detail: 'Long\n\nstory.',
						recommendation: 'Upgrade to 2.0.',
						analysis: {
							state: 'not_affected',
							justification: 'code_not_reachable',
							detail: 'Only in tests.'
						},
						affects: [{ ref: 'a' }]
					},
					{
						id: 'GHSA-y',
						detail: 'Only a detail.',
						analysis: { state: 'exploitable' },
						affects: [{ ref: 'a' }]
					}
				]
			})
		);
		expect(report.tools).toEqual([
			{ name: 'cdxgen', version: '10' },
			{ name: 'osv-scanner', version: '1.9' }
		]);
		expect(report.findings[0]).toMatchObject({
			tool: { name: 'osv-scanner', version: '1.9' },
			message: 'Short.',
			help: 'Long\n\nstory.\n\nUpgrade to 2.0.',
			suppressed: { kind: 'not_affected', justification: 'code_not_reachable: Only in tests.' }
		});
		expect(report.findings[1]).toMatchObject({
			tool: { name: 'cdxgen', version: '10' },
			message: 'Only a detail.',
			help: null,
			suppressed: null
		});
	});

	it('skips what it cannot read and survives any depth of nesting', () => {
		let deep: Record<string, unknown> = { name: 'leaf' };
		for (let i = 0; i < 100_000; i += 1) deep = { name: `level-${i}`, components: [deep] };
		const report = readCycloneDx(
			bom({
				components: [deep, 'text', 7],
				metadata: { tools: 'grype' },
				vulnerabilities: [
					null,
					5,
					{
						id: 'CVE-1',
						affects: [null, { ref: 7 }, { ref: null }, { ref: 'x' }],
						ratings: 'high'
					},
					'CVE-2'
				]
			})
		);
		expect(report.components).toBe(100_001);
		expect(report.results).toBe(7);
		expect(report.skipped).toBe(6);
		expect(
			report.findings.map((f) => [f.ruleId, f.severity, f.location.path, f.tool.name])
		).toEqual([['CVE-1', 'medium', 'x', 'unknown']]);
	});
});
