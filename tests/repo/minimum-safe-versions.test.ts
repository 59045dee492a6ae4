import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import table from './minimum-safe-versions.json';

type Lock = { packages: Record<string, { version?: string }> };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as Lock;

function compare(a: string, b: string): number {
	const parse = (v: string) =>
		v
			.split('-')[0]!
			.split('.')
			.map((n) => Number.parseInt(n, 10));
	const [x, y] = [parse(a), parse(b)];
	for (let i = 0; i < 3; i++) {
		const d = (x[i] ?? 0) - (y[i] ?? 0);
		if (d !== 0) return d;
	}
	// A pre-release sorts before its release.
	return (b.includes('-') ? 1 : 0) - (a.includes('-') ? 1 : 0);
}

/** Every installed copy of a package, wherever it sits in node_modules. */
function installed(name: string): { where: string; version: string }[] {
	return Object.entries(lock.packages)
		.filter(
			([where]) => where === `node_modules/${name}` || where.endsWith(`/node_modules/${name}`)
		)
		.map(([where, p]) => ({ where, version: p.version ?? '0.0.0' }));
}

describe('dependencies meet the minimum safe versions', () => {
	it('compares versions correctly', () => {
		expect(compare('2.70.0', '2.70.0')).toBe(0);
		expect(compare('2.9.0', '2.70.0')).toBeLessThan(0);
		expect(compare('5.8.1', '5.8.0')).toBeGreaterThan(0);
		expect(compare('1.0.0-rc.1', '1.0.0')).toBeLessThan(0);
	});
	it('has the framework in the lock file', () => {
		expect(installed('@sveltejs/kit').length).toBeGreaterThan(0);
	});
	for (const [name, { min }] of Object.entries(table.packages)) {
		it(`${name} >= ${min}`, () => {
			const below = installed(name).filter((p) => compare(p.version, min) < 0);
			expect(
				below,
				`${name} below ${min}: ${below.map((b) => `${b.where}@${b.version}`).join(', ')}`
			).toEqual([]);
		});
	}
});
