/* eslint-disable security/detect-non-literal-fs-filename -- paths come from DATA_DIR or the test run, never from a request */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { serveLiveBackups } from '../backup/live';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { followRevision } from './revision';
import { followSessionChanges } from '$lib/server/auth/session-cache';
import { followTeamChanges } from '$lib/server/teams/team-cache';
import { keepAnswerStates } from '$lib/server/assessments/answer-states';
import { withDrizzleParsers } from './pglite-parsers';
import { withPreparedStatements, type PreparedStatements } from './pglite-prepared';
import { withPostgresQueryTiming, withQueryTiming } from './query-timing';
import { withBoundedWait } from './postgres-wait';

/** The one database type every domain function takes: PGlite and PostgreSQL look alike. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction or the database itself: domain writes accept either. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0] | Database;

export interface DatabaseHandle {
	db: Database;
	kind: 'pglite' | 'postgres';
	close(): Promise<void>;
	/** What /metrics says about the database, read when scraped. */
	stats?(): DatabaseStats;
}

export interface DatabaseStats {
	/** Connections at most (PGlite has one). */
	connections: number;
	/** PGlite's WebAssembly memory, which grows and never shrinks. */
	wasmMemoryBytes?: number;
	/** PGlite's statements kept prepared (pglite-prepared.ts). */
	preparedStatements?: number;
}

export interface OpenOptions {
	/** A PostgreSQL connection string; when absent the embedded PGlite is used. */
	url?: string;
	/** Directory for the embedded database; `memory://` keeps it in memory. */
	dataDir?: string;
	/** A dumped PGlite data directory to start from (tests clone a migrated template). */
	loadDataDir?: Blob;
	/** Pool size for PostgreSQL. */
	maxConnections?: number;
	/** PostgreSQL: how long a statement may wait for a connection before it fails (postgres-wait.ts). */
	waitSeconds?: number;
}

export const migrationsFolder = path.resolve(process.env.MIGRATIONS_DIR ?? 'drizzle');

/** Opens the embedded or server database; locks an on-disk embedded data directory to this process. */
export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
	const url = options.url;
	if (url) {
		const max = options.maxConnections ?? 10;
		const waitSeconds = options.waitSeconds ?? 5;
		const client = withBoundedWait(
			() =>
				postgres(url, {
					max,
					// An idle connection closes: one that a replaced pool (postgres-wait.ts) opened
					// again after it was ended would otherwise keep the process from exiting.
					idle_timeout: 10,
					onnotice: () => {},
					connection: { application_name: 'rampart' }
				}),
			waitSeconds
		);
		return {
			db: drizzlePostgres({
				client: withPostgresQueryTiming(client),
				schema
			}) as unknown as Database,
			kind: 'postgres',
			close: () => client.end({ timeout: 5 }),
			stats: () => ({ connections: max })
		};
	}
	const dataDir = options.dataDir ?? 'memory://';
	let lock: DataDirLock | undefined;
	let pgDir = dataDir;
	if (!dataDir.startsWith('memory://')) {
		mkdirSync(dataDir, { recursive: true });
		lock = lockDataDir(dataDir);
		pgDir = path.join(dataDir, 'pg');
	}
	try {
		const client = await PGlite.create(pgDir, {
			loadDataDir: options.loadDataDir,
			startParams: [
				...PGlite.defaultStartParams,
				'-c',
				`shared_buffers=${pgliteSharedBuffers(process.env.PGLITE_SHARED_BUFFERS)}`
			]
		});
		const prepared = withPreparedStatements(withDrizzleParsers(client), client);
		const db = drizzlePglite({
			client: withQueryTiming(prepared),
			schema
		}) as unknown as Database;
		const statements = (prepared as unknown as { preparedStatements: PreparedStatements })
			.preparedStatements;
		await followRevision(db, (channel, onNotify) => client.listen(channel, onNotify));
		await followSessionChanges(db, (channel, onNotify) => client.listen(channel, onNotify));
		await followTeamChanges(db, (channel, onNotify) => client.listen(channel, onNotify));
		keepAnswerStates(db);
		// `npm run backup` asks the process holding the lock for a consistent copy (backup/live.ts).
		const stopServing = lock ? serveLiveBackups(dataDir, client, migrationsFolder) : undefined;
		return {
			db,
			kind: 'pglite',
			close: async () => {
				stopServing?.();
				await client.close();
				lock?.release();
			},
			stats: () => ({
				connections: 1,
				wasmMemoryBytes: client.Module.wasmMemory.buffer.byteLength,
				preparedStatements: statements.size
			})
		};
	} catch (e) {
		lock?.release();
		throw e;
	}
}

/**
 * PGlite's buffer cache. It lives in the WebAssembly memory, which grows but never shrinks, so
 * every megabyte given here stays in the server's resident memory; the operating system's own
 * cache of the data files (shared, and given back under pressure) serves what falls out of
 * it. 32 MB instead of PostgreSQL's 128 MB: measured at 2,000 teams, the server's peak memory
 * drops by ~145 MB at about the same speed.
 */
export function pgliteSharedBuffers(value: string | undefined): string {
	const setting = value?.trim() || '32MB';
	if (!/^\d+(kB|MB|GB)$/.test(setting)) {
		throw new Error(
			`PGLITE_SHARED_BUFFERS must look like 32MB (a size in kB, MB or GB), not "${setting}".`
		);
	}
	return setting;
}

// Any constant works; it only has to be the same for every Rampart instance.
const MIGRATION_LOCK_KEY = 7_246_100;

/** Applies the committed migrations once; on PostgreSQL an advisory lock serialises instances starting together. */
export async function migrateDatabase(handle: DatabaseHandle, url?: string): Promise<void> {
	if (handle.kind === 'pglite') {
		await migratePglite(handle.db as never, { migrationsFolder });
		return;
	}
	if (!url) throw new Error('migrateDatabase needs the PostgreSQL url');
	const client = postgres(url, { max: 1, onnotice: () => {} });
	try {
		await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
		try {
			await migratePostgres(drizzlePostgres({ client }), { migrationsFolder });
		} finally {
			await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
		}
	} finally {
		await client.end({ timeout: 5 });
	}
}
