import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrationsFolder, openDatabase, type DatabaseHandle } from '$lib/server/db/client';
import { withDatabase } from '$lib/server/db/test-template.global';
import { seedDemo } from '$lib/server/demo/seed';
import { readBackup, writeBackup } from './format';
import { backupPostgres, libpqTarget, postgresTool, restorePostgres } from './postgres';
import { knownMigrations } from './schema-version';
import { tableContents } from './testing/tables';

// The PostgreSQL run of the suite (DATABASE_URL set, as CI's second pass); embedded.test.ts
// covers the embedded database.
const url = process.env.DATABASE_URL;
const latest = knownMigrations(migrationsFolder).at(-1)!;

let admin: postgres.Sql;
let work: string;
const databases: string[] = [];
let source: { url: string; handle: DatabaseHandle };

/** A new database on the server: a copy of the migrated template, or empty. */
async function newDatabase(fromTemplate: boolean): Promise<string> {
	const name = `rampart_backup_${randomBytes(6).toString('hex')}`;
	await admin.unsafe(
		`create database ${name}${fromTemplate ? ` template ${inject('postgresTemplate')}` : ''}`
	);
	databases.push(name);
	return withDatabase(url!, name);
}

async function contentsOf(target: string) {
	const handle = await openDatabase({ url: target, maxConnections: 1 });
	try {
		return await tableContents(handle.db);
	} finally {
		await handle.close();
	}
}

beforeAll(async () => {
	if (!url) return;
	admin = postgres(url, { max: 1, onnotice: () => {} });
	work = mkdtempSync(path.join(tmpdir(), 'rampart-pg-backup-test-'));
	const sourceUrl = await newDatabase(true);
	source = { url: sourceUrl, handle: await openDatabase({ url: sourceUrl, maxConnections: 2 }) };
	await seedDemo(source.handle.db, 'demo password for tests');
});
afterAll(async () => {
	if (!url) return;
	await source?.handle.close();
	for (const name of databases) await admin.unsafe(`drop database if exists ${name} with (force)`);
	await admin.end();
	rmSync(work, { recursive: true, force: true });
});

describe('PostgreSQL client programs', () => {
	it('keep the password off the command line', () => {
		const url = new URL('postgres://app@db.example:5432/rampart?sslmode=require');
		url.password = encodeURIComponent('s@cret');
		expect(libpqTarget(url.toString())).toEqual({
			dbname: 'postgres://app@db.example:5432/rampart?sslmode=require',
			env: { PGPASSWORD: 's@cret' }
		});
	});

	it('say how to install them when they are missing', () => {
		expect(() =>
			postgresTool('pg_dump', { PATH: '/nonexistent', PG_BIN: '/nonexistent' }, [])
		).toThrow(/pg_dump was not found.*PG_BIN/);
	});
});

describe.runIf(url)('backup and restore of a PostgreSQL database', () => {
	const out = () => path.join(work, 'demo.backup');
	let restored: string;

	it('finds pg_dump, pg_restore and psql', () => {
		for (const tool of ['pg_dump', 'pg_restore', 'psql'] as const) {
			expect(postgresTool(tool)).toMatch(new RegExp(`/${tool}$`));
		}
	});

	it('copies every table into an empty database, while the app is connected', async () => {
		await backupPostgres(source.url, out());
		const { header } = await readBackup(out());
		expect(header).toMatchObject({
			kind: 'postgres',
			schema: { tag: latest.tag, when: latest.when }
		});
		restored = await newDatabase(false);
		await restorePostgres(restored, out());
		const expected = await tableContents(source.handle.db);
		expect(Object.keys(expected).length).toBeGreaterThan(30);
		expect(expected['public."user"']!.length).toBeGreaterThan(10);
		expect(await contentsOf(restored)).toEqual(expected);
	});

	it('refuses a database that is not empty unless forced', async () => {
		const handle = await openDatabase({ url: restored, maxConnections: 1 });
		try {
			await handle.db.execute(
				sql`insert into org_unit (name, kind) values ('Added after the restore', 'department')`
			);
		} finally {
			await handle.close();
		}
		const before = await contentsOf(restored);
		await expect(restorePostgres(restored, out())).rejects.toThrow(
			/already holds \d+ tables.*Nothing was changed.*--force/
		);
		expect(await contentsOf(restored)).toEqual(before);
		await restorePostgres(restored, out(), { force: true });
		expect(await contentsOf(restored)).toEqual(await tableContents(source.handle.db));
	});

	it('refuses while Rampart is connected to the database', async () => {
		const app = await openDatabase({ url: restored, maxConnections: 1 });
		try {
			await app.db.execute(sql`select 1`);
			await expect(restorePostgres(restored, out(), { force: true })).rejects.toThrow(
				/Rampart is connected to this database \(1 connections\)/
			);
		} finally {
			await app.close();
		}
	});

	it('refuses a damaged file and one of the other kind, changing nothing', async () => {
		const bytes = readFileSync(out());
		const damaged = path.join(work, 'damaged.backup');
		const flipped = Buffer.from(bytes);
		flipped[flipped.length - 100] = flipped[flipped.length - 100]! ^ 0xff;
		writeFileSync(damaged, flipped);
		const truncated = path.join(work, 'truncated.backup');
		writeFileSync(truncated, bytes.subarray(0, bytes.length - 10));
		const empty = await newDatabase(false);
		for (const [file, message] of [
			[damaged, /does not match its checksum/],
			[truncated, /is truncated/]
		] as const) {
			await expect(restorePostgres(empty, file)).rejects.toThrow(message);
		}
		expect(await contentsOf(empty)).toEqual({});
	});

	it('refuses a backup from a newer schema with a clear message and changes nothing', async () => {
		await source.handle.db.execute(
			sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('newer', ${latest.when + 1000})`
		);
		const newer = path.join(work, 'newer.backup');
		try {
			await backupPostgres(source.url, newer);
		} finally {
			await source.handle.db.execute(
				sql`delete from drizzle.__drizzle_migrations where hash = 'newer'`
			);
		}
		const empty = await newDatabase(false);
		await expect(restorePostgres(empty, newer)).rejects.toThrow(
			new RegExp(`comes from a newer Rampart.*up to ${latest.tag}\\. Nothing was restored`)
		);
		expect(await contentsOf(empty)).toEqual({});
	});

	it('leaves the database as it was when the restore fails half-way', async () => {
		const target = await newDatabase(false);
		const client = postgres(target, { max: 1, onnotice: () => {} });
		try {
			await client.unsafe('create table keep_me (id int); insert into keep_me values (1)');
		} finally {
			await client.end();
		}
		const before = await contentsOf(target);
		// A dump cut short, in a file whose checksum is right: pg_restore fails at its end, after
		// psql has emptied the database and run most of it.
		const { header, offset } = await readBackup(out());
		const dump = readFileSync(out()).subarray(offset);
		const cut = path.join(work, 'cut.backup');
		await writeBackup(cut, 'postgres', header.schema, {
			bytes: dump.subarray(0, Math.floor(dump.length * 0.9))
		});
		await expect(restorePostgres(target, cut, { force: true })).rejects.toThrow(
			/Nothing was restored: pg_restore failed/
		);
		expect(await contentsOf(target)).toEqual(before);
		expect(before).toEqual({ 'public.keep_me': ['(1)'] });
	});
});
