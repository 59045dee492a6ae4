import { describe, expect, it } from 'vitest';
import { readSarif } from '../sarif';
import { generatedSarif } from './generated-sarif';

describe('generatedSarif', () => {
	it('builds the same log for the same seed and another for another seed', () => {
		expect(generatedSarif(50, 7)).toEqual(generatedSarif(50, 7));
		expect(generatedSarif(50, 7)).not.toEqual(generatedSarif(50, 8));
		expect(generatedSarif(0).runs[0]?.results).toEqual([]);
	});

	it('reads back as one finding per result, every fifth suppressed, paths below the checkout root', () => {
		const report = readSarif(generatedSarif(100));
		expect(report.results).toBe(100);
		expect(report.findings).toHaveLength(100);
		expect(report.findings.filter((f) => f.suppressed)).toHaveLength(20);
		expect(report.tools).toEqual([{ name: 'Generated Scanner', version: '1.0.0' }]);
		expect(new Set(report.findings.map((f) => f.severity))).toEqual(
			new Set(['critical', 'high', 'medium', 'low'])
		);
		for (const f of report.findings) expect(f.location.path).toMatch(/^(src|lib|cmd)\//);
	});

	it('10,000 results: read in full (the time is printed, not asserted)', () => {
		const log = JSON.parse(JSON.stringify(generatedSarif(10_000)));
		const started = performance.now();
		const report = readSarif(log);
		const elapsed = performance.now() - started;
		expect(report.findings).toHaveLength(10_000);
		expect(report.findings.filter((f) => f.suppressed)).toHaveLength(2_000);
		console.log(`readSarif: 10,000 generated results in ${elapsed.toFixed(1)} ms`);
	});
});
