import { describe, expect, it } from 'vitest';
import { readSarif } from './sarif';
import { normalisePath } from './sarif-location';

function location(physicalLocation: unknown, run: object = {}) {
	const report = readSarif({
		version: '2.1.0',
		runs: [
			{
				tool: { driver: { name: 'Scanner' } },
				results: [{ message: { text: 'm' }, locations: [{ physicalLocation }] }],
				...run
			}
		]
	});
	return report.findings[0]!.location;
}

const path = (artifactLocation: object, run: object = {}) =>
	location({ artifactLocation }, run).path;

describe('normalisePath', () => {
	it.each([
		['src/a.ts', 'src/a.ts'],
		['./src/./a.ts', 'src/a.ts'],
		['src//lib/../a.ts', 'src/a.ts'],
		['../outside/a.ts', '../outside/a.ts'],
		['src\\win\\a.cs', 'src/win/a.cs'],
		['file:///C:/code/a.c', 'C:/code/a.c'],
		['file:///home/runner/work/app/a.ts', '/home/runner/work/app/a.ts'],
		['file:////src/a.js', '/src/a.js'],
		['file://build.example.com/work/a.c', '/work/a.c'],
		['https://evil.example/steal?x=1', '/steal?x=1'],
		['javascript:alert(1)', 'alert(1)'],
		['src/my%20file.ts', 'src/my file.ts'],
		['src/bad%zz.ts', 'src/bad%zz.ts'],
		['src/a%0A%00b.ts', 'src/a b.ts']
	])('%s → %s', (uri, want) => {
		expect(normalisePath(uri)).toBe(want);
	});

	it('is null for nothing left', () => {
		expect(normalisePath('./')).toBeNull();
		expect(normalisePath('file://')).toBeNull();
	});
});

describe('readSarif: locations', () => {
	it('joins relative base URIs up to the first absolute one (the checkout root)', () => {
		const originalUriBaseIds = {
			ROOT: { uri: 'file:///home/runner/work/app/app/' },
			SRC: { uri: 'src/', uriBaseId: 'ROOT' },
			WEB: { uri: 'web', uriBaseId: 'SRC' },
			LOOP_A: { uri: 'a/', uriBaseId: 'LOOP_B' },
			LOOP_B: { uri: 'b/', uriBaseId: 'LOOP_A' }
		};
		const run = { originalUriBaseIds };
		expect(path({ uri: 'x.ts', uriBaseId: 'SRC' }, run)).toBe('src/x.ts');
		expect(path({ uri: 'x.ts', uriBaseId: 'WEB' }, run)).toBe('src/web/x.ts');
		expect(path({ uri: 'x.ts', uriBaseId: 'ROOT' }, run)).toBe('x.ts');
		expect(path({ uri: 'x.ts', uriBaseId: '%SRCROOT%' }, run)).toBe('x.ts');
		expect(path({ uri: 'x.ts', uriBaseId: 'LOOP_A' }, run)).toMatch(/^(a\/|b\/)+x\.ts$/);
		// An absolute URI under the root loses the root.
		expect(path({ uri: 'file:///home/runner/work/app/app/src/y.ts' }, run)).toBe('src/y.ts');
		expect(path({ uri: 'file:///elsewhere/y.ts' }, run)).toBe('/elsewhere/y.ts');
	});

	it('makes absolute paths relative to the checkout the upload names or a working directory of the run', () => {
		const eslint = (dir: string, checkout: string | null) =>
			readSarif(
				{
					version: '2.1.0',
					runs: [
						{
							tool: { driver: { name: 'ESLint' } },
							results: [
								{
									ruleId: 'no-eval',
									message: { text: 'eval can be harmful.' },
									locations: [
										{
											physicalLocation: {
												artifactLocation: { uri: `file://${dir}/src/app.js` },
												region: { startLine: 3 }
											}
										}
									]
								}
							]
						}
					]
				},
				{ checkout }
			).findings[0]!;
		const a = eslint('/home/runner/work/api/api', '/home/runner/work/api/api');
		const b = eslint('/builds/team/api', '/builds/team/api/');
		expect(a.location.path).toBe('src/app.js');
		// The same problem in two checkout directories is one finding.
		expect(b.location.path).toBe('src/app.js');
		expect(b.key).toBe(a.key);
		// Without the checkout the path stays absolute (and the key follows the directory).
		expect(eslint('/builds/team/api', null).location.path).toBe('/builds/team/api/src/app.js');
		expect(eslint('/elsewhere', '/builds/team/api').location.path).toBe('/elsewhere/src/app.js');
		// A root of "/" or a relative checkout changes nothing.
		expect(eslint('/w', '/').location.path).toBe('/w/src/app.js');
		expect(eslint('/w', 'w').location.path).toBe('/w/src/app.js');
		const run = { invocations: [{ workingDirectory: { uri: 'file:///srv/ci/checkout/' } }] };
		expect(path({ uri: 'file:///srv/ci/checkout/lib/x.py' }, run)).toBe('lib/x.py');
	});

	it('takes the URI of an artifact named by index', () => {
		const run = {
			artifacts: [
				{ location: { uri: 'first.ts' } },
				{ location: { uri: 'lib/second.ts', uriBaseId: 'SRC' } }
			],
			originalUriBaseIds: { SRC: { uri: 'pkg/' } }
		};
		expect(path({ index: 1 }, run)).toBe('pkg/lib/second.ts');
		expect(path({ index: 9 }, run)).toBeNull();
		expect(path({ uri: 'own.ts', index: 0 }, run)).toBe('own.ts');
	});

	it('takes the first location that has a physical location', () => {
		const report = readSarif({
			version: '2.1.0',
			runs: [
				{
					tool: { driver: { name: 'S' } },
					results: [
						{
							message: { text: 'm' },
							locations: [
								{ logicalLocations: [{ name: 'f' }] },
								{
									physicalLocation: { artifactLocation: { uri: 'b.ts' }, region: { startLine: 4 } }
								}
							]
						}
					]
				}
			]
		});
		expect(report.findings[0]?.location).toEqual({ path: 'b.ts', startLine: 4, endLine: null });
	});

	it.each([
		[{ startLine: 3, endLine: 5 }, 3, 5],
		[{ startLine: 3, endLine: 2 }, 3, null],
		[{ startLine: 0 }, null, null],
		[{ startLine: -4, endLine: 5 }, null, null],
		[{ startLine: 2.5 }, null, null],
		[{ startLine: '10' }, null, null],
		[{ startLine: 1e12 }, null, null],
		[{ startLine: 1_000_000_000, endLine: 1_000_000_001 }, 1_000_000_000, null],
		[{ endLine: 9 }, null, null],
		['not a region', null, null]
	])('region %j: lines %s to %s', (region, startLine, endLine) => {
		expect(location({ artifactLocation: { uri: 'a.ts' }, region })).toEqual({
			path: 'a.ts',
			startLine,
			endLine
		});
	});
});
