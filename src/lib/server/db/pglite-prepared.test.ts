import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { eq, sql } from 'drizzle-orm';
import { createTestDatabase } from './test-db';
import type { DatabaseHandle } from './client';
import * as table from './schema';
import { PreparedStatements, withPreparedStatements } from './pglite-prepared';

type WithStatements = PGlite & { preparedStatements: PreparedStatements };

/** The same statements, run the ordinary way and as prepared statements, give the same rows. */
describe.skipIf(Boolean(process.env.DATABASE_URL))('prepared statements on PGlite', () => {
	let plain: PGlite;
	let prepared: WithStatements;

	beforeAll(async () => {
		plain = new PGlite();
		prepared = withPreparedStatements(plain) as WithStatements;
		await plain.exec(`
			create table thing (
				id serial primary key, name text not null, tags text[], data jsonb,
				at timestamptz not null default '2026-11-29 10:00:00+00', amount numeric, day date
			);
			insert into thing (name, tags, data, amount, day) values
				('a', '{x,y}', '{"k": [1, 2]}', 1.25, '2026-01-02'),
				('b', null, null, null, null);
		`);
	});
	afterAll(() => plain.close());

	const statements = [
		['select * from thing order by id', []],
		['select * from thing where name = $1', ['a']],
		['select * from thing where name = $1', ['b']],
		['select id, tags, data from thing where $1::int is null or id = $1', [null]],
		['select count(*)::int as n, $1::text as echo from thing', ['x']],
		["with t as (select name from thing) select string_agg(name, ',') as names from t", []]
	] as const;

	it('answer as PGlite answers, in object and array row modes, and prepare each text once', async () => {
		const stats = prepared.preparedStatements.stats;
		const before = { ...stats };
		for (const rowMode of ['object', 'array'] as const) {
			for (const [text, params] of statements) {
				const ours = await prepared.query(text, [...params], { rowMode });
				const theirs = await plain.query(text, [...params], { rowMode });
				expect(ours.rows, text).toEqual(theirs.rows);
				expect(ours.fields, text).toEqual(theirs.fields);
			}
		}
		// Six statements, five distinct texts: each prepared once, run twelve times.
		expect(stats.prepared - before.prepared).toBe(5);
		expect(stats.executed - before.executed).toBe(12);
	});

	it('report rows written and return them, and leave other statements to PGlite', async () => {
		const inserted = await prepared.query<{ id: number }>(
			'insert into thing (name) values ($1) returning id',
			['c']
		);
		expect(inserted.rows).toHaveLength(1);
		const updated = await prepared.query('update thing set name = $1 where name = $2', ['d', 'c']);
		expect(updated.affectedRows).toBe(1);
		const executed = prepared.preparedStatements.stats.executed;
		await prepared.query('set statement_timeout = 0');
		expect(prepared.preparedStatements.stats.executed).toBe(executed);
	});

	it('throw a database error as PGlite does, with the query, and go on working', async () => {
		const error = await prepared
			.query('select * from thing where id = $1', ['not a number'])
			.catch((e: unknown) => e);
		expect(error).toMatchObject({ code: '22P02', query: 'select * from thing where id = $1' });
		const again = await prepared.query('select name from thing where id = $1', [1]);
		expect(again.rows).toEqual([{ name: 'a' }]);
	});

	it('run inside a transaction, and a rollback takes the writes back', async () => {
		const count = async () =>
			(await prepared.query<{ n: number }>('select count(*)::int as n from thing')).rows[0]!.n;
		const before = await count();
		await prepared
			.transaction(async (tx) => {
				await tx.query('insert into thing (name) values ($1)', ['in-tx']);
				const seen = await tx.query<{ n: number }>('select count(*)::int as n from thing');
				expect(seen.rows[0]!.n).toBe(before + 1);
				throw new Error('roll back');
			})
			.catch(() => {});
		expect(await count()).toBe(before);
		await prepared.transaction((tx) => tx.query('insert into thing (name) values ($1)', ['kept']));
		expect(await count()).toBe(before + 1);
	});

	it('keep a statement outside a transaction waiting until the transaction ends', async () => {
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		let started!: () => void;
		const inside = new Promise<void>((resolve) => (started = resolve));
		const order: string[] = [];
		const tx = prepared.transaction(async (t) => {
			await t.query('update thing set name = $1 where id = $2', ['held', 1]);
			started();
			await held;
			await t.query('update thing set name = $1 where id = $2', ['a', 1]);
			order.push('transaction');
		});
		await inside;
		const outside = prepared.query('select name from thing where id = $1', [1]).then((r) => {
			order.push('outside');
			return r.rows;
		});
		await new Promise((resolve) => setTimeout(resolve, 20));
		release();
		await tx;
		// It ran after the commit: it never saw the transaction's intermediate name.
		expect(await outside).toEqual([{ name: 'a' }]);
		expect(order).toEqual(['transaction', 'outside']);
	});

	it('prepare again when a schema change makes the kept plan unusable', async () => {
		await prepared.query('select * from thing where id = $1', [1]);
		await plain.exec('alter table thing add column extra text');
		const after = await prepared.query('select * from thing where id = $1', [1]);
		expect(Object.keys(after.rows[0] as object)).toContain('extra');
		const next = await prepared.query('select * from thing where id = $1', [1]);
		expect(Object.keys(next.rows[0] as object)).toContain('extra');
	});

	it('keep at most the limit prepared, closing the statements dropped', async () => {
		const statementsOf = new PreparedStatements(plain, 3);
		for (let i = 0; i < 8; i++) {
			await statementsOf.run(`select ${i} as n`, [], undefined, false);
		}
		expect(statementsOf.size).toBe(3);
		// Five dropped, each closed in the same crossing as the run that dropped it.
		expect(statementsOf.stats.closed).toBe(5);
		const names = await plain.query<{ name: string }>('select name from pg_prepared_statements');
		const ours = names.rows.filter((r) => /^rampart_/.test(r.name));
		expect(ours).toHaveLength(3 + prepared.preparedStatements.size);
	});
});

describe('prepared statements under drizzle, on the test database', () => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		handle = await createTestDatabase();
	});
	afterAll(() => handle.close());

	it('read back what drizzle wrote: dates, enums and nulls as drizzle reads them', async () => {
		const [cycle] = await handle.db
			.insert(table.cycle)
			.values({ name: '2026-Q4', startsOn: '2026-10-01', dueOn: '2026-12-15' })
			.returning();
		const [read] = await handle.db.select().from(table.cycle).where(eq(table.cycle.id, cycle!.id));
		expect(read).toEqual(cycle);
		expect(read).toMatchObject({ startsOn: '2026-10-01', dueOn: '2026-12-15', status: 'open' });
		const [counted] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(table.cycle);
		expect(counted!.n).toBe(1);
		if (!process.env.DATABASE_URL) {
			const client = (handle.db as unknown as { $client: WithStatements }).$client;
			expect(client.preparedStatements.stats.executed).toBeGreaterThanOrEqual(3);
		}
	});
});
