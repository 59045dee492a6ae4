import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from './client';
import { withDatabase } from './test-template.global';

/**
 * A fresh, migrated database for one test file: a copy of the run's template, on PGlite
 * by default or on the PostgreSQL server when DATABASE_URL is set.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
	const url = process.env.DATABASE_URL;
	if (url) {
		const name = `rampart_test_${randomBytes(6).toString('hex')}`;
		const admin = postgres(url, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database ${name} template ${inject('postgresTemplate')}`);
		const handle = await openDatabase({ url: withDatabase(url, name), maxConnections: 4 });
		return {
			...handle,
			async close() {
				await handle.close();
				await admin.unsafe(`drop database if exists ${name} with (force)`);
				await admin.end();
			}
		};
	}
	const template = readFileSync(inject('pgliteTemplate'));
	return openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([template]) });
}
