import js from '@eslint/js';
import security from 'eslint-plugin-security';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'data/',
			'test-results/',
			'playwright-report/',
			// Route modules written to leak, read by tests/repo/route-guards.test.ts, never run.
			'tests/repo/fixtures/',
			// A repository with known problems that tests/e2e/pipeline-scanners.spec.ts scans itself.
			'tests/e2e/fixtures/scanned-repo/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	security.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		rules: {
			// The one sanctioned {@html} is the markdown component, which disables this line by line.
			'svelte/no-at-html-tags': 'error',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }
			],
			// Object lookups by validated keys are everywhere in typed code; the rule cannot tell them apart.
			'security/detect-object-injection': 'off',
			'svelte/require-each-key': 'error',
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{
		// Tests build paths in temporary directories and regexes from fixtures they create.
		files: ['**/*.test.ts', 'tests/**/*.ts', 'src/lib/server/db/test-*.ts'],
		rules: {
			'security/detect-non-literal-fs-filename': 'off',
			'security/detect-non-literal-regexp': 'off'
		}
	}
);
