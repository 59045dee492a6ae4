import { describe, expect, it } from 'vitest';
import { readCycloneDx } from './cyclonedx';
import { readSarif } from './sarif';
import { ScanFormatError } from './scan-report';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const run = (results: unknown, driver: object = { name: 'Scanner' }) => ({
	version: '2.1.0',
	runs: [{ tool: { driver }, results }]
});

describe('readSarif: what it refuses, in words a CI log reader understands', () => {
	it.each([
		[null, 'expected a JSON object, got null'],
		[[], 'expected a JSON object, got an array'],
		['{"version":"2.1.0"}', 'expected a JSON object, got a string'],
		[42, 'expected a JSON object, got a number'],
		[{ runs: [] }, 'it has no "version"'],
		[{ version: '2.0.0', runs: [] }, 'version is 2.0.0'],
		[{ version: 2.1, runs: [] }, 'version is 2.1'],
		[{ version: { major: 2 }, runs: [] }, '"version" is not a string'],
		[{ version: '2.1.0\n\u0000FAKE', runs: [] }, 'version is 2.1.0 FAKE'],
		[{ version: '2.1.0' }, 'it has no "runs"'],
		[{ version: '2.1.0', runs: {} }, '"runs" is a object, not an array'],
		[{ version: '2.1.0', runs: null }, '"runs" is null, not an array']
	])('%j: %s', (log, problem) => {
		expect(() => readSarif(log)).toThrow(ScanFormatError);
		expect(() => readSarif(log)).toThrow(`not a SARIF 2.1.0 log: ${problem}`);
	});

	it('reads an empty log as nothing found, not as an error', () => {
		expect(readSarif({ version: '2.1.0', runs: [] })).toEqual({
			format: 'sarif',
			tools: [],
			findings: [],
			results: 0,
			skipped: 0,
			components: null
		});
	});
});

describe('readSarif: broken parts are skipped or emptied, never thrown', () => {
	it('skips results that are not objects and reads a result with garbage everywhere', () => {
		const garbage = {
			ruleId: { not: 'a string' },
			ruleIndex: -3,
			rule: 'R',
			level: 42,
			kind: ['fail'],
			message: 'not an object',
			locations: [
				null,
				7,
				{ physicalLocation: 'text' },
				{
					physicalLocation: {
						artifactLocation: { uri: 5 },
						region: { startLine: 'ten', endLine: {} }
					}
				}
			],
			suppressions: { kind: 'inSource' },
			partialFingerprints: ['a', 'b'],
			fingerprints: 'abc'
		};
		const report = readSarif(
			run([null, 3, 'result', [], garbage, { locations: 'nowhere', message: { text: 'second' } }])
		);
		expect(report.results).toBe(6);
		expect(report.skipped).toBe(4);
		expect(report.findings).toHaveLength(2);
		expect(report.findings[0]).toMatchObject({
			ruleId: '',
			ruleName: null,
			// kind is present and not "fail": no problem level of its own (SARIF §3.27.10).
			severity: 'none',
			message: '',
			help: null,
			location: { path: null, startLine: null, endLine: null },
			suppressed: null
		});
		expect(report.findings[0]?.key).not.toBe(report.findings[1]?.key);
	});

	it('reads runs whose tool, rules, base URIs or artifacts are garbage', () => {
		const log = {
			version: '2.1.0',
			runs: [
				{
					tool: {
						driver: { name: ['x'], version: 7, rules: 'all', globalMessageStrings: 5 },
						extensions: {}
					},
					originalUriBaseIds: ['SRC'],
					artifacts: 'none',
					results: [
						{ ruleId: 'R', ruleIndex: 999999, message: { id: 'x', arguments: 'a' } },
						{
							ruleId: 'R',
							rule: { toolComponent: { index: 99 }, index: 1.5 },
							message: { text: 'ok' }
						},
						{
							locations: [{ physicalLocation: { artifactLocation: { index: 4 } } }],
							message: { text: 'y' }
						}
					]
				},
				{ tool: 'CodeQL', results: 'many' },
				{ results: [{ message: { text: 'no tool' } }] }
			]
		};
		const report = readSarif(log);
		expect(report.tools).toEqual([
			{ name: 'unknown', version: '7' },
			{ name: 'unknown', version: null }
		]);
		expect(report.findings.map((f) => [f.ruleId, f.message, f.location.path])).toEqual([
			['R', 'R', null],
			['R', 'ok', null],
			['', 'y', null],
			['', 'no tool', null]
		]);
	});

	it('caps a huge message, rule id, help and path, and keeps no control or direction characters', () => {
		const huge = 'A'.repeat(1_000_000);
		const nasty = 'evil\u0000\u0007\u001b[31m\u202e\u2066txt.exe\u0085\r\nnext\tline';
		const report = readSarif(
			run(
				[
					{
						ruleId: huge,
						message: { text: huge },
						locations: [{ physicalLocation: { artifactLocation: { uri: huge } } }]
					},
					{
						ruleId: `rule${nasty}`,
						message: { text: nasty },
						locations: [{ physicalLocation: { artifactLocation: { uri: `src/${nasty}.ts` } } }]
					},
					{ ruleId: 'H', message: { text: '🚀'.repeat(5_000) } }
				],
				{ name: `Scanner${nasty}`, rules: [{ id: 'H', help: { markdown: `${nasty}${huge}` } }] }
			)
		);
		const [big, bad, emoji] = report.findings;
		expect(big?.message).toHaveLength(4_000);
		expect(big?.message.endsWith('…')).toBe(true);
		expect(big?.ruleId).toHaveLength(500);
		expect(big?.location.path).toHaveLength(2_000);
		expect(bad?.message).toBe('evil[31mtxt.exe\nnext\tline');
		expect(bad?.ruleId).toBe('ruleevil[31mtxt.exe next line');
		expect(bad?.location.path).toBe('src/evil[31mtxt.exe next line.ts');
		expect(bad?.tool.name).toBe('Scannerevil[31mtxt.exe next line');
		expect(emoji?.help).toHaveLength(20_000);
		expect(emoji?.help).toMatch(/^evil\[31mtxt\.exe\nnext\tlineA+…$/);
		// A capped string never ends in half a surrogate pair.
		expect(emoji?.message.length).toBeLessThanOrEqual(4_000);
		expect(emoji?.message).toMatch(/^(🚀)+…$/u);
		for (const f of report.findings) {
			for (const text of [f.message, f.ruleId, f.location.path ?? '', f.help ?? '', f.tool.name]) {
				expect(text).not.toMatch(UNSAFE);
			}
		}
	});

	it('counts a result whose properties throw on reading as skipped', () => {
		const trap = {
			message: { text: 'm' },
			get locations(): unknown {
				throw new Error('trap');
			}
		};
		const report = readSarif(run([trap, { message: { text: 'fine' } }]));
		expect(report.skipped).toBe(1);
		expect(report.findings.map((f) => f.message)).toEqual(['fine']);
	});
});

describe('prototype pollution', () => {
	// As a client would send it: JSON text, where "__proto__" is an ordinary key (in an object
	// literal it would set the prototype instead, so the text is written with a stand-in).
	const text = JSON.stringify({
		version: '2.1.0',
		__PROTO__: { polluted: 'root' },
		runs: [
			{
				__PROTO__: { polluted: 'run' },
				tool: {
					driver: {
						name: 'Scanner',
						globalMessageStrings: { __PROTO__: { text: 'global proto' } },
						rules: [
							{
								id: '__PROTO__',
								messageStrings: { __PROTO__: { text: 'polluted {0}' } },
								properties: { __PROTO__: { 'security-severity': '10' } }
							},
							{ id: 'constructor' }
						]
					}
				},
				originalUriBaseIds: { __PROTO__: { uri: 'proto/' }, constructor: { uri: 'ctor/' } },
				results: [
					{
						ruleId: '__PROTO__',
						message: { id: '__PROTO__', arguments: ['x'] },
						locations: [
							{ physicalLocation: { artifactLocation: { uri: 'a.ts', uriBaseId: '__PROTO__' } } }
						],
						partialFingerprints: { __PROTO__: 'p' }
					},
					{ ruleId: 'constructor', message: { id: 'constructor' }, level: 'toString' },
					{
						ruleId: 'toString',
						message: { id: 'hasOwnProperty' },
						locations: [
							{ physicalLocation: { artifactLocation: { uri: 'b.ts', uriBaseId: 'constructor' } } }
						]
					}
				]
			}
		]
	}).replaceAll('__PROTO__', '__proto__');

	it('treats "__proto__", "constructor" and the like as names, and pollutes nothing', () => {
		const log: unknown = JSON.parse(text);
		expect(Object.hasOwn(log as object, '__proto__')).toBe(true);
		const report = readSarif(log);
		expect(report.findings.map((f) => [f.ruleId, f.message, f.location.path, f.severity])).toEqual([
			['__proto__', 'polluted x', 'proto/a.ts', 'medium'],
			['constructor', 'constructor', null, 'medium'],
			['toString', 'toString', 'ctor/b.ts', 'medium']
		]);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.prototype).not.toHaveProperty('polluted');
		expect(Object.prototype).not.toHaveProperty('security-severity');
	});

	it('does the same for an SBOM', () => {
		const bom: unknown = JSON.parse(
			'{"bomFormat":"CycloneDX","specVersion":"1.6","__proto__":{"polluted":1},' +
				'"components":[{"bom-ref":"__proto__","name":"lib","version":"1"}],' +
				'"vulnerabilities":[{"id":"CVE-1","affects":[{"ref":"__proto__"},{"ref":"constructor"}],"ratings":[{"severity":"constructor"},{"severity":"__proto__"}]}]}'
		);
		const report = readCycloneDx(bom);
		expect(report.findings.map((f) => [f.location.path, f.severity])).toEqual([
			['lib@1', 'medium'],
			['constructor', 'medium']
		]);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});
