import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import * as table from '$lib/server/db/schema';
import { loadModel } from '$lib/server/model/load-model';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { listTeamAdoption, setAdoption } from './adoption';
import { getCatalogue } from './catalogue';
import { setToolRetired } from './manage';
import { searchCatalogue, searchTerms } from './search';

describe('the catalogue search on a team’s tools page', () => {
	const t = testOrganisation();
	const catalogue = getCatalogue(new Set(loadModel().practiceById.keys()));
	const categoryName = new Map(catalogue.categories.map((c) => [c.id, c.name]));
	/** Retired here: found by no search, though Legacy (archived) and nobody else used it. */
	const retired = 'snyk-code';
	const ctx = () => ({ actorId: t.org.adminId, ip: '127.0.0.1' });

	beforeAll(async () => {
		await setToolRetired(t.db, ctx(), retired, true);
	});

	/** The same search done over the catalogue file: every word in the name, id or category. */
	const expected = (query: string) =>
		catalogue.tools
			.filter((tool) => tool.id !== retired)
			.filter((tool) => {
				const text = `${tool.name} ${tool.id} ${categoryName.get(tool.category)}`.toLowerCase();
				return searchTerms(query).every((w) => text.includes(w));
			})
			.map((tool) => tool.id)
			.sort();

	it('finds every active tool whose name, id or category holds each word', async () => {
		for (const query of ['semgrep', 'Secret', 'sast', 'secret detection', 'SCAN  sca', 'zzz']) {
			const found = await searchCatalogue(t.db, t.org.team('alpha'), query, 100);
			expect(found.tools.map((x) => x.toolId).sort(), query).toEqual(expected(query));
			expect(found.total, query).toBe(expected(query).length);
		}
		expect(expected('secret').length).toBeGreaterThan(5);
	});

	it('says what the team records for each tool found, and names its category', async () => {
		const alpha = await searchCatalogue(t.db, t.org.team('alpha'), 'semgrep gitleaks codeql', 100);
		expect(alpha.total).toBe(0);
		for (const [slug, query] of [
			['alpha', 'semgrep'],
			['alpha', 'gitleaks'],
			['gamma', 'gitleaks'],
			['beta', 'codeql'],
			['delta', 'semgrep']
		] as const) {
			const found = await searchCatalogue(t.db, t.org.team(slug), query);
			const tool = found.tools.find((x) => x.toolId === query)!;
			const record = t.org.adoptions.find(
				(a) => a.teamId === t.org.team(slug) && a.toolId === query
			);
			expect(tool.state, `${slug} ${query}`).toBe(record?.state ?? 'not_used');
			const category = catalogue.tools.find((x) => x.id === query)!.category;
			expect(tool.category).toBe(categoryName.get(category));
		}
	});

	it('shows the first matches, names that start with the word first, and counts them all', async () => {
		const all = expected('s');
		const found = await searchCatalogue(t.db, t.org.team('alpha'), 's', 5);
		expect(found.total).toBe(all.length);
		expect(found.tools).toHaveLength(5);
		expect(found.tools.every((x) => all.includes(x.toolId))).toBe(true);
		expect(found.tools.every((x) => x.name.toLowerCase().startsWith('s'))).toBe(true);
	});

	it('reads text that looks like SQL or a LIKE pattern as plain text', async () => {
		for (const query of ['%', '_', '%%', "' or '1'='1", "'); drop table tool; --", '\\', '*']) {
			const found = await searchCatalogue(t.db, t.org.team('alpha'), query);
			expect(found, query).toEqual({ total: expected(query).length, tools: [] });
		}
		expect(await t.db.$count(table.tool)).toBe(catalogue.tools.length);
		// A blank search asks nothing.
		expect(await searchCatalogue(t.db, t.org.team('alpha'), '   ')).toEqual({
			total: 0,
			tools: []
		});
	});

	it('adding a tool from the search keeps the note the team wrote before', async () => {
		const team = t.org.team('delta');
		await setAdoption(t.db, ctx(), team, {
			toolId: 'trivy',
			state: 'not_used',
			since: null,
			note: 'tried in 2025'
		});
		expect((await listTeamAdoption(t.db, team, { inUseOnly: true })).map((x) => x.toolId)).toEqual(
			[]
		);
		await setAdoption(t.db, ctx(), team, { toolId: 'trivy', state: 'adopted', since: null });
		const [row] = await t.db
			.select()
			.from(table.toolAdoption)
			.where(and(eq(table.toolAdoption.teamId, team), eq(table.toolAdoption.toolId, 'trivy')));
		expect(row).toMatchObject({ state: 'adopted', note: 'tried in 2025' });
		const inUse = await listTeamAdoption(t.db, team, { inUseOnly: true });
		expect(inUse.map((x) => [x.toolId, x.state])).toEqual([['trivy', 'adopted']]);
	});

	it('lists the tools a team uses: any state but not used, archived teams’ records apart', async () => {
		for (const team of t.org.teams) {
			const inUse = await listTeamAdoption(t.db, team.id, { inUseOnly: true });
			const recorded = t.org.adoptions
				.filter((a) => a.teamId === team.id && a.state !== 'not_used')
				.map((a) => a.toolId);
			if (team.slug === 'delta') recorded.push('trivy');
			expect(inUse.map((x) => x.toolId).sort(), team.slug).toEqual(recorded.sort());
		}
	});
});
