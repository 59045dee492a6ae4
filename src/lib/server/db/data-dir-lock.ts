/* eslint-disable security/detect-non-literal-fs-filename -- paths come from DATA_DIR or the test run, never from a request */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface DataDirLock {
	release(): void;
}

export class DataDirLockedError extends Error {
	constructor(dataDir: string, pid: number) {
		super(
			`The data directory ${dataDir} is in use by another Rampart process (pid ${pid}). ` +
				'Stop that process or set DATA_DIR to another directory.'
		);
		this.name = 'DataDirLockedError';
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		// EPERM: the process exists but belongs to someone else.
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** The live process holding the data directory's lock, if any. */
export function lockHolder(dataDir: string): number | undefined {
	let pid: number;
	try {
		pid = Number.parseInt(readFileSync(path.join(dataDir, 'rampart.lock'), 'utf8'), 10);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw e;
	}
	return Number.isInteger(pid) && isAlive(pid) ? pid : undefined;
}

/** Takes the embedded database's lock file, or throws when a live process holds it. */
export function lockDataDir(dataDir: string): DataDirLock {
	const file = path.join(dataDir, 'rampart.lock');
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = openSync(file, 'wx', 0o600);
			writeSync(fd, String(process.pid));
			closeSync(fd);
			let released = false;
			return {
				release() {
					if (released) return;
					released = true;
					rmSync(file, { force: true });
				}
			};
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
			if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
				throw new DataDirLockedError(dataDir, pid);
			}
			// A stale lock from a process that died: take it over.
			rmSync(file, { force: true });
		}
	}
	throw new Error(`Could not lock ${dataDir}`);
}
