/* eslint-disable security/detect-non-literal-fs-filename -- every path is inside DATA_DIR, named by this module */
import { randomBytes } from 'node:crypto';
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { log } from '../log';
import { BackupError, writeBackup } from './format';
import { snapshotPglite } from './pglite-snapshot';

/**
 * Backing up the embedded database while the server runs. Only the server's process may open
 * its data directory (rampart.lock), so the server makes the copy itself, asked through the
 * operating system rather than the network: `npm run backup` leaves a request file in
 * DATA_DIR/backups and sends the server SIGUSR2; the server writes the backup there and the
 * command moves it to --out. Only the server's own user (or root) can both write in DATA_DIR and
 * signal its process, so this adds no way in for anyone else, and no endpoint to defend.
 */
export const LIVE_BACKUP_SIGNAL = 'SIGUSR2';

const requestName = /^([0-9a-f]{32})\.request$/;

export function backupsDir(dataDir: string): string {
	return path.join(dataDir, 'backups');
}

/** The file by which a server says it answers the signal (an older one would die of it). */
function servingFile(dataDir: string): string {
	return path.join(backupsDir(dataDir), 'server.pid');
}

/** Starts answering backup requests for this data directory; returns how to stop. */
export function serveLiveBackups(
	dataDir: string,
	client: PGlite,
	migrationsFolder: string
): () => void {
	const dir = backupsDir(dataDir);
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	let busy = false;
	let again = false;
	const drain = async () => {
		if (busy) {
			again = true;
			return;
		}
		busy = true;
		try {
			do {
				again = false;
				for (const name of readdirSync(dir)) {
					const id = requestName.exec(name)?.[1];
					if (id) await answer(dir, id, client, migrationsFolder);
				}
			} while (again);
		} finally {
			busy = false;
		}
	};
	const onSignal = () => void drain();
	process.on(LIVE_BACKUP_SIGNAL, onSignal);
	writeFileSync(servingFile(dataDir), String(process.pid), { mode: 0o600 });
	return () => {
		process.off(LIVE_BACKUP_SIGNAL, onSignal);
		rmSync(servingFile(dataDir), { force: true });
	};
}

async function answer(dir: string, id: string, client: PGlite, migrationsFolder: string) {
	const working = path.join(dir, `${id}.working`);
	try {
		renameSync(path.join(dir, `${id}.request`), working);
	} catch {
		return; // Taken already, or withdrawn by the command.
	}
	const started = Date.now();
	try {
		const { schema, bytes } = await snapshotPglite(client, migrationsFolder);
		await writeBackup(path.join(dir, `${id}.backup`), 'pglite', schema, { bytes });
		log.info('Backup of the embedded database made for npm run backup', {
			bytes: bytes.byteLength,
			ms: Date.now() - started
		});
	} catch (e) {
		log.error('Backup of the embedded database failed', { error: e });
		writeFileSync(path.join(dir, `${id}.error`), (e as Error).message, { mode: 0o600 });
	} finally {
		rmSync(working, { force: true });
	}
}

export interface LiveBackupOptions {
	/** How long the server may take to pick the request up. */
	pickupMs?: number;
	pollMs?: number;
}

/** Asks the running server (pid) for a backup and moves it to `out`. */
export async function requestLiveBackup(
	dataDir: string,
	pid: number,
	out: string,
	{ pickupMs = 15_000, pollMs = 100 }: LiveBackupOptions = {}
): Promise<void> {
	const dir = backupsDir(dataDir);
	const serving = existsSync(servingFile(dataDir))
		? Number.parseInt(readFileSync(servingFile(dataDir), 'utf8'), 10)
		: undefined;
	if (serving !== pid) {
		throw new BackupError(
			`The process using ${dataDir} (pid ${pid}) cannot make a backup while it runs ` +
				'(an older Rampart, or another tool). Stop it and run the backup again.'
		);
	}
	const id = randomBytes(16).toString('hex');
	const file = (ext: string) => path.join(dir, `${id}.${ext}`);
	try {
		writeFileSync(file('request'), '', { flag: 'wx', mode: 0o600 });
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'EACCES') throw e;
		throw new BackupError(
			`Cannot write in ${dir}: run the backup as the user the server runs as (or root).`
		);
	}
	const started = Date.now();
	try {
		process.kill(pid, LIVE_BACKUP_SIGNAL);
		for (;;) {
			await new Promise((resolve) => setTimeout(resolve, pollMs));
			if (existsSync(file('backup'))) {
				moveFile(file('backup'), out);
				return;
			}
			if (existsSync(file('error'))) {
				throw new BackupError(
					`The server could not make the backup: ${readFileSync(file('error'), 'utf8')}`
				);
			}
			if (!isAlive(pid)) {
				throw new BackupError(`The server (pid ${pid}) stopped before the backup was made.`);
			}
			if (existsSync(file('request')) && Date.now() - started > pickupMs) {
				throw new BackupError(
					`The server (pid ${pid}) did not answer the backup request within ${pickupMs / 1000} s.`
				);
			}
		}
	} finally {
		for (const ext of ['request', 'error']) rmSync(file(ext), { force: true });
	}
}

function moveFile(from: string, to: string) {
	try {
		renameSync(from, to);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
		copyFileSync(from, to);
		rmSync(from);
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}
