import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * Real scanners over a repository with known problems, as a pipeline runs them on its
 * checkout: ESLint with @microsoft/eslint-formatter-sarif and secretlint with its SARIF
 * formatter, each writing a SARIF file. Both exit 1 when they find something, as in CI.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The scanned repository: its own eslint.config.js and .secretlintrc.json. */
export const scannedRepo = path.join(root, 'tests/e2e/fixtures/scanned-repo');

export interface ExpectedFinding {
	ruleId: string;
	/** As the findings page shows it: the repository path and line. */
	location: string;
	severity: 'High' | 'Medium';
}

/** What each scanner must find in the fixture, counted by hand from its files. */
export const expected = {
	eslint: [
		// `no-eval` is an error in the fixture's config (high); the security rules warn (medium).
		{ ruleId: 'no-eval', location: 'src/report.js:16', severity: 'High' },
		{
			ruleId: 'security/detect-eval-with-expression',
			location: 'src/report.js:16',
			severity: 'Medium'
		},
		{ ruleId: 'security/detect-child-process', location: 'src/report.js:8', severity: 'Medium' },
		{
			ruleId: 'security/detect-non-literal-regexp',
			location: 'src/search.js:7',
			severity: 'Medium'
		}
	],
	secretlint: [
		{
			ruleId: '@secretlint/secretlint-rule-preset-recommend > @secretlint/secretlint-rule-aws',
			location: 'config/deploy.env:3',
			severity: 'High'
		}
	]
} satisfies Record<string, ExpectedFinding[]>;

function run(script: string, args: string[]): Promise<{ code: number; stderr: string }> {
	return new Promise((resolve) => {
		execFile(
			process.execPath,
			[path.join(root, 'node_modules', script), ...args],
			{ cwd: scannedRepo, timeout: 60_000 },
			(error, _stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
				resolve({ code, stderr });
			}
		);
	});
}

async function scan(name: string, script: string, args: string[], output: string) {
	const { code, stderr } = await run(script, args);
	// 0: nothing found, 1: findings; anything else (2: a crash, a bad option) is the scanner failing.
	if (code > 1 || code < 0 || !existsSync(output)) {
		throw new Error(`${name} exited ${code} without its SARIF file: ${stderr}`);
	}
	return output;
}

/** Runs both scanners over the fixture, writing `eslint.sarif` and `secretlint.sarif` in `dir`. */
export async function runScanners(dir: string) {
	const eslint = path.join(dir, 'eslint.sarif');
	const secretlint = path.join(dir, 'secretlint.sarif');
	await Promise.all([
		scan(
			'ESLint',
			'eslint/bin/eslint.js',
			['--format', '@microsoft/eslint-formatter-sarif', '--output-file', eslint, '.'],
			eslint
		),
		scan(
			'secretlint',
			'secretlint/bin/secretlint.js',
			['--format', '@secretlint/secretlint-formatter-sarif', '--output', secretlint, '**/*'],
			secretlint
		)
	]);
	return { eslint, secretlint };
}
