import { spawn } from 'node:child_process';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { migrationsFolder, openDatabase, type DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { seedDemo } from '$lib/server/demo/seed';
import { backupEmbedded, restoreEmbedded } from './embedded';
import { BackupError, readBackup, writeBackup } from './format';
import { knownMigrations } from './schema-version';
import { tableContents } from './testing/tables';

// The embedded database's runs; the PostgreSQL run (DATABASE_URL) has postgres.test.ts.
const embedded = !process.env.DATABASE_URL;

let work: string;
let source: DatabaseHandle;
let sourceDir: string;
const latest = knownMigrations(migrationsFolder).at(-1)!;

beforeAll(async () => {
	if (!embedded) return;
	work = mkdtempSync(path.join(tmpdir(), 'rampart-backup-test-'));
	sourceDir = path.join(work, 'server');
	// On disk, as the server runs it: from the migrated template, then the demo organisation.
	source = await openDatabase({
		dataDir: sourceDir,
		loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))])
	});
	await seedDemo(source.db, 'demo password for tests');
});
afterAll(async () => {
	await source?.close();
	if (work) rmSync(work, { recursive: true, force: true });
});

/** What a directory holds, to show a refused restore changed nothing. */
function listing(dir: string): string[] {
	return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : [];
}

/** Runs `fn` while another process, which does not answer SIGUSR2, is alive. */
async function withOtherProcess(fn: (pid: number, alive: () => boolean) => Promise<void>) {
	const other = spawn('sleep', ['60'], { stdio: 'ignore' });
	await new Promise((resolve) => other.once('spawn', resolve));
	try {
		await fn(other.pid!, () => other.exitCode === null && other.signalCode === null);
	} finally {
		other.kill();
	}
}

async function contentsOf(dataDir: string) {
	const handle = await openDatabase({ dataDir });
	try {
		return await tableContents(handle.db);
	} finally {
		await handle.close();
	}
}

describe.runIf(embedded)('backup and restore of the embedded database', () => {
	const out = () => path.join(work, 'demo.backup');
	const restored = () => path.join(work, 'restored');

	it('copies every table while the server runs, waiting for a transaction under way', async () => {
		// A transaction that has written and not committed when the backup is asked for.
		let commit!: () => void;
		const committed = new Promise<void>((resolve) => (commit = resolve));
		let written!: () => void;
		const hasWritten = new Promise<void>((resolve) => (written = resolve));
		const transaction = source.db.transaction(async (tx) => {
			await tx
				.insert(table.orgUnit)
				.values({ name: 'Written during the backup', kind: 'department' });
			written();
			await committed;
		});
		await hasWritten;
		const backup = backupEmbedded(sourceDir, out());
		setTimeout(commit, 200);
		await transaction;
		expect(await backup).toBe('live');

		const { header } = await readBackup(out());
		expect(header).toMatchObject({
			kind: 'pglite',
			schema: { tag: latest.tag, when: latest.when }
		});
		await restoreEmbedded(restored(), out());
		const expected = await tableContents(source.db);
		expect(Object.keys(expected).length).toBeGreaterThan(30);
		expect(expected['public."user"']!.length).toBeGreaterThan(10);
		expect(expected['public.org_unit']!.some((r) => r.includes('Written during the backup'))).toBe(
			true
		);
		expect(await contentsOf(restored())).toEqual(expected);
		// The server's side leaves nothing behind but its own marker.
		expect(readdirSync(path.join(sourceDir, 'backups'))).toEqual(['server.pid']);
	});

	it('refuses to overwrite a backup file', async () => {
		await expect(backupEmbedded(sourceDir, out())).rejects.toThrow(/already exists/);
	});

	it('refuses a database that is not empty unless forced, keeping the replaced one', async () => {
		const before = listing(restored());
		await expect(restoreEmbedded(restored(), out())).rejects.toThrow(
			/already holds a database.*Nothing was changed.*--force/
		);
		expect(listing(restored())).toEqual(before);

		const { keptAs } = await restoreEmbedded(restored(), out(), { force: true });
		expect(keptAs).toMatch(/pg\.before-restore-/);
		expect(existsSync(keptAs!)).toBe(true);
		expect(await contentsOf(restored())).toEqual(await tableContents(source.db));
		rmSync(keptAs!, { recursive: true });
	});

	it('refuses while a server holds the data directory', async () => {
		// Another process (this one would take its own lock over, as after a crash).
		const dir = path.join(work, 'running');
		mkdirSync(path.join(dir, 'pg'), { recursive: true });
		await withOtherProcess(async (pid) => {
			writeFileSync(path.join(dir, 'rampart.lock'), String(pid));
			const before = listing(dir);
			await expect(restoreEmbedded(dir, out(), { force: true })).rejects.toThrow(
				new RegExp(`in use by another Rampart process \\(pid ${pid}\\).*Stop the Rampart server`)
			);
			expect(listing(dir)).toEqual(before);
		});
	});

	it('refuses a truncated, damaged or foreign file and changes nothing', async () => {
		const bytes = readFileSync(out());
		const truncated = path.join(work, 'truncated.backup');
		writeFileSync(truncated, bytes.subarray(0, bytes.length - 1000));
		const damaged = path.join(work, 'damaged.backup');
		const flipped = Buffer.from(bytes);
		flipped[flipped.length - 5000] = flipped[flipped.length - 5000]! ^ 0xff;
		writeFileSync(damaged, flipped);
		const foreign = path.join(work, 'foreign.tar');
		writeFileSync(foreign, 'not a backup at all\n');
		const cutHeader = path.join(work, 'cut-header.backup');
		writeFileSync(cutHeader, bytes.subarray(0, 40));

		const postgresKind = path.join(work, 'postgres-kind.backup');
		await writeBackup(postgresKind, 'postgres', latest, { bytes: new Uint8Array([1, 2, 3]) });

		const before = listing(restored());
		for (const [file, message] of [
			[postgresKind, /is a backup of a PostgreSQL database: set DATABASE_URL/],
			[truncated, /is truncated: it holds \d+ of the \d+ bytes/],
			[damaged, /is damaged: its content does not match its checksum/],
			[foreign, /is not a Rampart backup/],
			[cutHeader, /is damaged or truncated/],
			[path.join(work, 'missing.backup'), /does not exist/]
		] as const) {
			const attempt = restoreEmbedded(restored(), file, { force: true });
			await expect(attempt).rejects.toThrow(BackupError);
			await expect(attempt).rejects.toThrow(message);
		}
		expect(listing(restored())).toEqual(before);
		expect(await contentsOf(restored())).toEqual(await tableContents(source.db));
	});

	it('refuses a backup from a newer schema with a clear message and changes nothing', async () => {
		// What a newer Rampart leaves: a migration this code does not know.
		await source.db.execute(
			sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('newer', ${latest.when + 1000})`
		);
		const newer = path.join(work, 'newer.backup');
		try {
			expect(await backupEmbedded(sourceDir, newer)).toBe('live');
		} finally {
			await source.db.execute(sql`delete from drizzle.__drizzle_migrations where hash = 'newer'`);
		}
		const before = listing(restored());
		const fresh = path.join(work, 'fresh');
		for (const [dir, force] of [
			[fresh, false],
			[restored(), true]
		] as const) {
			await expect(restoreEmbedded(dir, newer, { force })).rejects.toThrow(
				new RegExp(
					`comes from a newer Rampart: its database is at a migration of .*only knows migrations up to ${latest.tag}\\. Nothing was restored`
				)
			);
		}
		expect(existsSync(fresh)).toBe(false);
		expect(listing(restored())).toEqual(before);
	});

	it('migrates a backup of an older schema forward', async () => {
		// This code one migration ahead of the backup, as after an upgrade.
		const newer = path.join(work, 'newer-migrations');
		cpSync(migrationsFolder, newer, { recursive: true });
		const journalFile = path.join(newer, 'meta', '_journal.json');
		const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: object[] };
		const tag = '9999_backup_test';
		journal.entries.push({
			idx: 9999,
			version: '7',
			when: latest.when + 500,
			tag,
			breakpoints: true
		});
		writeFileSync(journalFile, JSON.stringify(journal));
		writeFileSync(
			path.join(newer, `${tag}.sql`),
			'create table "backup_test_marker" ("id" integer);'
		);

		const dir = path.join(work, 'upgraded');
		await restoreEmbedded(dir, out(), { migrations: newer });
		const contents = await contentsOf(dir);
		expect(contents['public.backup_test_marker']).toEqual([]);
		expect(contents['drizzle.__drizzle_migrations']).toHaveLength(journal.entries.length);
		const { ['public.backup_test_marker']: _, ...rest } = contents;
		expect(rest).toEqual({
			...(await tableContents(source.db)),
			'drizzle.__drizzle_migrations': rest['drizzle.__drizzle_migrations']
		});
	});

	it('backs up a stopped server itself, and says when there is no database', async () => {
		const file = path.join(work, 'stopped.backup');
		expect(await backupEmbedded(restored(), file)).toBe('stopped');
		expect(existsSync(path.join(restored(), 'rampart.lock'))).toBe(false);
		expect(await contentsOf(path.join(work, 'restored'))).toEqual(await tableContents(source.db));
		const { header } = await readBackup(file);
		expect(header.kind).toBe('pglite');

		await expect(backupEmbedded(path.join(work, 'nothing-here'), file + '2')).rejects.toThrow(
			/There is no embedded database in/
		);
	});

	it('never signals a process that does not answer backups (it would die of it)', async () => {
		const dir = path.join(work, 'other-tool');
		mkdirSync(path.join(dir, 'pg'), { recursive: true });
		await withOtherProcess(async (pid, alive) => {
			writeFileSync(path.join(dir, 'rampart.lock'), String(pid));
			await expect(backupEmbedded(dir, path.join(work, 'other.backup'))).rejects.toThrow(
				new RegExp(`pid ${pid}\\) cannot make a backup while it runs`)
			);
			expect(alive()).toBe(true);
		});
	});
});
