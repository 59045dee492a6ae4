import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { rowsOf } from '$lib/server/db/rows';
import { takeTokens } from '$lib/server/http/request-budget';
import { readCycloneDx } from '$lib/server/findings/cyclonedx';
import { readSarif } from '$lib/server/findings/sarif';
import { generatedSarif } from '$lib/server/findings/testing/generated-sarif';
import { sampleNames, samplesDir } from '$lib/server/findings/testing/samples';
import { createToken, revokeToken } from '$lib/server/integrations/tokens';
import { openApiProblems } from '$lib/server/integrations/testing/openapi-check';
import { UPLOAD_LIMITS, uploadGate } from '$lib/server/integrations/upload-body';
import { UPLOAD_RATE } from '$lib/server/integrations/upload-rate';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { POST as postScans } from './scans/+server';
import { POST as postSboms } from './sboms/+server';
import { GET as getScan } from './scans/[id]/+server';

/*
 * The upload endpoints from a pipeline's side and an attacker's: real sample files go in and
 * come back counted; every refusal (401, 403, 400, 413, 415, 429, 503) is JSON, matches the
 * OpenAPI description, and leaves repositories, analyses, scans and findings exactly as they
 * were.
 */

type Handler = (event: never) => Promise<Response> | Response;

describe('uploads from a pipeline', () => {
	const t = testOrganisation();
	const tokens = {} as Record<
		'upload' | 'read' | 'revoked' | 'expired' | 'archived' | 'beta',
		{ id: string; token: string }
	>;

	beforeAll(async () => {
		const make = async (
			slug: 'alpha' | 'beta' | 'sunset',
			scopes: ('scans:write' | 'read')[],
			at = new Date()
		) =>
			createToken(
				t.db,
				{ actorId: t.org.adminId, ip: '' },
				t.org.team(slug),
				{ name: `${slug} ${scopes.join(' ')}`, scopes, expiresInDays: 7 },
				at
			);
		tokens.upload = await make('alpha', ['scans:write']);
		tokens.read = await make('alpha', ['read']);
		tokens.revoked = await make('alpha', ['scans:write', 'read']);
		await revokeToken(
			t.db,
			{ actorId: t.org.adminId, ip: '' },
			t.org.team('alpha'),
			tokens.revoked.id
		);
		tokens.expired = await make('alpha', ['scans:write'], new Date(Date.now() - 8 * 86_400_000));
		// Sunset is archived in the test organisation.
		tokens.archived = await make('sunset', ['scans:write', 'read']);
		tokens.beta = await make('beta', ['scans:write', 'read']);
	});
	afterAll(() => {
		expect(uploadGate.free).toBe(uploadGate.capacity);
	});
	// Each test starts with full upload buckets: the tests upload more than a pipeline may.
	beforeEach(async () => {
		await t.db.delete(table.requestBudget);
	});

	interface Send {
		token?: string | null;
		authorization?: string;
		query?: string;
		type?: string | null;
		encoding?: string;
		headers?: Record<string, string>;
	}
	const call = async (
		handler: Handler,
		path: string,
		body: BodyInit | null,
		opts: Send = {},
		params: Record<string, string> = {}
	) => {
		const url = new URL(`http://127.0.0.1${path}${opts.query ?? ''}`);
		const headers = new Headers(opts.headers);
		const token = opts.token === undefined ? tokens.upload.token : opts.token;
		if (opts.authorization) headers.set('authorization', opts.authorization);
		else if (token) headers.set('authorization', `Bearer ${token}`);
		if (opts.type !== null) headers.set('content-type', opts.type ?? 'application/sarif+json');
		if (opts.encoding) headers.set('content-encoding', opts.encoding);
		const request = new Request(url, {
			method: body === null ? 'GET' : 'POST',
			headers,
			body,
			...(body ? { duplex: 'half' } : {})
		} as RequestInit);
		const response = await handler({
			request,
			url,
			params,
			locals: { db: t.db, ip: '203.0.113.50', user: null, session: null }
		} as never);
		const text = await response.text();
		return { status: response.status, headers: response.headers, body: JSON.parse(text) };
	};
	const upload = (body: BodyInit, opts: Send = {}) =>
		call(postScans as Handler, '/api/v1/scans', body, {
			query: '?repository=payments/api&ref=refs/heads/main&commit=abc1234',
			...opts
		});
	const stored = async () =>
		rowsOf<Record<string, number>>(
			await t.db.execute(sql`select
				(select count(*)::int from code_repository) as repositories,
				(select count(*)::int from analysis) as analyses,
				(select count(*)::int from scan) as scans,
				(select count(*)::int from finding) as findings`)
		)[0]!;
	const file = (name: string) => readFileSync(samplesDir + name);

	describe('real scanner output', () => {
		for (const name of sampleNames().filter((n) => n.endsWith('.sarif'))) {
			it(`${name}: recorded, counted, and the same again adds nothing`, async () => {
				const report = readSarif(JSON.parse(file(name).toString('utf8')));
				const query = `?repository=samples/${name.replace('.sarif', '')}&ref=main`;
				const first = await upload(file(name), { query });
				expect(openApiProblems('/scans', 'post', first.status, first.body)).toEqual([]);
				const suppressed = report.findings.filter((f) => f.suppressed).length;
				if (!report.tools.length) {
					expect(first.status).toBe(200);
					expect(first.body).toMatchObject({ id: null, url: null, scans: [] });
					return;
				}
				expect(first.status).toBe(201);
				expect(first.headers.get('location')).toBe(first.body.url);
				expect(first.body.counts).toEqual({
					results: report.findings.length,
					new: report.findings.length - suppressed,
					reopened: 0,
					fixed: 0,
					unchanged: 0,
					suppressed
				});
				expect(first.body.file).toEqual({
					results: report.results,
					skipped: report.skipped,
					components: null
				});
				expect(first.body.tools.map((x: { name: string }) => x.name)).toEqual(
					report.tools.map((x) => x.name)
				);
				const again = await upload(file(name), { query });
				expect(again.status).toBe(201);
				expect(again.body.counts).toMatchObject({
					new: 0,
					fixed: 0,
					unchanged: report.findings.length - suppressed,
					suppressed
				});
				// The answer's address gives the same upload back.
				const id = again.body.id as string;
				const summary = await call(getScan as Handler, `/api/v1/scans/${id}`, null, {}, { id });
				expect(summary.status).toBe(200);
				expect(openApiProblems('/scans/{id}', 'get', 200, summary.body)).toEqual([]);
				expect(summary.body.counts).toEqual({
					results: report.findings.length,
					new: 0,
					fixed: 0,
					unchanged: report.findings.length - suppressed,
					suppressed
				});
			});
		}

		it('maps scanners to catalogue tools by name', async () => {
			const codeql = await upload(file('codeQL-output.sarif'), { query: '?repository=a/b' });
			expect(codeql.body.tools).toEqual([
				{
					name: 'CodeQL',
					version: expect.anything(),
					catalogueTool: { id: 'codeql', name: 'CodeQL' }
				}
			]);
			const two = await upload(file('appendix_k1_double.sarif'), { query: '?repository=a/b' });
			expect(two.body.scans.map((s: { tool: { name: string } }) => s.tool.name).sort()).toEqual([
				'CodeScanner',
				'OtherScanner'
			]);
			expect(
				two.body.tools.every((x: { catalogueTool: unknown }) => x.catalogueTool === null)
			).toBe(true);
		});

		it('a CycloneDX SBOM: components counted, vulnerabilities as findings, gzip taken', async () => {
			const bom = file('cyclonedx-log4j.json');
			const report = readCycloneDx(JSON.parse(bom.toString('utf8')));
			const result = await call(postSboms as Handler, '/api/v1/sboms', gzipSync(bom), {
				query: '?repository=payments/api',
				type: 'application/vnd.cyclonedx+json',
				encoding: 'gzip'
			});
			expect(result.status).toBe(201);
			expect(openApiProblems('/sboms', 'post', 201, result.body)).toEqual([]);
			expect(result.body).toMatchObject({
				format: 'cyclonedx',
				file: { components: 1 },
				counts: { results: report.findings.length, new: report.findings.length }
			});
			// A SARIF log is not an SBOM.
			const wrong = await call(
				postSboms as Handler,
				'/api/v1/sboms',
				file('gitleaks_7.5.0.sarif'),
				{
					query: '?repository=payments/api',
					type: 'application/json'
				}
			);
			expect(wrong.status).toBe(400);
			expect(wrong.body.message).toMatch(/CycloneDX/);
		});
	});

	describe('refused uploads store nothing', () => {
		const small = () => file('gitleaks_7.5.0.sarif');
		const refusals: [
			string,
			() => Promise<{ status: number; body: { error: string; message: string } }>,
			number
		][] = [
			['no token', () => upload(small(), { token: null }), 401],
			['an unknown token', () => upload(small(), { token: 'rampart_pat_' + 'a'.repeat(40) }), 401],
			[
				'a token in the wrong scheme',
				() => upload(small(), { authorization: `Basic ${tokens.upload.token}` }),
				401
			],
			['a read-only token', () => upload(small(), { token: tokens.read.token }), 403],
			['a revoked token', () => upload(small(), { token: tokens.revoked.token }), 403],
			['an expired token', () => upload(small(), { token: tokens.expired.token }), 403],
			['an archived team’s token', () => upload(small(), { token: tokens.archived.token }), 403],
			['text/plain', () => upload(small(), { type: 'text/plain' }), 415],
			['a form', () => upload(small(), { type: 'application/x-www-form-urlencoded' }), 415],
			['no content type', () => upload(small(), { type: null }), 415],
			['brotli', () => upload(small(), { encoding: 'br' }), 415],
			['no repository', () => upload(small(), { query: '?ref=main' }), 400],
			['a repository that climbs', () => upload(small(), { query: '?repository=../../etc' }), 400],
			['a bad ref', () => upload(small(), { query: '?repository=a/b&ref=a..b' }), 400],
			['a bad commit', () => upload(small(), { query: '?repository=a/b&commit=nothex' }), 400],
			[
				'a relative checkout directory',
				() => upload(small(), { query: '?repository=a/b&checkout=work/api' }),
				400
			],
			[
				'a NUL in the category',
				() => upload(small(), { query: '?repository=a/b&category=a%00b' }),
				400
			],
			['not JSON', () => upload('{"version": "2.1.0", "runs": ['), 400],
			['JSON but not SARIF', () => upload('{"hello": "world"}'), 400],
			['SARIF 2.0.0', () => upload('{"version": "2.0.0", "runs": []}'), 400],
			['a JSON array', () => upload('[]'), 400],
			['an empty body', () => upload(''), 400],
			['not UTF-8', () => upload(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 400],
			['gzip that is not gzip', () => upload(small(), { encoding: 'gzip' }), 400]
		];
		for (const [what, send, status] of refusals) {
			it(`${what}: ${status}`, async () => {
				const before = await stored();
				const result = await send();
				expect(result.status).toBe(status);
				expect(result.body.error).toEqual(expect.any(String));
				expect(result.body.message).toEqual(expect.any(String));
				expect(openApiProblems('/scans', 'post', status, result.body)).toEqual([]);
				expect(await stored()).toEqual(before);
			});
		}

		it('401 and 403 say how to authenticate', async () => {
			const none = await call(postScans as Handler, '/api/v1/scans', small(), { token: null });
			expect(none.headers.get('www-authenticate')).toBe('Bearer realm="rampart"');
			const scope = await upload(small(), { token: tokens.read.token });
			expect(scope.headers.get('www-authenticate')).toContain('insufficient_scope');
			expect(scope.body.message).toContain('scans:write');
		});

		it('a body over the limit as sent: 413', async () => {
			const before = await stored();
			const big = new Uint8Array(UPLOAD_LIMITS.compressedBytes + 1).fill(0x20);
			const result = await upload(big);
			expect(result.status).toBe(413);
			expect(openApiProblems('/scans', 'post', 413, result.body)).toEqual([]);
			expect(await stored()).toEqual(before);
		});

		it('a gzip bomb stops at the decompressed limit: 413, and its memory is given back', async () => {
			const before = await stored();
			const bomb = gzipSync(Buffer.alloc(UPLOAD_LIMITS.bytes + 8 * 1024 * 1024, 0x20));
			expect(bomb.byteLength).toBeLessThan(UPLOAD_LIMITS.compressedBytes);
			const result = await upload(bomb, { encoding: 'gzip' });
			expect(result.status).toBe(413);
			expect(result.body.message).toMatch(/decompressed/);
			expect(uploadGate.free).toBe(uploadGate.capacity);
			expect(await stored()).toEqual(before);
		});

		it('429 when the token or the team has uploaded too often, with Retry-After', async () => {
			const before = await stored();
			const drained = await takeTokens(
				t.db,
				UPLOAD_RATE.token,
				`upload:token:${tokens.beta.id}`,
				UPLOAD_RATE.token.burst
			);
			expect(drained.granted).toBe(true);
			const token = await upload(small(), { token: tokens.beta.token });
			expect(token.status).toBe(429);
			expect(Number(token.headers.get('retry-after'))).toBeGreaterThan(0);
			expect(token.body.message).toMatch(/token/);
			expect(openApiProblems('/scans', 'post', 429, token.body)).toEqual([]);
			// Another token of the same team is not held back by this one's bucket, but by the team's.
			const other = await createToken(
				t.db,
				{ actorId: t.org.adminId, ip: '' },
				t.org.team('beta'),
				{
					name: 'second',
					scopes: ['scans:write'],
					expiresInDays: 7
				}
			);
			await takeTokens(
				t.db,
				UPLOAD_RATE.team,
				`upload:team:${t.org.team('beta')}`,
				UPLOAD_RATE.team.burst
			);
			const team = await upload(small(), { token: other.token });
			expect(team.status).toBe(429);
			expect(team.body.message).toMatch(/team/);
			expect(await stored()).toEqual(before);
		});

		it('503 with Retry-After while other uploads hold the memory, nothing stored', async () => {
			const before = await stored();
			const held = uploadGate.lease();
			expect(held.take(uploadGate.capacity - 1000)).toBe(true);
			try {
				const result = await upload(small());
				expect(result.status).toBe(503);
				expect(result.headers.get('retry-after')).toBe('5');
				expect(openApiProblems('/scans', 'post', 503, result.body)).toEqual([]);
			} finally {
				held.release();
			}
			expect(await stored()).toEqual(before);
			expect((await upload(small())).status).toBe(201);
		});
	});

	describe('the upload’s address', () => {
		it('answers the token’s own team only', async () => {
			const made = await upload(file('gitleaks_7.5.0.sarif'), { query: '?repository=x/y' });
			const id = made.body.id as string;
			const get = (token: string) =>
				call(getScan as Handler, `/api/v1/scans/${id}`, null, { token }, { id });
			expect((await get(tokens.read.token)).status).toBe(200);
			const other = await get(tokens.beta.token);
			expect(other.status).toBe(404);
			expect(openApiProblems('/scans/{id}', 'get', 404, other.body)).toEqual([]);
			expect((await get(tokens.revoked.token)).status).toBe(403);
			const bad = await call(getScan as Handler, '/api/v1/scans/x', null, {}, { id: 'x' });
			expect(bad.status).toBe(404);
		});
	});

	describe('10,000 results', () => {
		it('go in gzipped within the limits, and again with nothing new', async () => {
			const log = JSON.stringify(generatedSarif(10_000));
			const body = gzipSync(log);
			const query = '?repository=big/one&ref=main';
			const started = performance.now();
			const first = await upload(body, { query, encoding: 'gzip' });
			const ms = performance.now() - started;
			expect(first.status).toBe(201);
			expect(first.body.counts).toMatchObject({ results: 10_000, new: 8_000, suppressed: 2_000 });
			const again = await upload(body, { query, encoding: 'gzip' });
			expect(again.body.counts).toMatchObject({ new: 0, unchanged: 8_000, suppressed: 2_000 });
			const open = await t.db.$count(table.finding, sql`${table.finding.state} = 'open'`);
			expect(open).toBeGreaterThanOrEqual(10_000);
			expect(ms).toBeLessThan(20_000);
		});
	});
});
