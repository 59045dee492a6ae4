import { sql } from 'drizzle-orm';
import { migrationsFolder } from './client';
import { migrateOnStart, poolSize, requireMigrated } from './migrations';
import { databaseWaitSeconds } from './postgres-wait';
import {
	migrateDatabase,
	openDatabase,
	type Database,
	type DatabaseHandle,
	type DatabaseStats
} from './client';

export type { Database, Tx } from './client';

let handle: DatabaseHandle | undefined;

/** Opens and migrates the application's database from the environment, once. */
export async function startDatabase(env: NodeJS.ProcessEnv = process.env): Promise<Database> {
	if (handle) return handle.db;
	const url = env.DATABASE_URL || undefined;
	const migrate = migrateOnStart(env);
	const opened = await openDatabase({
		url,
		dataDir: env.DATA_DIR || './data',
		maxConnections: poolSize(env),
		waitSeconds: databaseWaitSeconds(env.DATABASE_WAIT_SECONDS)
	});
	try {
		if (migrate) await migrateDatabase(opened, url);
		else await requireMigrated(opened.db, migrationsFolder);
	} catch (e) {
		await opened.close();
		throw e;
	}
	handle = opened;
	return opened.db;
}

/** The application's database; startDatabase must have run (the server's init hook does). */
export function getDb(): Database {
	if (!handle) throw new Error('The database has not been started');
	return handle.db;
}

/** Whether the database answers a trivial query, for /readyz. */
export async function isDatabaseReady(): Promise<boolean> {
	if (!handle) return false;
	try {
		await handle.db.execute(sql`select 1`);
		return true;
	} catch {
		return false;
	}
}

/** The application database's kind and figures for /metrics; undefined before it starts. */
export function databaseStats(): ({ kind: DatabaseHandle['kind'] } & DatabaseStats) | undefined {
	if (!handle?.stats) return undefined;
	return { kind: handle.kind, ...handle.stats() };
}

/** Closes the database cleanly (on SIGTERM/SIGINT). */
export async function stopDatabase(): Promise<void> {
	const h = handle;
	handle = undefined;
	await h?.close();
}
