import { describe, expect, it } from 'vitest';
import { readSarif } from './sarif';

/** A one-run log of `results`, the driver and run given more properties as needed. */
function log(results: unknown[], driver: object = {}, run: object = {}) {
	return {
		version: '2.1.0',
		runs: [{ tool: { driver: { name: 'Scanner', ...driver } }, results, ...run }]
	};
}

const at = (uri: string, startLine = 1) => [
	{ physicalLocation: { artifactLocation: { uri }, region: { startLine } } }
];

function one(result: object, driver: object = {}, run: object = {}) {
	const report = readSarif(
		log([{ message: { text: 'm' }, locations: at('a.ts'), ...result }], driver, run)
	);
	expect(report.findings).toHaveLength(1);
	return report.findings[0]!;
}

describe('readSarif: severity', () => {
	const rule = (properties: object, level?: string) => ({
		rules: [{ id: 'R', properties, defaultConfiguration: level ? { level } : undefined }]
	});

	it.each([
		[9.8, 'critical'],
		['9.0', 'critical'],
		['8.9', 'high'],
		[7, 'high'],
		['6.9', 'medium'],
		['4.0', 'medium'],
		['3.9', 'low'],
		['0.1', 'low'],
		[0, 'none'],
		['HIGH', 'high'],
		['Moderate', 'medium']
	] as const)(
		'security-severity %j on the rule is %s, over the result level',
		(value, severity) => {
			expect(
				one({ ruleId: 'R', level: 'note' }, rule({ 'security-severity': value })).severity
			).toBe(severity);
		}
	);

	it.each([['abc'], [11], [-1], [null], ['7 high']])(
		'a security-severity of %j is ignored',
		(value) => {
			expect(
				one({ ruleId: 'R', level: 'note' }, rule({ 'security-severity': value })).severity
			).toBe('low');
		}
	);

	it('reads result.level, else the rule default level, else warning (medium)', () => {
		expect(one({ ruleId: 'R', level: 'error' }, rule({}, 'note')).severity).toBe('high');
		expect(one({ ruleId: 'R', level: 'none' }, rule({}, 'error')).severity).toBe('none');
		expect(one({ ruleId: 'R' }, rule({}, 'note')).severity).toBe('low');
		expect(one({ ruleId: 'R', level: 'bogus' }, rule({}, 'error')).severity).toBe('high');
		expect(one({ ruleId: 'R' }, rule({})).severity).toBe('medium');
		expect(one({ ruleId: 'unknown-rule' }).severity).toBe('medium');
	});

	it('a result of kind "review" or "informational" without a level is "none" (SARIF §3.27.10)', () => {
		expect(one({ ruleId: 'R', kind: 'review' }, rule({}, 'error')).severity).toBe('none');
		expect(one({ ruleId: 'R', kind: 'informational', level: 'note' }).severity).toBe('low');
	});
});

describe('readSarif: rules', () => {
	const extensions = [
		{ name: 'pack-a', rules: [{ id: 'A1', shortDescription: { text: 'From pack A' } }] },
		{
			name: 'pack-b',
			guid: 'b-guid',
			rules: [
				{
					id: 'B1',
					shortDescription: { text: 'From pack B' },
					properties: { 'security-severity': '9.1' },
					help: { text: 'plain help', markdown: '**markdown help**' }
				}
			]
		}
	];
	const driver = { rules: [{ id: 'D1', name: 'd-one', help: { text: 'only text' } }] };

	it('finds a rule in an extension by a toolComponent reference (index, guid or name)', () => {
		const tool = { tool: { driver: { name: 'Scanner', ...driver }, extensions } };
		const byIndex = { ruleId: 'B1', rule: { index: 0, toolComponent: { index: 1 } } };
		const byGuid = { rule: { id: 'B1', index: 0, toolComponent: { guid: 'b-guid' } } };
		const byName = { rule: { index: 0, toolComponent: { name: 'pack-b' } } };
		for (const reference of [byIndex, byGuid, byName]) {
			const report = readSarif({
				version: '2.1.0',
				runs: [{ ...tool, results: [{ message: { text: 'm' }, ...reference }] }]
			});
			expect(report.findings[0]).toMatchObject({
				ruleId: 'B1',
				ruleName: 'From pack B',
				severity: 'critical',
				help: '**markdown help**'
			});
		}
	});

	it('finds a rule by id in the driver, then in the extensions; a ruleIndex that names another rule loses to the id', () => {
		const run = { tool: { driver: { name: 'Scanner', ...driver }, extensions } };
		const report = readSarif({
			version: '2.1.0',
			runs: [
				{
					...run,
					results: [
						{ ruleId: 'A1', message: { text: 'one' } },
						{ ruleId: 'D1', ruleIndex: 0, message: { text: 'two' } },
						{ ruleId: 'A1', ruleIndex: 0, message: { text: 'three' } },
						{ ruleId: 'D1/sub-rule', message: { text: 'four' } },
						{ ruleIndex: 0, message: { text: 'five' } }
					]
				}
			]
		});
		expect(report.findings.map((f) => [f.ruleId, f.ruleName, f.help])).toEqual([
			['A1', 'From pack A', null],
			['D1', 'd-one', 'only text'],
			['A1', 'From pack A', null],
			['D1/sub-rule', 'd-one', 'only text'],
			['D1', 'd-one', 'only text']
		]);
	});
});

describe('readSarif: messages', () => {
	const driver = {
		globalMessageStrings: { shared: { text: 'Shared {0}' } },
		rules: [
			{
				id: 'R',
				shortDescription: { text: 'Short' },
				messageStrings: { own: { markdown: 'Own `{1}` then {0}' } }
			}
		]
	};

	it('fills {n} arguments into a message string of the rule or the driver, keeping {{ }} escapes', () => {
		const message = (m: object) => one({ ruleId: 'R', message: m }, driver).message;
		expect(message({ id: 'own', arguments: ['a', 'b'] })).toBe('Own `b` then a');
		expect(message({ id: 'shared', arguments: ['x'] })).toBe('Shared x');
		expect(message({ text: '{0} of {{literal}} and {7}', arguments: ['first'] })).toBe(
			'first of {literal} and {7}'
		);
		// Without arguments a text stands as written: a Jinja template in a message is not a placeholder.
		expect(message({ text: 'template {{ value }}' })).toBe('template {{ value }}');
	});

	it("falls back to the rule's description, then its id, when the message cannot be found", () => {
		expect(one({ ruleId: 'R', message: { id: 'missing' } }, driver).message).toBe('Short');
		expect(one({ ruleId: 'X', message: undefined }).message).toBe('X');
	});
});

describe('readSarif: suppressions', () => {
	it.each([
		[[{ kind: 'inSource' }], 'inSource'],
		[[{ kind: 'external', status: 'accepted', justification: 'test code' }], 'external'],
		[[{ kind: 'external', status: 'underReview' }], null],
		[[{ kind: 'external', status: 'rejected' }], null],
		[[{ kind: 'inSource', status: 'rejected' }, { kind: 'external' }], 'external'],
		[[], null],
		['not a list', null],
		[[null, 5], null]
	])('suppressions %j: suppressed as %s', (suppressions, kind) => {
		expect(one({ suppressions }).suppressed?.kind ?? null).toBe(kind);
	});

	it('keeps the justification', () => {
		const suppressions = [{ kind: 'external', justification: 'Reviewed:\nfalse positive' }];
		expect(one({ suppressions }).suppressed).toEqual({
			kind: 'external',
			justification: 'Reviewed:\nfalse positive'
		});
	});
});

describe('readSarif: keys', () => {
	const key = (result: object) => one(result).key;

	it('from fingerprints: the same wherever the line moves and whatever order they come in', () => {
		const prints = { partialFingerprints: { b: '2', a: '1' }, fingerprints: { x: 'y' } };
		const reordered = { fingerprints: { x: 'y' }, partialFingerprints: { a: '1', b: '2' } };
		expect(key({ ...prints, locations: at('a.ts', 10) })).toBe(
			key({ ...reordered, locations: at('a.ts', 90) })
		);
		expect(key({ ...prints, message: { text: 'one' } })).toBe(
			key({ ...prints, message: { text: 'two' } })
		);
		expect(key(prints)).not.toBe(key({ ...prints, locations: at('b.ts') }));
		expect(key(prints)).not.toBe(key({ ...prints, ruleId: 'other' }));
		expect(key(prints)).not.toBe(
			key({ partialFingerprints: { a: '1', b: '3' }, fingerprints: { x: 'y' } })
		);
	});

	it('without fingerprints: rule, path, line and message, whitespace aside', () => {
		const base = {
			ruleId: 'R',
			message: { text: 'Unsafe  call\n to eval' },
			locations: at('./src/a.ts', 3)
		};
		expect(key(base)).toBe(
			key({ ...base, message: { text: 'Unsafe call to eval ' }, locations: at('src/a.ts', 3) })
		);
		expect(key(base)).not.toBe(key({ ...base, locations: at('src/a.ts', 4) }));
		expect(key(base)).not.toBe(key({ ...base, message: { text: 'Unsafe call to Function' } }));
		expect(key(base)).not.toBe(key({ ...base, ruleId: 'S' }));
	});

	it('results with one key are one finding: the first text, the highest severity, suppressed only if all are', () => {
		const prints = { partialFingerprints: { hash: 'same' } };
		const report = readSarif(
			log([
				{
					...prints,
					level: 'note',
					message: { text: 'first' },
					suppressions: [{ kind: 'inSource' }]
				},
				{ ...prints, level: 'error', message: { text: 'second' } },
				{
					...prints,
					level: 'warning',
					message: { text: 'third' },
					suppressions: [{ kind: 'inSource' }]
				}
			])
		);
		expect(report.results).toBe(3);
		expect(report.findings).toHaveLength(1);
		expect(report.findings[0]).toMatchObject({
			message: 'first',
			severity: 'high',
			suppressed: null
		});
		const allSuppressed = readSarif(
			log([0, 1].map(() => ({ ...prints, suppressions: [{ kind: 'external' }] })))
		);
		expect(allSuppressed.findings[0]?.suppressed).toEqual({
			kind: 'external',
			justification: null
		});
	});
});

describe('readSarif: runs and tools', () => {
	it('reads every run; a tool in two runs is listed once; version else semanticVersion', () => {
		const run = (name: string, driver: object, results: unknown[]) => ({
			tool: { driver: { name, ...driver } },
			results
		});
		const report = readSarif({
			version: '2.1.0',
			runs: [
				run('CodeQL', { semanticVersion: '2.20.1' }, [
					{ message: { text: 'js' }, locations: at('a.js') }
				]),
				run('CodeQL', { semanticVersion: '2.20.1' }, [
					{ message: { text: 'py' }, locations: at('a.py') }
				]),
				run('Other', { version: '1.0', semanticVersion: '1.0.0' }, []),
				{ tool: {}, results: null },
				null
			]
		});
		expect(report.tools).toEqual([
			{ name: 'CodeQL', version: '2.20.1' },
			{ name: 'Other', version: '1.0' },
			{ name: 'unknown', version: null }
		]);
		expect(report.findings.map((f) => [f.tool.name, f.message])).toEqual([
			['CodeQL', 'js'],
			['CodeQL', 'py']
		]);
	});
});
