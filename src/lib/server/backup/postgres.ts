import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { migrateDatabase, migrationsFolder, openDatabase } from '../db/client';
import { BackupError, payloadStream, readBackup, writeBackup, type BackupHeader } from './format';
import { refuseExisting } from './embedded';
import {
	assertRestorable,
	hasMigrationsQuery,
	schemaVersion,
	schemaVersionQuery,
	type SchemaVersion
} from './schema-version';

/** The schemas Rampart's migrations create: its tables, and drizzle's record of migrations. */
const SCHEMAS = ['public', 'drizzle'];

type Tool = 'pg_dump' | 'pg_restore' | 'psql';

/** PostgreSQL's own program: in PG_BIN, on PATH, or Debian's newest /usr/lib/postgresql/N/bin. */
export function postgresTool(
	name: Tool,
	env: NodeJS.ProcessEnv = process.env,
	installed: string[] = debianBinDirs()
): string {
	const dirs = [
		...(env.PG_BIN ? [env.PG_BIN] : []),
		...(env.PATH ?? '').split(path.delimiter).filter(Boolean),
		...installed
	];
	for (const dir of dirs) {
		const file = path.join(dir, name);
		try {
			accessSync(file, constants.X_OK);
			return file;
		} catch {
			// not here
		}
	}
	throw new BackupError(
		`${name} was not found. Install PostgreSQL's client programs (Debian: apt-get install ` +
			'postgresql-client, the same major version as the server or newer), or set PG_BIN to their directory.'
	);
}

function debianBinDirs(): string[] {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return [];
	return readdirSync(root)
		.filter((v) => /^\d+$/.test(v))
		.sort((a, b) => Number(b) - Number(a))
		.map((v) => path.join(root, v, 'bin'));
}

/** libpq takes the same URL; the password goes in its environment, not on a command line others can read. */
export function libpqTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
	const u = new URL(url);
	const password = decodeURIComponent(u.password);
	u.password = '';
	return { dbname: u.toString(), env: password ? { PGPASSWORD: password } : {} };
}

async function currentSchema(sql: postgres.Sql): Promise<SchemaVersion | undefined> {
	const [migrated] = await sql.unsafe<{ present: boolean }[]>(hasMigrationsQuery);
	if (!migrated?.present) return undefined;
	const [latest] = await sql.unsafe<{ when: string }[]>(schemaVersionQuery);
	return schemaVersion(latest?.when, migrationsFolder);
}

function connect(url: string) {
	// Named apart from the app's connections ('rampart'), which the restore looks for.
	return postgres(url, {
		max: 1,
		onnotice: () => {},
		connection: { application_name: 'rampart-backup' }
	});
}

/** Backs up the PostgreSQL database with pg_dump's custom format; consistent while the app runs. */
export async function backupPostgres(url: string, out: string): Promise<BackupHeader> {
	refuseExisting(out);
	const pgDump = postgresTool('pg_dump');
	const sql = connect(url);
	const work = mkdtempSync(path.join(path.dirname(path.resolve(out)), '.rampart-backup-'));
	try {
		const before = await currentSchema(sql);
		if (!before) {
			throw new BackupError(
				'The database has never been set up by Rampart (no migration applied): there is nothing to back up.'
			);
		}
		const dump = path.join(work, 'dump');
		const { dbname, env } = libpqTarget(url);
		await run(
			pgDump,
			[
				'--format=custom',
				...SCHEMAS.map((s) => `--schema=${s}`),
				`--file=${dump}`,
				`--dbname=${dbname}`
			],
			env
		);
		const after = await currentSchema(sql);
		if (after?.when !== before.when) {
			throw new BackupError(
				'Rampart migrated the database during the backup; run the backup again.'
			);
		}
		return await writeBackup(out, 'postgres', before, { file: dump });
	} finally {
		rmSync(work, { recursive: true, force: true });
		await sql.end({ timeout: 5 });
	}
}

/**
 * Restores a PostgreSQL backup: pg_restore turns it into SQL, which psql runs in one transaction
 * (after emptying the database when forced), committed only once all of it ran, so a failure
 * changes nothing. Then the migrations
 * this code adds to an older backup run, as at start-up.
 */
export async function restorePostgres(
	url: string,
	file: string,
	{ force = false }: { force?: boolean } = {}
): Promise<{ header: BackupHeader }> {
	const { header, offset } = await readBackup(file);
	if (header.kind !== 'postgres') {
		throw new BackupError(
			`${file} is a backup of an embedded database: unset DATABASE_URL and set DATA_DIR to restore it.`
		);
	}
	assertRestorable(header.schema, migrationsFolder);
	const pgRestore = postgresTool('pg_restore');
	const psql = postgresTool('psql');
	const sql = connect(url);
	try {
		const [{ sessions }] = await sql<[{ sessions: number }]>`
			select count(*)::int as sessions from pg_stat_activity
			where datname = current_database() and application_name = 'rampart'`;
		if (sessions > 0) {
			throw new BackupError(
				`Rampart is connected to this database (${sessions} connections). Stop every Rampart ` +
					'instance before restoring: a restore replaces the whole database. Nothing was changed.'
			);
		}
		const [{ tables }] = await sql<[{ tables: number }]>`
			select count(*)::int as tables from pg_tables where schemaname in ${sql(SCHEMAS)}`;
		if (tables > 0 && !force) {
			throw new BackupError(
				`The database already holds ${tables} tables, and restoring replaces all of it. ` +
					'Nothing was changed. Run the restore again with --force to replace it.'
			);
		}
	} finally {
		await sql.end({ timeout: 5 });
	}
	// The dump creates both schemas (pg_dump --schema writes public's CREATE SCHEMA too).
	const prelude = force
		? 'drop schema if exists drizzle cascade; drop schema if exists public cascade;'
		: 'drop schema if exists drizzle; drop schema if exists public;';
	const { dbname, env } = libpqTarget(url);
	const restore = spawnTool(pgRestore, ['--no-owner', '--no-acl', '--file=-'], env);
	const apply = spawnTool(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', '-', dbname], {
		...env,
		PGOPTIONS: '-c client_min_messages=warning'
	});
	const applied = settle(apply.done);
	// psql stopped on an error (its message says which): pg_restore has no reader left.
	apply.child.stdin!.on('error', () => {});
	void apply.done.catch(() => restore.child.kill());
	// psql commits only once pg_restore has produced all of the dump: if pg_restore fails
	// half-way, psql reaches the end of its input inside the transaction, which rolls back.
	apply.child.stdin!.write(`begin;\n${prelude}\n`);
	restore.child.stdout!.pipe(apply.child.stdin!, { end: false });
	const restored = await settle(
		Promise.all([pipeline(payloadStream(file, offset), restore.child.stdin!), restore.done])
	);
	apply.child.stdin!.end(restored ? undefined : 'commit;\n');
	const failed = (await applied) ?? restored;
	if (failed) throw new BackupError(`Nothing was restored: ${failed.message}`);
	const handle = await openDatabase({ url, maxConnections: 1 });
	try {
		await migrateDatabase(handle, url);
	} finally {
		await handle.close();
	}
	return { header };
}

/** The error a promise ends with, or undefined when it succeeds. */
function settle(p: Promise<unknown>): Promise<Error | undefined> {
	return p.then(
		() => undefined,
		(e: unknown) => e as Error
	);
}

function spawnTool(command: string, args: string[], env: NodeJS.ProcessEnv) {
	const child = spawn(command, args, {
		env: { ...process.env, ...env },
		stdio: ['pipe', 'pipe', 'pipe']
	});
	let stderr = '';
	child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
	const done = new Promise<void>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0
				? resolve()
				: reject(new Error(`${path.basename(command)} failed: ${stderr.trim() || `exit ${code}`}`))
		);
	});
	return { child, done };
}

async function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
	const { child, done } = spawnTool(command, args, env);
	child.stdin!.end();
	child.stdout!.resume();
	await done;
}
