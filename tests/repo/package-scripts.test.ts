import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startNodeFlags } from '../../src/cli/server-flags';

// A script that names a file which is not there fails only when someone runs it, and the README
// promises `npm start`: every file a package script runs must exist.
const scripts: Record<string, string> = JSON.parse(readFileSync('package.json', 'utf8')).scripts;

describe('package scripts', () => {
	it('run only files that exist', () => {
		const missing = Object.entries(scripts).flatMap(([name, command]) =>
			[...command.replace(/\s--\S+/g, '').matchAll(/\b(?:node|tsx)\s+(\S+\.(?:js|ts))/g)]
				.map((m) => m[1]!)
				.filter((file) => !existsSync(file))
				.map((file) => `${name}: ${file}`)
		);
		expect(missing).toEqual([]);
	});

	it('keep the commands the README promises', () => {
		expect(Object.keys(scripts)).toEqual(
			expect.arrayContaining(['start', 'demo', 'test', 'bench'])
		);
	});

	it('start the server the same way for the demo, and the benchmark reads how', () => {
		const flags = startNodeFlags(scripts);
		expect(flags).toContain('--max-old-space-size=192');
		expect(scripts.demo).toBe(`node ${flags.join(' ')} src/cli/start.js --demo`);
		expect(() => startNodeFlags({ start: 'vite preview' })).toThrow(/start script/);
	});
});
