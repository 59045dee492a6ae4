import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ScanReport, Severity } from '../scan-report';

/** The real scanner output, copied from the shared reference data (tests/fixtures/sarif-samples). */
export const samplesDir = fileURLToPath(
	new URL('../../../../../tests/fixtures/sarif-samples/', import.meta.url)
);

/** Every sample file's name (licence and readme aside). */
export function sampleNames(): string[] {
	// eslint-disable-next-line security/detect-non-literal-fs-filename -- one fixed folder
	return readdirSync(samplesDir)
		.filter((name) => name.endsWith('.sarif') || name.endsWith('.json'))
		.sort();
}

/** A sample, parsed. */
export function sample(name: string): unknown {
	// eslint-disable-next-line security/detect-non-literal-fs-filename -- a file of that folder
	return JSON.parse(readFileSync(samplesDir + name, 'utf8'));
}

/** How many findings of a report have each severity (severities with none left out). */
export function severityCounts(report: ScanReport): Partial<Record<Severity, number>> {
	const counts: Partial<Record<Severity, number>> = {};
	for (const finding of report.findings)
		counts[finding.severity] = (counts[finding.severity] ?? 0) + 1;
	return counts;
}
