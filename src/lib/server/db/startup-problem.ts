import { statfsSync } from 'node:fs';
import path from 'node:path';
import { isStorageFull } from './errors';

/** Below this, the embedded database cannot even open (it writes a little as it starts). */
const NEARLY_FULL_BYTES = 1024 * 1024;

/** Free bytes on the file system holding a directory (or its nearest existing parent); null if unknown. */
export function freeBytes(dir: string): number | null {
	for (let d = path.resolve(dir); ; d = path.dirname(d)) {
		try {
			const s = statfsSync(d);
			return s.bavail * s.bsize;
		} catch {
			if (path.dirname(d) === d) return null;
		}
	}
}

/**
 * Why the server could not start, in one line an operator can act on. A full disk is named as
 * such: the embedded database reports it only as a failure to initialise.
 */
export function startupProblem(e: unknown, env: NodeJS.ProcessEnv = process.env): string {
	const dataDir = env.DATABASE_URL ? null : env.DATA_DIR || './data';
	const free = dataDir ? freeBytes(dataDir) : null;
	if (dataDir && (isStorageFull(e) || (free !== null && free < NEARLY_FULL_BYTES))) {
		return `the disk holding its data (${path.resolve(dataDir)}) is full (${Math.floor((free ?? 0) / 1024)} KB free): free some space and start it again.`;
	}
	if (isStorageFull(e))
		return "the database server's disk is full: free some space on it and start Rampart again.";
	const message = e instanceof Error ? e.message : String(e);
	// eslint-disable-next-line no-control-regex -- one line, whatever the error held
	return message.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}
