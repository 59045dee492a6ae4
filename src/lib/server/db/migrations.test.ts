import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { migrationsFolder, openDatabase, type DatabaseHandle } from './client';
import {
	migrateOnStart,
	pendingMigrations,
	poolSize,
	releaseMigrations,
	requireMigrated
} from './migrations';
import { createTestDatabase } from './test-db';

const tags = releaseMigrations(migrationsFolder).map((m) => m.tag);

describe('a database against the release’s migrations', () => {
	let migrated: DatabaseHandle;
	beforeAll(async () => {
		migrated = await createTestDatabase();
	});
	afterAll(() => migrated.close());

	it('lists the journal’s migrations in order', () => {
		expect(tags.length).toBeGreaterThan(10);
		expect(tags[0]).toBe('0000_init');
	});

	it('lacks none once migrated, and start-up goes on', async () => {
		expect(await pendingMigrations(migrated.db, migrationsFolder)).toEqual([]);
		await expect(requireMigrated(migrated.db, migrationsFolder)).resolves.toBeUndefined();
	});

	it('lacks every migration when empty, and start-up refuses to go on', async () => {
		const empty = await openDatabase({ dataDir: 'memory://' });
		try {
			expect(await pendingMigrations(empty.db, migrationsFolder)).toEqual(tags);
			await expect(requireMigrated(empty.db, migrationsFolder)).rejects.toThrow(
				/lacks \d+ migrations of this release \(0000_init, .*run `npm run migrate` first/
			);
		} finally {
			await empty.close();
		}
	});

	it('names the one migration a database is missing', async () => {
		await migrated.db.execute(
			sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`
		);
		expect(await pendingMigrations(migrated.db, migrationsFolder)).toEqual([tags.at(-1)]);
		await expect(requireMigrated(migrated.db, migrationsFolder)).rejects.toThrow(
			`lacks 1 migration of this release (${tags.at(-1)})`
		);
	});
});

describe('start-up settings', () => {
	it('migrates at start unless MIGRATE_ON_START is false', () => {
		expect(migrateOnStart({})).toBe(true);
		expect(migrateOnStart({ MIGRATE_ON_START: 'true' })).toBe(true);
		expect(migrateOnStart({ MIGRATE_ON_START: 'FALSE' })).toBe(false);
		expect(migrateOnStart({ MIGRATE_ON_START: '0' })).toBe(false);
		expect(() => migrateOnStart({ MIGRATE_ON_START: 'no thanks' })).toThrow(/MIGRATE_ON_START/);
	});

	it('sizes the PostgreSQL pool from DATABASE_POOL_SIZE', () => {
		expect(poolSize({})).toBe(10);
		expect(poolSize({ DATABASE_POOL_SIZE: '25' })).toBe(25);
		for (const bad of ['1', '2.5', 'many', '501'])
			expect(() => poolSize({ DATABASE_POOL_SIZE: bad })).toThrow(/DATABASE_POOL_SIZE/);
	});
});
