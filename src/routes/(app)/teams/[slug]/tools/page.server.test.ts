import { describe, expect, it } from 'vitest';
import * as table from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { refusedStatus } from '$lib/server/http/request-text';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import type { PersonName, TeamSlug } from '$lib/server/testing/organisation';
import { actions, load } from './+page.server';
import type { PageServerData } from './$types';

/*
 * The team tools page from the attacker's side: the search query is text and nothing else, and
 * adding a tool is refused to those who may not edit the team, with nothing stored.
 */
describe('a team’s tools page: the search and adding a tool', () => {
	const t = testOrganisation();
	const person = (name: PersonName, role: SessionUser['role'] = 'member'): SessionUser => {
		const u = t.org.users.find((x) => x.name === name)!;
		return { id: u.id, email: u.email, name: u.name, role };
	};
	const url = (slug: TeamSlug, search = '') =>
		new URL(`http://127.0.0.1/teams/${slug}/tools${search}`);

	const open = async (user: SessionUser, slug: TeamSlug, search = '') =>
		(await load({
			locals: { db: t.db, user },
			params: { slug },
			url: url(slug, search)
		} as never)) as PageServerData;

	const add = async (user: SessionUser, slug: TeamSlug, fields: Record<string, string>) => {
		const body = new FormData();
		for (const [k, v] of Object.entries(fields)) body.append(k, v);
		const event = {
			locals: { db: t.db, user, ip: '203.0.113.7' },
			params: { slug },
			url: url(slug, '?/add'),
			request: new Request(url(slug, '?/add'), { method: 'POST', body })
		};
		try {
			return await (actions.add as (e: never) => Promise<unknown>)(event as never);
		} catch (e) {
			return e; // SvelteKit's error(): { status, body }
		}
	};
	const adoptions = async () =>
		(await t.db.select().from(table.toolAdoption)).map((r) => JSON.stringify(r)).sort();

	it('shows the tools the team uses by default and every tool with ?all', async () => {
		const ann = person('Ann');
		const page = await open(ann, 'alpha');
		const mine = t.org.adoptions
			.filter((a) => a.teamId === t.org.team('alpha') && a.state !== 'not_used')
			.map((a) => a.toolId)
			.sort();
		expect(page.tools.map((x) => x.toolId).sort()).toEqual(mine);
		expect(page.search).toEqual({ q: '', error: null, result: null });
		const all = await open(ann, 'alpha', '?all');
		expect(all.showAll).toBe(true);
		expect(all.tools.length).toBe(all.catalogueSize);
		// Gamma records Gitleaks as not used: it is not one of the tools Gamma uses.
		const gamma = await open(person('Fay'), 'gamma');
		expect(gamma.tools.map((x) => x.toolId)).toEqual(['codeql']);
	});

	it('treats a query as text: injection-like text finds nothing, markup comes back as typed', async () => {
		const ann = person('Ann');
		for (const q of ["' or 1=1 --", '%', '<script>alert(1)</script>']) {
			const page = await open(ann, 'alpha', `?q=${encodeURIComponent(q)}`);
			expect(page.search.q, q).toBe(q);
			expect(page.search.error, q).toBeNull();
			expect(page.search.result, q).toEqual({ total: 0, tools: [] });
		}
		const found = await open(ann, 'alpha', '?q=semgrep');
		expect(found.search.result!.tools.map((x) => [x.toolId, x.state])).toEqual([
			['semgrep', 'enforced']
		]);
	});

	it('refuses control characters in the query before any route runs, and direction overrides in the field', async () => {
		for (const q of ['sem%00grep', 'sem%07grep', 'sem%0Agrep', 'sem%C2%9Bgrep', 'sem%ZZ'])
			expect(refusedStatus(url('alpha', `?q=${q}`)), q).toBe(400);
		expect(refusedStatus(url('alpha', '?q=semgrep%20scan'))).toBeNull();
		const page = await open(person('Ann'), 'alpha', `?q=${encodeURIComponent('x'.repeat(101))}`);
		expect(page.search.error).toMatch(/at most 100/);
		expect(page.search.result).toBeNull();
	});

	it('adds a tool for a member of the team, keeping its state and auditing it', async () => {
		const before = await t.db.$count(table.auditLog);
		const result = await add(person('Bo'), 'alpha', { toolId: 'trivy', state: 'evaluating' });
		expect(result).toMatchObject({ action: 'add', target: 'trivy', added: 'evaluating' });
		const page = await open(person('Bo'), 'alpha', '?q=trivy');
		expect(page.tools.find((x) => x.toolId === 'trivy')?.state).toBe('evaluating');
		expect(page.search.result!.tools[0]).toMatchObject({ toolId: 'trivy', state: 'evaluating' });
		expect(await t.db.$count(table.auditLog)).toBe(before + 1);
	});

	it('refuses outsiders, readers and bad values, and stores nothing', async () => {
		const before = await adoptions();
		// Ann leads Alpha, not Gamma: Gamma does not exist for her.
		expect(await add(person('Ann'), 'gamma', { toolId: 'trivy', state: 'adopted' })).toMatchObject({
			status: 404
		});
		// Leadership sees every team but edits none.
		expect(
			await add(person('Eve', 'leadership'), 'alpha', { toolId: 'trivy', state: 'adopted' })
		).toMatchObject({ status: 403 });
		const refused: Record<string, string>[] = [
			{ toolId: 'trivy', state: 'not_used' },
			{ toolId: 'trivy', state: 'loved' },
			{ toolId: 'no-such-tool', state: 'adopted' },
			{ toolId: "trivy'; drop table tool; --", state: 'adopted' },
			{ toolId: 'trivy' }
		];
		for (const fields of refused) {
			const result = await add(person('Ann'), 'alpha', fields);
			expect(result, JSON.stringify(fields)).toMatchObject({ status: 400 });
		}
		expect(await adoptions()).toEqual(before);
	});
});
