import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { migrateDatabase, openDatabase } from './client';

declare module 'vitest' {
	export interface ProvidedContext {
		/** A dumped, migrated PGlite data directory (embedded runs). */
		pgliteTemplate: string;
		/** A migrated template database name on the PostgreSQL server (DATABASE_URL runs). */
		postgresTemplate: string;
	}
}

export const TEMPLATE_DB = 'rampart_test_template';

/**
 * Builds one migrated database per run: creating a PGlite database costs seconds and
 * hundreds of MB, so every test file starts from a copy of this template instead.
 */
export default async function setup(project: TestProject) {
	const url = process.env.DATABASE_URL;
	if (url) {
		const admin = postgres(url, { max: 1, onnotice: () => {} });
		await admin.unsafe(`drop database if exists ${TEMPLATE_DB} with (force)`);
		await admin.unsafe(`create database ${TEMPLATE_DB}`);
		await admin.end();
		const templateUrl = withDatabase(url, TEMPLATE_DB);
		const handle = await openDatabase({ url: templateUrl, maxConnections: 1 });
		await migrateDatabase(handle, templateUrl);
		await handle.close();
		project.provide('postgresTemplate', TEMPLATE_DB);
		project.provide('pgliteTemplate', '');
		return;
	}
	const handle = await openDatabase({ dataDir: 'memory://' });
	await migrateDatabase(handle);
	const client = (handle.db as unknown as { $client: import('@electric-sql/pglite').PGlite })
		.$client;
	const dump = await client.dumpDataDir('none');
	await handle.close();
	const dir = mkdtempSync(path.join(tmpdir(), 'rampart-template-'));
	const file = path.join(dir, 'template.tar');
	writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
	project.provide('pgliteTemplate', file);
	project.provide('postgresTemplate', '');
	return () => rmSync(dir, { recursive: true, force: true });
}

export function withDatabase(url: string, database: string): string {
	const u = new URL(url);
	u.pathname = `/${database}`;
	return u.toString();
}
