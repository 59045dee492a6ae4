import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Logger } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { PGlite } from '@electric-sql/pglite';
import type { Sql } from 'postgres';
import type { Database, DatabaseHandle } from '$lib/server/db/client';
import * as schema from '$lib/server/db/schema';
import { createTestDatabase } from '$lib/server/db/test-db';
import { loadModel } from '$lib/server/model/load-model';
import { buildOrganisation, type Organisation } from '$lib/server/testing/organisation';
import { teamFindingFigures } from './findings-page';
import { recordUpload } from './record';
import { readSarif } from './sarif';
import { findingsPage, teamAnalyses } from './team-findings';
import { generatedSarif } from './testing/generated-sarif';

/*
 * The findings page's statements at the size of its budget (5,000 open findings, recorded by one
 * upload, so they share their first-seen time) among 30,000 of other teams: each reads the team's
 * rows through an index, and the first page of the list reads about one page of rows, unsorted.
 */

type Plan = Record<string, unknown> & { Plans?: Plan[] };

/** Every node of a plan, depth first. */
const nodes = (plan: Plan): Plan[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

describe('the findings page at 5,000 open findings', () => {
	let handle: DatabaseHandle;
	let org: Organisation;
	let watched: Database;
	let explain: (query: string, params: unknown[]) => Promise<Plan>;
	const queries: { sql: string; params: unknown[] }[] = [];

	beforeAll(async () => {
		handle = await createTestDatabase();
		org = await buildOrganisation(handle.db, loadModel());
		const upload = (team: 'alpha' | 'beta', results: number, at: Date) =>
			recordUpload(
				handle.db,
				{
					teamId: org.team(team),
					tokenId: null,
					repository: 'payments/api',
					ref: 'main',
					commit: null,
					category: null,
					report: readSarif(generatedSarif(results, 7))
				},
				at
			);
		// Every fifth result is suppressed: 6,250 results are 5,000 open findings.
		await upload('alpha', 6_250, new Date(Date.now() - 20 * 86_400_000));
		await upload('beta', 10, new Date());
		// Other teams' findings, many more than the team's own.
		await handle.db.execute(sql`
			insert into finding (analysis_id, team_id, repository_id, key, rule_id, severity, message,
				state, first_seen_at, last_seen_at)
			select a.id, a.team_id, a.repository_id, 'bulk-' || n, 'gen/bulk', 'high', 'Bulk',
				'open', now() - n * interval '1 minute', now()
			from analysis a, generate_series(1, 30000) as n
			where a.team_id = ${org.team('beta')}`);
		await handle.db.execute(sql`analyze`);
		const logger: Logger = { logQuery: (query, params) => queries.push({ sql: query, params }) };
		const client = (handle.db as unknown as { $client: unknown }).$client;
		if (handle.kind === 'pglite') {
			const pglite = client as PGlite;
			watched = drizzlePglite({ client: pglite, schema, logger }) as unknown as Database;
			explain = async (q, params) =>
				(await pglite.query<Record<string, Plan[]>>(`explain (analyze, format json) ${q}`, params))
					.rows[0]!['QUERY PLAN']![0]!.Plan as Plan;
		} else {
			const pg = client as Sql;
			watched = drizzlePostgres({ client: pg, schema, logger }) as unknown as Database;
			explain = async (q, params) =>
				(
					(await pg.unsafe(`explain (analyze, format json) ${q}`, params as never[])) as never[]
				)[0]!['QUERY PLAN'][0]['Plan'] as Plan;
		}
	}, 120_000);
	afterAll(() => handle?.close());

	it('counts them, per week and per group, each statement through an index of the team', async () => {
		queries.length = 0;
		const { figures } = await teamFindingFigures(watched, org.team('alpha'));
		expect(figures.views.open).toBe(5_000);
		expect(queries).toHaveLength(3);
		for (const q of queries) {
			const plan = nodes(await explain(q.sql, q.params));
			const scans = plan.filter((n) => String(n['Node Type']).includes('Scan'));
			expect(
				scans.filter((n) => n['Relation Name'] === 'finding').map((n) => n['Node Type']),
				q.sql
			).not.toContain('Seq Scan');
		}
	});

	it('reads the first page of the list through the open findings’ index, in its order', async () => {
		const analyses = await teamAnalyses(handle.db, org.team('alpha'));
		queries.length = 0;
		const filters = {
			view: 'open',
			severity: null,
			tool: null,
			repository: null,
			text: null
		} as const;
		const page = await findingsPage(watched, org.team('alpha'), filters, analyses, {
			offset: 0,
			limit: 50
		});
		expect(page).toHaveLength(50);
		const plan = nodes(await explain(queries[0]!.sql, queries[0]!.params));
		const scan = plan.find((n) => n['Relation Name'] === 'finding')!;
		expect(scan['Index Name']).toBe('finding_team_open_idx');
		expect(plan.map((n) => n['Node Type'])).not.toEqual(
			expect.arrayContaining([expect.stringMatching(/Sort/)])
		);
		// One page and the few suppressed rows among it, not a severity's thousands.
		expect(scan['Actual Rows']).toBeLessThan(100);
	});
});
