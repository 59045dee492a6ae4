import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type Database, type DatabaseHandle } from './client';
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

/**
 * Counts the statements drizzle sends to an embedded database from now until `stop()`: a
 * test's check that a page reads in one statement, or in none. PGlite only (drizzle calls
 * `query` on its client; postgres-js clients are counted otherwise).
 */
export function countStatements(db: Database): { readonly count: number; stop(): void } {
	const client = (db as unknown as { $client: { query: (...a: unknown[]) => unknown } }).$client;
	const query = client.query;
	let count = 0;
	client.query = (...a: unknown[]) => {
		count++;
		return query.apply(client, a);
	};
	return {
		get count() {
			return count;
		},
		stop: () => {
			client.query = query;
		}
	};
}
