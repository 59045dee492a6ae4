/* eslint-disable security/detect-non-literal-fs-filename -- paths come from DATA_DIR and the operator's command line, never from a request */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { migrationsFolder, openDatabase } from '../db/client';
import { DataDirLockedError, lockDataDir, lockHolder } from '../db/data-dir-lock';
import { BackupError, payloadBytes, readBackup, writeBackup, type BackupHeader } from './format';
import { requestLiveBackup, type LiveBackupOptions } from './live';
import { snapshotPglite } from './pglite-snapshot';
import { assertRestorable } from './schema-version';

/** Backs up the embedded database in dataDir to `out`, whether or not the server is running. */
export async function backupEmbedded(
	dataDir: string,
	out: string,
	options: LiveBackupOptions = {}
): Promise<'live' | 'stopped'> {
	if (!existsSync(path.join(dataDir, 'pg'))) {
		throw new BackupError(
			`There is no embedded database in ${path.resolve(dataDir)}. Set DATA_DIR to the directory ` +
				'the server uses, or DATABASE_URL to back up a PostgreSQL database.'
		);
	}
	refuseExisting(out);
	// The server holds the lock while it runs (in tests, this very process): it makes the copy.
	const pid = lockHolder(dataDir);
	if (pid !== undefined) {
		await requestLiveBackup(dataDir, pid, out, options);
		return 'live';
	}
	const lock = takeLock(dataDir, 'Run the backup again: the server makes it while it runs.');
	try {
		const client = await PGlite.create(path.join(dataDir, 'pg'));
		try {
			await backupPgliteClient(client, out);
		} finally {
			await client.close();
		}
	} finally {
		lock.release();
	}
	return 'stopped';
}

/** Writes a backup of an open PGlite database (the server's, or one the command opened). */
export async function backupPgliteClient(client: PGlite, out: string): Promise<BackupHeader> {
	const { schema, bytes } = await snapshotPglite(client, migrationsFolder);
	return writeBackup(out, 'pglite', schema, { bytes });
}

export interface RestoreResult {
	header: BackupHeader;
	/** Where the database that was replaced now is (with --force). */
	keptAs?: string;
}

/**
 * Restores an embedded backup into dataDir with the server stopped: the copy is unpacked and
 * migrated beside the current database, which is only then moved aside, so a failure at any
 * step leaves dataDir as it was.
 */
export async function restoreEmbedded(
	dataDir: string,
	file: string,
	{ force = false, migrations = migrationsFolder }: { force?: boolean; migrations?: string } = {}
): Promise<RestoreResult> {
	const { header, offset } = await readBackup(file);
	if (header.kind !== 'pglite') {
		throw new BackupError(
			`${file} is a backup of a PostgreSQL database: set DATABASE_URL to the database to restore it into.`
		);
	}
	assertRestorable(header.schema, migrations);
	mkdirSync(dataDir, { recursive: true });
	const lock = takeLock(
		dataDir,
		'Stop the Rampart server before restoring: a restore replaces its whole database.'
	);
	try {
		const current = path.join(dataDir, 'pg');
		const exists = existsSync(current);
		if (exists && !force) {
			throw new BackupError(
				`${path.resolve(dataDir)} already holds a database, and restoring replaces all of it. ` +
					'Nothing was changed. Run the restore again with --force to replace it (the current ' +
					'database is kept beside it as pg.before-restore-…).'
			);
		}
		const staging = mkdtempSync(path.join(dataDir, '.restore-'));
		try {
			const bytes = await payloadBytes(file, offset);
			const handle = await openDatabase({
				dataDir: staging,
				loadDataDir: new Blob([new Uint8Array(bytes)])
			});
			try {
				await migrate(handle.db as never, { migrationsFolder: migrations });
			} finally {
				await handle.close();
			}
			let keptAs: string | undefined;
			if (exists) {
				keptAs = path.join(
					dataDir,
					`pg.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`
				);
				renameSync(current, keptAs);
			}
			renameSync(path.join(staging, 'pg'), current);
			return { header, keptAs };
		} finally {
			rmSync(staging, { recursive: true, force: true });
		}
	} finally {
		lock.release();
	}
}

function takeLock(dataDir: string, advice: string) {
	try {
		return lockDataDir(dataDir);
	} catch (e) {
		if (e instanceof DataDirLockedError) throw new BackupError(`${e.message} ${advice}`);
		throw e;
	}
}

export function refuseExisting(out: string) {
	if (existsSync(out)) throw new BackupError(`${out} already exists; choose another file name.`);
}
