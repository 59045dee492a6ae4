import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { render } from 'svelte/server';
import * as table from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { recordUpload } from '$lib/server/findings/record';
import { ranWithoutFindings } from '$lib/server/findings/testing/runs';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import type { PersonName, TeamSlug } from '$lib/server/testing/organisation';
import { actions, load } from './+page.server';
import PipelineTools from './PipelineTools.svelte';

/*
 * A team's tools against its pipelines: Alpha records Semgrep as enforced and its pipelines
 * upload only Grype; Gamma records Gitleaks as not used while its pipelines run it. The update
 * offered is the catalogue's own add action (policy and audit included).
 */
describe('the team tools page shows what the pipelines show', () => {
	const t = testOrganisation();
	const DAY = 86_400_000;
	const person = (name: PersonName): SessionUser => {
		const u = t.org.users.find((x) => x.name === name)!;
		return { id: u.id, email: u.email, name: u.name, role: 'member' };
	};
	const url = (slug: TeamSlug, search = '') =>
		new URL(`http://127.0.0.1/teams/${slug}/tools${search}`);
	type Data = { pipeline: { maxAgeDays: number; tools: Record<string, unknown>[] } };
	const open = async (user: SessionUser, slug: TeamSlug) =>
		(await load({ locals: { db: t.db, user }, params: { slug }, url: url(slug) } as never)) as Data;
	const upload = (slug: TeamSlug, repository: string, ref: string, days: number, tool: string) =>
		recordUpload(
			t.db,
			{
				teamId: t.org.team(slug),
				tokenId: null,
				repository,
				ref,
				commit: null,
				category: null,
				report: ranWithoutFindings(tool)
			},
			new Date(Date.now() - days * DAY - 60_000)
		);

	it('says when and where each tool last ran, and flags enforced tools that did not', async () => {
		await upload('alpha', 'payments/api', 'refs/heads/main', 2, 'Grype');
		await upload('alpha', 'payments/web', 'refs/pull/9/merge', 5, 'Grype');
		await upload('alpha', 'payments/api', 'main', 45, 'Gitleaks');
		const page = await open(person('Ann'), 'alpha');
		expect(page.pipeline.maxAgeDays).toBe(30);
		expect(page.pipeline.tools).toEqual([
			{
				toolId: 'gitleaks',
				name: 'Gitleaks',
				state: 'adopted',
				lastRun: { daysAgo: 45, repository: 'payments/api', ref: 'main' },
				check: null
			},
			{
				toolId: 'grype',
				name: 'Grype',
				state: null,
				lastRun: { daysAgo: 2, repository: 'payments/api', ref: 'main' },
				check: 'unrecorded'
			},
			{ toolId: 'semgrep', name: 'Semgrep', state: 'enforced', lastRun: null, check: 'stale' }
		]);
		const text = render(PipelineTools, {
			props: { evidence: page.pipeline as never, editable: false }
		})
			.body.replace(/<!--[^>]*-->/g, '')
			.replace(/<[^>]+>/g, '')
			.replace(/\s+/g, ' ');
		expect(text).toContain(
			'Grype (not recorded): last ran in a pipeline 2 days ago (payments/api, main). Update? it runs, but is not recorded.'
		);
		expect(text).toContain(
			'Semgrep (enforced in the pipeline): no run uploaded from a pipeline. Check: recorded as enforced, but no run in the last 30 days.'
		);
		// Readers get no update button.
		expect(text).not.toContain('Record Grype');
	});

	it('offers a tool that runs but is recorded as not used as a one-click update, through the add action', async () => {
		await upload('gamma', 'platform/infra', 'main', 1, 'Gitleaks');
		const fay = person('Fay');
		const page = await open(fay, 'gamma');
		const gitleaks = page.pipeline.tools.find((x) => x.toolId === 'gitleaks');
		expect(gitleaks).toMatchObject({ state: 'not_used', check: 'unrecorded' });
		const html = render(PipelineTools, {
			props: { evidence: page.pipeline as never, editable: true }
		}).body;
		expect(html).toMatch(/<form method="POST" action="\?\/add"/);
		expect(html).toContain('<input type="hidden" name="toolId" value="gitleaks"');
		expect(html).toMatch(
			/<button type="submit" name="state" value="adopted"[^>]*>Record Gitleaks as adopted/
		);

		const audits = await t.db.$count(table.auditLog);
		const body = new FormData();
		body.append('toolId', 'gitleaks');
		body.append('state', 'adopted');
		const result = await (actions.add as (e: never) => Promise<unknown>)({
			locals: { db: t.db, user: fay, ip: '203.0.113.7' },
			params: { slug: 'gamma' },
			url: url('gamma', '?/add'),
			request: new Request(url('gamma', '?/add'), { method: 'POST', body })
		} as never);
		expect(result).toMatchObject({ action: 'add', target: 'gitleaks', added: 'adopted' });
		const [row] = await t.db
			.select({ state: table.toolAdoption.state })
			.from(table.toolAdoption)
			.where(
				and(
					eq(table.toolAdoption.teamId, t.org.team('gamma')),
					eq(table.toolAdoption.toolId, 'gitleaks')
				)
			);
		expect(row?.state).toBe('adopted');
		expect(await t.db.$count(table.auditLog)).toBe(audits + 1);
		expect(
			(await open(fay, 'gamma')).pipeline.tools.find((x) => x.toolId === 'gitleaks')
		).toMatchObject({
			state: 'adopted',
			check: null
		});
	});

	it('shows another team none of these scans', async () => {
		const page = await open(person('Gus'), 'delta');
		expect(page.pipeline.tools).toEqual([]);
	});
});
