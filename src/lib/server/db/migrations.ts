/* eslint-disable security/detect-non-literal-fs-filename -- the migrations folder comes from MIGRATIONS_DIR or the release, never from a request */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from './client';
import { rowsOf } from './rows';

/**
 * Whether an instance applies the migrations as it starts (the default) or leaves that to the
 * operator's `npm run migrate` (MIGRATE_ON_START=false): then it refuses to start on a database
 * that lacks one of the release's migrations, instead of failing on a missing column later.
 */
export function migrateOnStart(env: Record<string, string | undefined>): boolean {
	const raw = env.MIGRATE_ON_START?.trim().toLowerCase();
	if (!raw || raw === 'true' || raw === '1') return true;
	if (raw === 'false' || raw === '0') return false;
	throw new Error(`MIGRATE_ON_START must be true or false, not "${env.MIGRATE_ON_START}".`);
}

/** The release's migrations, oldest first, as drizzle-kit's journal lists them. */
export function releaseMigrations(folder: string): { tag: string; when: number }[] {
	const journal = JSON.parse(readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as {
		entries: { tag: string; when: number }[];
	};
	return journal.entries.map(({ tag, when }) => ({ tag, when }));
}

/**
 * The release's migrations the database has not applied. Drizzle's migrator applies every
 * migration newer than the newest it recorded, so this asks the same question. A database
 * migrated by a newer release lacks none (its extra migrations are the newer release's business).
 */
export async function pendingMigrations(db: Database, folder: string): Promise<string[]> {
	const [table] = rowsOf<{ present: boolean }>(
		await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`)
	);
	let newest = -1;
	if (table?.present) {
		const [row] = rowsOf<{ newest: string | number | null }>(
			await db.execute(sql`select max(created_at) as newest from drizzle.__drizzle_migrations`)
		);
		newest = row?.newest == null ? -1 : Number(row.newest);
	}
	return releaseMigrations(folder)
		.filter((m) => m.when > newest)
		.map((m) => m.tag);
}

/** Refuses to go on when the database lacks a migration of this release. */
export async function requireMigrated(db: Database, folder: string): Promise<void> {
	const pending = await pendingMigrations(db, folder);
	if (pending.length)
		throw new Error(
			`the database lacks ${pending.length} migration${pending.length === 1 ? '' : 's'} of this release (${pending.join(', ')}) and MIGRATE_ON_START=false: run \`npm run migrate\` first.`
		);
}

/** Reads DATABASE_POOL_SIZE: each instance's PostgreSQL connections at most (default 10). */
export function poolSize(env: Record<string, string | undefined>): number {
	const raw = env.DATABASE_POOL_SIZE?.trim();
	if (!raw) return 10;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 2 || n > 500)
		throw new Error(`DATABASE_POOL_SIZE must be a whole number from 2 to 500, not "${raw}".`);
	return n;
}
