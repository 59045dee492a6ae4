import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { haproxyBinary, haproxyConfig } from './haproxy';

const dir = mkdtempSync(path.join(tmpdir(), 'rampart-haproxy-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const backends = [
	{ name: 'app1', port: 5791 },
	{ name: 'app2', port: 5792 }
];

/** HAProxy's own check of a configuration (`haproxy -c`); null where HAProxy is not installed. */
function check(config: string): { status: number | null; output: string } | null {
	const file = path.join(dir, `${Math.random().toString(36).slice(2)}.cfg`);
	writeFileSync(file, config);
	const run = spawnSync(haproxyBinary(), ['-c', '-f', file], { encoding: 'utf8' });
	return run.error ? null : { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('haproxyConfig', () => {
	it('balances over every instance, checks /readyz and adds X-Forwarded-For', () => {
		const config = haproxyConfig(dir, 5790, backends);
		expect(config).toContain('bind 127.0.0.1:5790');
		expect(config).toContain('server app1 127.0.0.1:5791 check');
		expect(config).toContain('server app2 127.0.0.1:5792 check');
		expect(config).toContain('option httpchk GET /readyz');
		expect(config).toContain('option forwardfor');
		expect(config).toContain('option httplog');
	});

	it('leaves the per-request log out for a benchmark, and HAProxy accepts both', () => {
		const quiet = haproxyConfig(dir, 5790, backends, { requestLog: false });
		expect(quiet).not.toMatch(/httplog|log stdout|log global/);
		expect(quiet).toContain('option forwardfor');
		for (const config of [quiet, haproxyConfig(dir, 5790, backends)]) {
			const result = check(config);
			if (result) expect(result.status, result.output).toBe(0);
		}
	});
});
