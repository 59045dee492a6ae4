import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-dir-lock';

describe('data directory lock', () => {
	const dirs: string[] = [];
	const fresh = () => {
		const d = mkdtempSync(path.join(tmpdir(), 'rampart-lock-'));
		dirs.push(d);
		return d;
	};
	afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

	it('refuses a directory held by another live process, naming it', () => {
		const dir = fresh();
		writeFileSync(path.join(dir, 'rampart.lock'), String(process.ppid));
		expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
		expect(() => lockDataDir(dir)).toThrow(new RegExp(`pid ${process.ppid}`));
	});

	it('takes over a stale lock left by a dead process and releases it', () => {
		const dir = fresh();
		writeFileSync(path.join(dir, 'rampart.lock'), '999999999');
		const lock = lockDataDir(dir);
		expect(existsSync(path.join(dir, 'rampart.lock'))).toBe(true);
		lock.release();
		expect(existsSync(path.join(dir, 'rampart.lock'))).toBe(false);
	});
});
