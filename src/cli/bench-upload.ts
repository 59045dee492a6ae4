// The upload side of `npm run bench`: pipelines posting SARIF to /api/v1/scans with team tokens.
// Setup makes the tokens through the tokens module before the server starts; the `upload` route
// posts the real CodeQL sample (562 KB, 72 results) under load; a one-off posts a generated log of
// 10,000 results while a page is timed, and reads the server's peak RSS. Everything the bench
// uploads goes to repositories named `bench/…`, removed again afterwards (and before, should a
// run have stopped halfway), so the scale database's own figures stay as seeded.
/* eslint-disable security/detect-non-literal-fs-filename -- one fixed sample file beside the repository */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { asc, eq, like } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import { openDatabase } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { createToken } from '$lib/server/integrations/tokens';
import { generatedSarif } from '$lib/server/findings/testing/generated-sarif';

const BENCH_REPOSITORY = 'bench/upload';
const LARGE_REPOSITORY = 'bench/large';
const TOKEN_NAME = 'bench upload';

/**
 * Each token may upload 30 at once and 30 a minute after that, each team 60 (upload-rate.ts):
 * one token for each of this many teams covers a 10 s run at well over 100 uploads a second.
 */
export const UPLOAD_TEAMS = 60;

/** The real CodeQL sample (tests/fixtures/sarif-samples); a generated log of as many results if it is missing. */
export function uploadBody(root: string): { body: string; source: string } {
	const file = path.resolve(root, 'tests/fixtures/sarif-samples/codeQL-output.sarif');
	if (existsSync(file)) return { body: readFileSync(file, 'utf8'), source: 'codeQL-output.sarif' };
	return { body: JSON.stringify(generatedSarif(72)), source: 'a generated log of 72 results' };
}

/** Removes what earlier bench runs uploaded and their tokens. */
async function removeBenchData(db: Database) {
	await db.delete(table.codeRepository).where(like(table.codeRepository.name, 'bench/%'));
	await db.delete(table.apiToken).where(eq(table.apiToken.name, TOKEN_NAME));
}

/**
 * Tokens (scope `scans:write`), one for each of up to `teams` active teams for the route and one
 * of another team for the one-off large upload, made as the admin `actorEmail`.
 */
export async function createUploadTokens(
	opts: { url?: string; dataDir: string },
	actorEmail: string,
	teams = UPLOAD_TEAMS
): Promise<{ route: string[]; large: string }> {
	const handle = await openDatabase({ url: opts.url, dataDir: opts.dataDir, maxConnections: 1 });
	try {
		const db = handle.db;
		await removeBenchData(db);
		const [admin] = await db
			.select({ id: table.user.id })
			.from(table.user)
			.where(eq(table.user.email, actorEmail));
		if (!admin) throw new Error(`No user ${actorEmail} to make the upload tokens.`);
		const rows = await db
			.select({ id: table.team.id })
			.from(table.team)
			.where(eq(table.team.active, true))
			.orderBy(asc(table.team.slug))
			.limit(teams + 1);
		if (rows.length < 2) throw new Error('The upload benchmark needs at least two teams.');
		const tokens: string[] = [];
		for (const team of rows) {
			const made = await createToken(db, { actorId: admin.id, ip: '127.0.0.1' }, team.id, {
				name: TOKEN_NAME,
				scopes: ['scans:write'],
				expiresInDays: 1
			});
			tokens.push(made.token);
		}
		return { route: tokens.slice(0, -1), large: tokens.at(-1)! };
	} finally {
		await handle.close();
	}
}

/** Leaves the database as the bench found it: no bench repositories (their scans and findings), no tokens. */
export async function removeBenchUploads(opts: { url?: string; dataDir: string }) {
	const handle = await openDatabase({ url: opts.url, dataDir: opts.dataDir, maxConnections: 1 });
	try {
		await removeBenchData(handle.db);
	} finally {
		await handle.close();
	}
}

const scansPath = (repository: string, commit: string) =>
	`/api/v1/scans?${new URLSearchParams({ repository, ref: 'refs/heads/main', commit })}`;

/** Two commits, alternated: each upload is a new scan of the same code (the unchanged path). */
const COMMITS = ['a'.repeat(40), 'b'.repeat(40)];

interface UploadRequest {
	method?: string;
	path?: string;
	headers?: Record<string, string>;
	body?: string;
	setupRequest?: (req: UploadRequest) => UploadRequest;
}

/**
 * The `upload` route's connections: the same log each time, round-robin over the tokens (so no
 * token or team runs out of uploads), alternating two commits.
 */
export function uploadClients(tokens: readonly string[], body: string) {
	let n = 0;
	const next = (req: UploadRequest): UploadRequest => {
		const i = n++;
		return {
			...req,
			method: 'POST',
			path: scansPath(BENCH_REPOSITORY, COMMITS[i % 2]!),
			headers: {
				'content-type': 'application/sarif+json',
				authorization: `Bearer ${tokens[i % tokens.length]}`
			},
			body
		};
	};
	return (client: { setRequests(requests: UploadRequest[]): void }) =>
		client.setRequests([{ method: 'POST', setupRequest: next }]);
}

export interface LargeUploadFigures {
	results: number;
	bodyMb: number;
	/** From sending the body to the 201. */
	ms: number;
	status: number;
	newFindings: number | null;
	/** The server's peak RSS (kernel VmHWM, reset just before) during the upload. */
	peakRssMb: number;
	/** A page's latency: alone (one request after another), then started every 100 ms while the upload runs. */
	page: { path: string; alone: PageLatency; duringUpload: PageLatency };
}

export interface PageLatency {
	requests: number;
	p50: number;
	p95: number;
	max: number;
}

function latency(ms: number[]): PageLatency {
	const sorted = [...ms].sort((a, b) => a - b);
	const at = (q: number) =>
		Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! * 10) / 10;
	return { requests: sorted.length, p50: at(0.5), p95: at(0.95), max: at(1) };
}

async function timePage(origin: string, pagePath: string, cookie: string): Promise<number> {
	const t0 = performance.now();
	const res = await fetch(`${origin}${pagePath}`, { headers: { cookie } });
	await res.arrayBuffer();
	if (!res.ok) throw new Error(`${pagePath} answered ${res.status} during the upload benchmark.`);
	return performance.now() - t0;
}

/**
 * Posts one generated log of `results` results and times a signed-in user's page: alone
 * (`aloneRequests` of them, one after another) and started every 100 ms while the upload runs.
 */
export async function measureLargeUpload(opts: {
	origin: string;
	token: string;
	cookie: string;
	pagePath: string;
	results: number;
	resetPeakRss(): void;
	peakRssMb(): number;
	aloneRequests?: number;
}): Promise<LargeUploadFigures> {
	const body = JSON.stringify(generatedSarif(opts.results, 7));
	const alone: number[] = [];
	for (let i = 0; i < (opts.aloneRequests ?? 30); i++)
		alone.push(await timePage(opts.origin, opts.pagePath, opts.cookie));
	opts.resetPeakRss();
	const during: number[] = [];
	let done = false;
	const t0 = performance.now();
	const upload = fetch(`${opts.origin}${scansPath(LARGE_REPOSITORY, COMMITS[0]!)}`, {
		method: 'POST',
		headers: { 'content-type': 'application/sarif+json', authorization: `Bearer ${opts.token}` },
		body
	}).then(async (res) => {
		const ms = performance.now() - t0;
		const answer = (await res.json().catch(() => null)) as { counts?: { new?: number } } | null;
		done = true;
		return { ms, status: res.status, newFindings: answer?.counts?.new ?? null };
	});
	// A page view every 100 ms while the upload runs (at least one), each timed on its own: a
	// user does not wait for the previous user's page.
	const views: Promise<number>[] = [];
	do {
		views.push(timePage(opts.origin, opts.pagePath, opts.cookie));
		await Promise.race([upload, new Promise((r) => setTimeout(r, 100))]);
	} while (!done);
	during.push(...(await Promise.all(views)));
	const result = await upload;
	return {
		results: opts.results,
		bodyMb: Math.round((Buffer.byteLength(body) / 1024 / 1024) * 10) / 10,
		ms: Math.round(result.ms),
		status: result.status,
		newFindings: result.newFindings,
		peakRssMb: Math.round(opts.peakRssMb()),
		page: { path: opts.pagePath, alone: latency(alone), duringUpload: latency(during) }
	};
}

/** The one-off's lines for the summary, with the budgets. */
export function largeUploadSummary(f: LargeUploadFigures): string[] {
	const verdict = (ok: boolean) => (ok ? 'within budget' : 'OVER BUDGET');
	const page = (l: PageLatency) =>
		`p50 ${l.p50} ms, p95 ${l.p95} ms, max ${l.max} ms (${l.requests})`;
	return [
		`Upload of a generated log of ${f.results} results (${f.bodyMb} MB): ${f.ms} ms, HTTP ${f.status}, ${f.newFindings ?? '?'} new findings (budget 5 s: ${verdict(f.ms < 5000)}); ` +
			`server peak RSS during it ${f.peakRssMb} MB (budget 600 MB: ${verdict(f.peakRssMb <= 600)})`,
		`  ${f.page.path} alone:             ${page(f.page.alone)}`,
		`  ${f.page.path} during the upload: ${page(f.page.duringUpload)}`
	];
}
