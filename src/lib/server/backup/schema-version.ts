/* eslint-disable security/detect-non-literal-fs-filename -- the migrations folder is the app's own */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BackupError } from './format';

/**
 * A database's schema version is the last drizzle migration applied to it: drizzle records each
 * migration's `when` (from drizzle/meta/_journal.json) as `created_at` in its own table and
 * applies, at start-up, every migration whose `when` is later.
 */
export interface SchemaVersion {
	when: number;
	/** The migration's name, or null when this code does not know it (a newer Rampart's). */
	tag: string | null;
}

interface JournalEntry {
	when: number;
	tag: string;
}

/** The migrations this code ships, oldest first. */
export function knownMigrations(migrationsFolder: string): JournalEntry[] {
	const journal = JSON.parse(
		readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')
	) as { entries: JournalEntry[] };
	return journal.entries.map(({ when, tag }) => ({ when, tag })).sort((a, b) => a.when - b.when);
}

export const schemaVersionQuery =
	'select created_at::text as "when" from drizzle.__drizzle_migrations order by created_at desc limit 1';
export const hasMigrationsQuery = `select to_regclass('drizzle.__drizzle_migrations') is not null as "present"`;

/** Names the version from the `when` the database holds (undefined: never migrated). */
export function schemaVersion(
	when: string | number | undefined,
	migrationsFolder: string
): SchemaVersion | undefined {
	if (when === undefined) return undefined;
	const n = Number(when);
	return { when: n, tag: knownMigrations(migrationsFolder).find((m) => m.when === n)?.tag ?? null };
}

/** Refuses a backup whose schema is newer than the newest migration this code knows. */
export function assertRestorable(backup: SchemaVersion, migrationsFolder: string): void {
	const known = knownMigrations(migrationsFolder);
	const latest = known.at(-1);
	if (latest && backup.when <= latest.when) return;
	const theirs = backup.tag ?? `a migration of ${new Date(backup.when).toISOString()}`;
	throw new BackupError(
		`This backup comes from a newer Rampart: its database is at ${theirs}, and this version only ` +
			`knows migrations up to ${latest?.tag ?? 'none'}. Nothing was restored. Install the Rampart ` +
			'version that made the backup (or a later one) and restore with it.'
	);
}
