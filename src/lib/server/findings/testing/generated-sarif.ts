/**
 * A valid SARIF 2.1.0 log of any size, for benchmarks and tests: N results of a made-up
 * scanner over a few rules and files, the same for the same arguments. Every result is a
 * distinct finding (its own fingerprint, or its own line and message), so reading the log gives
 * `results` findings; every fifth result is suppressed.
 */

const rules = [
	{ id: 'gen/sql-injection', level: 'error', securitySeverity: '9.8' },
	{ id: 'gen/path-traversal', level: 'error', securitySeverity: '7.5' },
	{ id: 'gen/weak-hash', level: 'warning', securitySeverity: '5.3' },
	{ id: 'gen/open-redirect', level: 'warning', securitySeverity: '3.1' },
	{ id: 'gen/unused-variable', level: 'note', securitySeverity: null },
	{ id: 'gen/debug-mode', level: 'warning', securitySeverity: null }
] as const;

const files = [
	'src/app.ts',
	'src/db/query.ts',
	'src/routes/login.ts',
	'lib/hash.py',
	'cmd/main.go'
];

/** mulberry32: a small seeded generator, so the same seed builds the same log. */
function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A SARIF 2.1.0 log (as parsed JSON) with `results` results; `seed` varies which rule and file each gets. */
export function generatedSarif(results: number, seed = 1) {
	const next = random(seed);
	return {
		$schema: 'https://json.schemastore.org/sarif-2.1.0.json',
		version: '2.1.0',
		runs: [
			{
				tool: {
					driver: {
						name: 'Generated Scanner',
						version: '1.0.0',
						rules: rules.map((rule) => ({
							id: rule.id,
							shortDescription: { text: `Generated rule ${rule.id}` },
							defaultConfiguration: { level: rule.level },
							help: { text: `How to fix ${rule.id}.`, markdown: `How to fix \`${rule.id}\`.` },
							messageStrings: { default: { text: 'Found {0} in {1}.' } },
							properties: rule.securitySeverity
								? { 'security-severity': rule.securitySeverity }
								: {}
						}))
					}
				},
				originalUriBaseIds: { SRCROOT: { uri: 'file:///home/runner/work/app/app/' } },
				results: Array.from({ length: results }, (_, i) => {
					const ruleIndex = Math.floor(next() * rules.length);
					const rule = rules[ruleIndex]!;
					const file = files[Math.floor(next() * files.length)];
					const line = 1 + Math.floor(next() * 2_000);
					return {
						ruleId: rule.id,
						ruleIndex,
						message:
							i % 2 === 0
								? { text: `Result ${i}: ${rule.id} at line ${line}.` }
								: { id: 'default', arguments: [`issue ${i}`, file] },
						locations: [
							{
								physicalLocation: {
									artifactLocation: { uri: file, uriBaseId: 'SRCROOT' },
									region: { startLine: line, endLine: line + (i % 3), startColumn: 1 }
								}
							}
						],
						...(i % 3 === 0
							? {}
							: { partialFingerprints: { primaryLocationLineHash: `${i.toString(16)}:1` } }),
						...(i % 5 === 4 ? { suppressions: [{ kind: 'inSource' }] } : {})
					};
				})
			}
		]
	};
}
