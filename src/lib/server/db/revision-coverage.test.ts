import { AsyncLocalStorage } from 'node:async_hooks';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Logger } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { PGlite } from '@electric-sql/pglite';
import type { Sql } from 'postgres';
import type { SessionUser } from '$lib/server/auth/session';
import { seedDemo } from '$lib/server/demo/seed';
import { load as dashboardLoad } from '../../../routes/(app)/dashboard/+page.server';
import { load as reportLoad } from '../../../routes/(app)/reports/[cycle]/+page.server';
import { load as teamLoad } from '../../../routes/(app)/teams/[slug]/+page.server';
import { load as findingsLoad } from '../../../routes/(app)/teams/[slug]/findings/+page.server';
import { load as phaseLoad } from '../../../routes/(app)/teams/[slug]/assessments/[cycle]/[phase]/+page.server';
import type { Database, DatabaseHandle } from './client';
import { cachedValueComputation } from './revision';
import { relationsOf } from './query-plan';
import { rowsOf } from './rows';
import * as schema from './schema';
import { createTestDatabase } from './test-db';

// Cached values are served until the data revision moves, and only writes to tables with a
// revision trigger move it. So every table a cached value reads needs a trigger, or a change to
// it shows late (up to the cache's maximum age). This test runs every cached value through the
// pages that show them, asks PostgreSQL which tables each query reads, and compares.

/** Every cache key prefix written in the source (`cachedForRevision(db, 'x…'` / `byRevision(db, 'x…'`). */
function cacheKeyPrefixes(): Set<string> {
	const found = new Set<string>();
	const walk = (dir: string) => {
		for (const e of readdirSync(dir, { withFileTypes: true })) {
			const p = path.join(dir, e.name);
			if (e.isDirectory()) walk(p);
			else if (/\.(ts|svelte)$/.test(e.name) && !e.name.endsWith('.test.ts')) {
				const text = readFileSync(p, 'utf8');
				for (const m of text.matchAll(
					/\b(?:cachedForRevision|byRevision)\(\s*[\w.]+,\s*[`'"]([\w.-]+)/g
				))
					found.add(m[1]!);
			}
		}
	};
	walk(path.resolve('src'));
	return found;
}

describe('every table a cached value reads bumps the data revision', () => {
	let handle: DatabaseHandle;
	const queries: { key: string; sql: string; params: unknown[] }[] = [];
	let watched: Database;
	let explain: (query: string, params: unknown[]) => Promise<unknown>;
	const users: Record<string, SessionUser> = {};

	const computing = new AsyncLocalStorage<string>();
	const plainRun = cachedValueComputation.run;

	beforeAll(async () => {
		handle = await createTestDatabase();
		await seedDemo(handle.db, 'demo password for tests');
		cachedValueComputation.run = (key, compute) => computing.run(key, compute);
		const logger: Logger = {
			logQuery(query, params) {
				const key = computing.getStore();
				if (key) queries.push({ key, sql: query, params });
			}
		};
		const client = (handle.db as unknown as { $client: unknown }).$client;
		if (handle.kind === 'pglite') {
			const pglite = client as PGlite;
			watched = drizzlePglite({ client: pglite, schema, logger }) as unknown as Database;
			explain = async (q, params) =>
				(await pglite.query<Record<string, unknown>>(`explain (format json) ${q}`, params))
					.rows[0]!['QUERY PLAN'];
		} else {
			const pg = client as Sql;
			watched = drizzlePostgres({ client: pg, schema, logger }) as unknown as Database;
			explain = async (q, params) =>
				((await pg.unsafe(`explain (format json) ${q}`, params as never[])) as never[])[0]![
					'QUERY PLAN'
				];
		}
		for (const u of await handle.db.select().from(schema.user)) {
			users[u.role] ??= { id: u.id, email: u.email, name: u.name, role: u.role };
		}
	});
	afterAll(async () => {
		cachedValueComputation.run = plainRun;
		await handle.close();
	});

	const event = (user: SessionUser, url: string, params: Record<string, string> = {}) =>
		({
			locals: { db: watched, user, ip: '127.0.0.1' },
			url: new URL(`http://127.0.0.1${url}`),
			params,
			isDataRequest: true,
			setHeaders: () => {}
		}) as never;

	it('runs every cached value the source declares', async () => {
		const teams = await handle.db.select().from(schema.team);
		const [cycle] = await handle.db.select().from(schema.cycle).limit(1);
		// Leadership's cached page, a member's page (their own figures), the report and the team
		// pages (the organisation's tool counts).
		await dashboardLoad(event(users.leadership!, '/dashboard'));
		await dashboardLoad(event(users.member!, '/dashboard'));
		await reportLoad(event(users.leadership!, `/reports/${cycle!.name}`, { cycle: cycle!.name }));
		// Team pages with next steps (not every team has them).
		for (const team of teams)
			await teamLoad(event(users.admin!, `/teams/${team.slug}`, { slug: team.slug }));
		// A team's findings figures.
		await findingsLoad(
			event(users.admin!, `/teams/${teams[0]!.slug}/findings`, { slug: teams[0]!.slug })
		);
		// A phase form with criteria a pipeline can confirm (the team's runs).
		const [assessed] = await handle.db
			.select({ slug: schema.team.slug, cycle: schema.cycle.name })
			.from(schema.assessment)
			.innerJoin(schema.team, sql`${schema.team.id} = ${schema.assessment.teamId}`)
			.innerJoin(schema.cycle, sql`${schema.cycle.id} = ${schema.assessment.cycleId}`)
			.innerJoin(schema.analysis, sql`${schema.analysis.teamId} = ${schema.team.id}`)
			.limit(1);
		await phaseLoad(
			event(users.admin!, `/teams/${assessed!.slug}/assessments/${assessed!.cycle}/build`, {
				slug: assessed!.slug,
				cycle: assessed!.cycle,
				phase: 'build'
			})
		);
		const ran = new Set(queries.map((q) => q.key));
		for (const prefix of cacheKeyPrefixes()) {
			expect(
				[...ran].some((key) => key.startsWith(prefix)),
				`no test here computes the cached value "${prefix}…": add the page that shows it above`
			).toBe(true);
		}
	});

	it('finds a revision trigger on each table those values read', async () => {
		expect(queries.length).toBeGreaterThan(5);
		const read = new Map<string, Set<string>>();
		for (const q of queries) {
			for (const relation of relationsOf(await explain(q.sql, q.params))) {
				if (!read.has(relation)) read.set(relation, new Set());
				read.get(relation)!.add(q.key.split(':')[0]!);
			}
		}
		const triggered = new Set(
			rowsOf<{ relname: string }>(
				await handle.db.execute(sql`
					select distinct c.relname from pg_trigger t
					join pg_class c on c.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
					where p.proname = 'bump_dashboard_revision' and not t.tgisinternal`)
			).map((r) => r.relname)
		);
		const missing = [...read].filter(([table]) => !triggered.has(table));
		expect(
			missing.map(([table, keys]) => `${table} (read by ${[...keys].join(', ')})`),
			'tables read by cached values without a revision trigger'
		).toEqual([]);
		// The duty roster and people's names are on leadership's dashboard.
		expect([...read.keys()]).toEqual(expect.arrayContaining(['rota', 'rota_member', 'user']));
	});
});
