import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { dismissFinding, restoreFinding } from '$lib/server/findings/dismiss';
import { recordUpload } from '$lib/server/findings/record';
import type { ReportedFinding, ScanReport, Severity } from '$lib/server/findings/scan-report';
import { openApiDocument } from '$lib/server/integrations/openapi';
import { openApiProblems } from '$lib/server/integrations/testing/openapi-check';
import { createToken } from '$lib/server/integrations/tokens';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { GET as getOpenApi } from './openapi.json/+server';
import { GET as getFindings } from './teams/[slug]/findings/+server';
import { GET as getScores } from './teams/[slug]/scores/+server';
import { GET as getTools } from './teams/[slug]/tools/+server';

/*
 * The read API with real data: each answer matches the OpenAPI description, and each figure
 * matches one counted here another way, with rows that must not be counted (another team's,
 * fixed, suppressed, dismissed, on another branch).
 */

type Handler = (event: never) => Promise<Response> | Response;

const tool = (name: string) => ({ name, version: '1' });
function found(key: string, name: string, severity: Severity, suppressed = false): ReportedFinding {
	return {
		key: `${name}-${key}-`.padEnd(64, '0'),
		tool: tool(name),
		ruleId: `r-${key}`,
		ruleName: null,
		severity,
		message: `<b>${key}</b>`,
		help: null,
		location: { path: `src/${key}.ts`, startLine: 1, endLine: null },
		suppressed: suppressed ? { kind: 'external', justification: null } : null
	};
}
const report = (findings: ReportedFinding[], names: string[]): ScanReport => ({
	format: 'sarif',
	tools: names.map(tool),
	findings,
	results: findings.length,
	skipped: 0,
	components: null
});

describe('the read API', () => {
	const t = testOrganisation();
	let alphaRead: string;
	let alphaUpload: string;
	let betaRead: string;

	beforeAll(async () => {
		const ctx = { actorId: t.org.adminId, ip: '' };
		const make = async (slug: 'alpha' | 'beta', scopes: ('read' | 'scans:write')[]) =>
			(
				await createToken(t.db, ctx, t.org.team(slug), {
					name: scopes.join(),
					scopes,
					expiresInDays: 7
				})
			).token;
		alphaRead = await make('alpha', ['read']);
		alphaUpload = await make('alpha', ['scans:write']);
		betaRead = await make('beta', ['read']);
		const up = (slug: 'alpha' | 'beta', r: ScanReport, ref: string, repository = 'payments/api') =>
			recordUpload(t.db, {
				teamId: t.org.team(slug),
				tokenId: null,
				repository,
				ref,
				commit: null,
				category: null,
				report: r
			});
		// Alpha: Semgrep (a catalogue name) finds five, one later fixed; a scanner no tool claims
		// finds two, one suppressed; a branch upload adds nothing; Beta has findings of its own.
		await up(
			'alpha',
			report(
				[
					found('a', 'Semgrep', 'critical'),
					found('b', 'Semgrep', 'high'),
					found('c', 'Semgrep', 'high'),
					found('d', 'Semgrep', 'low'),
					found('e', 'Semgrep', 'medium')
				],
				['Semgrep']
			),
			'main'
		);
		await up(
			'alpha',
			report(
				[
					found('a', 'Semgrep', 'critical'),
					found('b', 'Semgrep', 'high'),
					found('c', 'Semgrep', 'high'),
					found('d', 'Semgrep', 'low')
				],
				['Semgrep']
			),
			'refs/heads/main'
		);
		await up(
			'alpha',
			report(
				[found('x', 'In-house Scanner', 'high'), found('y', 'In-house Scanner', 'high', true)],
				['In-house Scanner']
			),
			'main',
			'payments/web'
		);
		await up('alpha', report([found('z', 'Semgrep', 'critical')], ['Semgrep']), 'feature/x');
		await up('beta', report([found('q', 'Gitleaks', 'high')], ['Gitleaks']), 'main');
		const [d] = await t.db
			.select({ id: table.finding.id })
			.from(table.finding)
			.where(eq(table.finding.ruleId, 'r-d'));
		expect(
			await dismissFinding(
				t.db,
				{ actorId: t.org.user('Ann'), ip: '' },
				t.org.team('alpha'),
				d!.id,
				'Test code only'
			)
		).toBe(true);
	});

	const get = async (
		handler: Handler,
		path: string,
		token: string | null,
		params: Record<string, string>
	) => {
		const url = new URL(`http://127.0.0.1${path}`);
		const headers = new Headers(token ? { authorization: `Bearer ${token}` } : {});
		const response = await handler({
			request: new Request(url, { headers }),
			url,
			params,
			locals: { db: t.db, ip: '203.0.113.8', user: null, session: null }
		} as never);
		return { status: response.status, body: await response.json() };
	};

	it('scores: one entry per assessment of the team, as stored, oldest cycle first', async () => {
		const res = await get(getScores as Handler, '/api/v1/teams/alpha/scores', alphaRead, {
			slug: 'alpha'
		});
		expect(res.status).toBe(200);
		expect(openApiProblems('/teams/{slug}/scores', 'get', 200, res.body)).toEqual([]);
		const stored = await t.db
			.select({ score: table.assessment.score, cycle: table.cycle.name })
			.from(table.assessment)
			.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
			.where(eq(table.assessment.teamId, t.org.team('alpha')));
		expect(
			res.body.cycles.map((c: { cycle: string; score: number | null }) => [c.cycle, c.score])
		).toEqual(stored.sort((a, b) => a.cycle.localeCompare(b.cycle)).map((s) => [s.cycle, s.score]));
		expect(res.body.cycles.map((c: { status: string }) => c.status)).toEqual([
			'approved',
			'submitted'
		]);
	});

	it('open findings: not fixed, suppressed, dismissed, on a branch or another team’s; most severe first', async () => {
		const res = await get(getFindings as Handler, '/api/v1/teams/alpha/findings', alphaRead, {
			slug: 'alpha'
		});
		expect(res.status).toBe(200);
		expect(openApiProblems('/teams/{slug}/findings', 'get', 200, res.body)).toEqual([]);
		const counted = await t.db.$count(
			table.finding,
			and(
				eq(table.finding.teamId, t.org.team('alpha')),
				eq(table.finding.state, 'open'),
				eq(table.finding.suppressed, false),
				isNull(table.finding.dismissedAt)
			)
		);
		expect(counted).toBe(4);
		expect(res.body.total).toBe(counted);
		expect(res.body.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual([
			'r-a',
			'r-b',
			'r-c',
			'r-x'
		]);
		expect(res.body.findings[0]).toMatchObject({
			severity: 'critical',
			repository: 'payments/api',
			tool: 'Semgrep',
			message: '<b>a</b>',
			path: 'src/a.ts'
		});
		const high = await get(
			getFindings as Handler,
			'/api/v1/teams/alpha/findings?severity=high&limit=2&offset=1',
			alphaRead,
			{
				slug: 'alpha'
			}
		);
		expect(high.body).toMatchObject({ total: 3, limit: 2, offset: 1 });
		expect(high.body.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['r-c', 'r-x']);
		// A dismissal taken back counts again.
		const [d] = await t.db
			.select({ id: table.finding.id })
			.from(table.finding)
			.where(eq(table.finding.ruleId, 'r-d'));
		await restoreFinding(t.db, { actorId: t.org.user('Ann'), ip: '' }, t.org.team('alpha'), d!.id);
		const again = await get(getFindings as Handler, '/api/v1/teams/alpha/findings', alphaRead, {
			slug: 'alpha'
		});
		expect(again.body.total).toBe(5);
		await dismissFinding(
			t.db,
			{ actorId: t.org.user('Ann'), ip: '' },
			t.org.team('alpha'),
			d!.id,
			'Test code only'
		);
		for (const bad of ['?limit=0', '?limit=1001', '?limit=x', '?offset=-1', '?severity=urgent']) {
			const res = await get(
				getFindings as Handler,
				`/api/v1/teams/alpha/findings${bad}`,
				alphaRead,
				{
					slug: 'alpha'
				}
			);
			expect(res.status, bad).toBe(400);
			expect(openApiProblems('/teams/{slug}/findings', 'get', 400, res.body)).toEqual([]);
		}
	});

	it('tools: recorded adoption with the runs pipelines gave, and scanners no tool claims', async () => {
		const res = await get(getTools as Handler, '/api/v1/teams/alpha/tools', alphaRead, {
			slug: 'alpha'
		});
		expect(res.status).toBe(200);
		expect(openApiProblems('/teams/{slug}/tools', 'get', 200, res.body)).toEqual([]);
		const byId = new Map(res.body.tools.map((x: { toolId: string }) => [x.toolId, x]));
		expect(byId.get('semgrep')).toMatchObject({ state: 'enforced', name: 'Semgrep' });
		// Its newest run was the feature branch upload.
		expect((byId.get('semgrep') as { runs: unknown[] }).runs).toEqual([
			expect.objectContaining({
				repository: 'payments/api',
				ref: 'feature/x',
				defaultBranch: false
			})
		]);
		expect(byId.get('gitleaks')).toMatchObject({ state: 'adopted', runs: [] });
		expect(res.body.unmapped).toEqual([
			expect.objectContaining({ scanner: 'In-house Scanner', repository: 'payments/web' })
		]);
		// Beta's Gitleaks run is Beta's.
		const beta = await get(getTools as Handler, '/api/v1/teams/beta/tools', betaRead, {
			slug: 'beta'
		});
		const gitleaks = beta.body.tools.find((x: { toolId: string }) => x.toolId === 'gitleaks');
		expect(gitleaks).toMatchObject({
			state: null,
			runs: [expect.objectContaining({ scanner: 'Gitleaks' })]
		});
	});

	it('refuses another team, an upload-only token and no token', async () => {
		for (const [handler, path] of [
			[getScores, '/teams/{slug}/scores'],
			[getFindings, '/teams/{slug}/findings'],
			[getTools, '/teams/{slug}/tools']
		] as const) {
			const url = `/api/v1${path.replace('{slug}', 'alpha')}`;
			const other = await get(handler as Handler, url, betaRead, { slug: 'alpha' });
			expect(other.status, url).toBe(403);
			expect(other.body.reason).toBe('team');
			expect(JSON.stringify(other.body)).not.toMatch(/r-a|Semgrep/);
			expect((await get(handler as Handler, url, alphaUpload, { slug: 'alpha' })).status).toBe(403);
			const none = await get(handler as Handler, url, null, { slug: 'alpha' });
			expect(none.status).toBe(401);
			expect(openApiProblems(path, 'get', 401, none.body)).toEqual([]);
		}
	});

	it('serves its OpenAPI description, which names every API route there is', async () => {
		const res = await (getOpenApi as Handler)({
			url: new URL('http://127.0.0.1/api/v1/openapi.json'),
			locals: {}
		} as never);
		const doc = await res.json();
		expect(doc.openapi).toBe('3.1.0');
		// The check is not vacuous: a missing field, an extra one or a wrong type is reported.
		expect(openApiProblems('/teams/{slug}/findings', 'get', 200, { team: 'alpha' })).not.toEqual(
			[]
		);
		expect(
			openApiProblems('/scans', 'post', 400, { error: 'bad_request', message: 'x', extra: 1 })
		).not.toEqual([]);
		expect(
			openApiProblems('/scans', 'post', 400, { error: 'bad_request', message: 3 })
		).not.toEqual([]);
		expect(openApiProblems('/scans', 'post', 418, {})).not.toEqual([]);
		expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
		const routes = Object.keys(import.meta.glob('./**/+server.ts'))
			.map((f) =>
				f
					.replace(/^\.\//, '/')
					.replace(/\/\+server\.ts$/, '')
					.replace(/\[(\w+)\]/g, '{$1}')
			)
			.filter((p) => p !== '/openapi.json')
			.sort();
		expect(Object.keys(doc.paths).sort()).toEqual(routes);
	});
});
