import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { servers } from '../../playwright.config';
import { demo, signIn } from './fixtures';
import { startOwnServer } from './own-server';

// npm run backup / npm run restore as they run in a release: the build's own commands
// (node build --backup / --restore), against the demo server while it serves.
const demoDataDir = path.join(tmpdir(), `rampart-e2e-${servers.demo}`);
const port = servers.spare + 25;
const work = mkdtempSync(path.join(tmpdir(), 'rampart-e2e-backup-'));
test.afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string>) {
	return new Promise<{ code: number | null; output: string }>((resolve) => {
		const child = spawn(process.execPath, ['build', ...args], { env: { ...process.env, ...env } });
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
		child.on('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, output });
		});
	});
}

test('a backup of the running demo server restores into a server that signs its people in', async ({
	page,
	request
}) => {
	test.setTimeout(120_000);
	const file = path.join(work, 'demo.backup');
	const backup = await run(['--backup', '--out', file], { DATA_DIR: demoDataDir });
	expect(backup.output).toContain('made by the running server');
	expect(backup.code).toBe(0);
	expect(readFileSync(file).subarray(0, 17).toString()).toBe('RAMPART-BACKUP 1\n');
	expect((await request.get(`${demo.url}/readyz`)).status()).toBe(200);

	// Not over the server's own database while it runs.
	const refused = await run(['--restore', file, '--force'], { DATA_DIR: demoDataDir });
	expect(refused.code).toBe(1);
	expect(refused.output).toContain('Stop the Rampart server before restoring');
	expect((await request.get(`${demo.url}/readyz`)).status()).toBe(200);

	const restoredDir = path.join(work, 'restored');
	const restore = await run(['--restore', file], { DATA_DIR: restoredDir });
	expect(restore.output).toContain(`into ${restoredDir}`);
	expect(restore.code).toBe(0);

	// The restored data as it is: no demo settings.
	const server = await startOwnServer(port, {}, { dataDir: restoredDir, demo: false });
	const base = server.base;
	try {
		await signIn(page, base, demo.member, demo.password);
		await page.goto(`${base}/teams`);
		await expect(page.getByRole('link', { name: 'Payments API', exact: true })).toBeVisible();
	} finally {
		await server.stop();
	}
});
