import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { servers } from '../../playwright.config';

/** Runs a second production server and collects what it says until it exits (or 20 s pass). */
function runServer(env: Record<string, string>) {
	return new Promise<{ code: number | null; output: string }>((resolve) => {
		const child = spawn(process.execPath, ['build'], { env: { ...process.env, ...env } });
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
		child.on('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, output });
		});
	});
}

test('a second server on the same data directory exits with a clear message', async ({
	request
}) => {
	const dataDir = path.join(tmpdir(), `rampart-e2e-${servers.fresh}`);
	const result = await runServer({
		DATA_DIR: dataDir,
		PORT: String(servers.spare),
		HOST: '127.0.0.1'
	});
	expect(result.code).toBe(1);
	expect(result.output).toContain('is in use by another Rampart process');
	// The first server is unharmed.
	const ready = await request.get(`http://127.0.0.1:${servers.fresh}/readyz`);
	expect(ready.status()).toBe(200);
});
