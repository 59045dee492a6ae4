import type { PGlite } from '@electric-sql/pglite';
import { BackupError } from './format';
import {
	hasMigrationsQuery,
	schemaVersion,
	schemaVersionQuery,
	type SchemaVersion
} from './schema-version';

/**
 * A consistent copy of an embedded database. PGlite runs one transaction at a time (a statement
 * outside one waits for it too), so inside a transaction of our own no other write can be under
 * way; a checkpoint writes every committed change into the data files, and dumpDataDir reads them
 * under PGlite's query lock. Requests wait meanwhile; nothing is refused.
 */
export async function snapshotPglite(
	client: PGlite,
	migrationsFolder: string
): Promise<{ schema: SchemaVersion; bytes: Uint8Array }> {
	return client.transaction(async (tx) => {
		await tx.exec('checkpoint');
		const [migrated] = (await tx.query<{ present: boolean }>(hasMigrationsQuery)).rows;
		const [latest] = migrated?.present
			? (await tx.query<{ when: string }>(schemaVersionQuery)).rows
			: [];
		const schema = schemaVersion(latest?.when, migrationsFolder);
		if (!schema) {
			throw new BackupError(
				'The embedded database has never been set up (no migration applied): there is nothing to back up.'
			);
		}
		// Our own transaction has only read, so it holds no transaction id the copy could keep.
		const tarball = await client.dumpDataDir('gzip');
		return { schema, bytes: new Uint8Array(await tarball.arrayBuffer()) };
	});
}
