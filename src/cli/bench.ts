// `npm run bench [-- --teams 500] [--out FILE] [--smoke] [--no-browser] [--routes save,dashboard]`: measures the PRODUCTION server (`build/`)
// on a scale database with autocannon on 127.0.0.1 at 10 connections, route by route, and samples
// the server's memory. The database comes from `seed:scale` (created here when its directory is
// missing, reused otherwise); DATABASE_URL benchmarks PostgreSQL instead of the embedded PGlite.
// `--smoke` (1 s per route, 2 connections, 20 teams; part of `npm test`) proves the harness and
// every measured route work, and fails when one answers anything but 2xx.
//
// `--instances 2 [--port-base 5700]` (needs DATABASE_URL): in one run, each route (`--routes`,
// by default dashboard,team,save) against one instance directly and then against that many
// instances behind a real HAProxy (src/cli/haproxy.ts), same data, connections and duration;
// prints requests/s, p50/p95/p99 and the CPU per response of the instances (summed), of
// PostgreSQL (its postmaster and backends, when it runs on this machine), of HAProxy and of the
// load generator.
//
// Saving an answer under load: each connection edits its own team's DRAFT (or returned)
// assessment in the open cycle, flipping one criterion between two values and sending the
// version the previous save returned, so every request is a real change and none is refused
// as stale. A 409 (another connection on the same assessment, when there are fewer drafts than
// connections) is counted as non-2xx and the connection picks up the current version.
/* eslint-disable security/detect-non-literal-fs-filename -- paths come from the command line and the OS temp dir, never from a request */
import { spawn, type ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import {
	cpSync,
	existsSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync
} from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { migrateDatabase, openDatabase } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { hasUsers } from '$lib/server/auth/sign-in';
import { loadModel } from '$lib/server/model/load-model';
import { measureBrowser, type BrowserFigures } from './bench-browser';
import {
	createUploadTokens,
	largeUploadSummary,
	measureLargeUpload,
	removeBenchUploads,
	uploadBody,
	uploadClients,
	type LargeUploadFigures
} from './bench-upload';
import { startHaproxy, waitFor, type Haproxy } from './haproxy';
import { postmasterOf, processTreeCpuMs } from './proc-cpu';
import { startNodeFlags } from './server-flags';
import { defaultScaleDir, SCALE_ADMIN_EMAIL, SCALE_PASSWORD_FILE, seedScale } from './seed-scale';

// autocannon ships no types: the little of its API used here.
interface AutocannonRequest {
	method?: string;
	path?: string;
	headers?: Record<string, string>;
	body?: string;
	setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
	onResponse?: (status: number, body: string) => void;
}
interface AutocannonClient {
	setRequests(requests: AutocannonRequest[]): void;
}
interface AutocannonOptions extends Omit<AutocannonRequest, 'path'> {
	url: string;
	connections: number;
	duration: number;
	timeout?: number;
	setupClient?: (client: AutocannonClient) => void;
}
interface AutocannonResult {
	duration: number;
	errors: number;
	timeouts: number;
	non2xx: number;
	statusCodeStats?: Record<string, { count: number }>;
}
type Autocannon = (
	opts: AutocannonOptions,
	cb: (err: Error | null, result: AutocannonResult) => void
) => EventEmitter;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const root = path.resolve(import.meta.dirname, '../..');

/** Latencies in ms; null when no response completed within the run (every one was slower). */
interface RouteFigures {
	rps: number;
	p50: number | null;
	p95: number | null;
	p99: number | null;
	non2xx: number;
	/** The server's peak RSS during this route (warm-up included), in MB; absent where unknown. */
	peakRssMb?: number;
	/**
	 * CPU the server process spent per response during the measured run, in ms (user + system;
	 * on PostgreSQL the database's own processes are not in it); absent where unknown.
	 */
	cpuMsPerRequest?: number;
}

interface Targets {
	teams: number;
	cycle: string;
	unitId: string | null;
	teamSlug: string | null;
	/** A team whose assessment in the open cycle is submitted: the reviewer's workspace. */
	reviewSlug: string | null;
	/** The team with the most open findings: its findings page. */
	findingsSlug: string | null;
	phase: string;
	criterionId: string;
	drafts: { slug: string; version: number; value: number | null }[];
}

// ── The database: seeded when missing, then read for the routes' parameters ──

/** Seeds the scale database when it is missing; returns the shared password. */
async function ensureDatabase(opts: {
	url?: string;
	dataDir: string;
	teams: number;
	cycles: number;
}): Promise<string> {
	const fromEnv = process.env.SCALE_PASSWORD || undefined;
	if (!opts.url) {
		const passwordFile = path.join(opts.dataDir, SCALE_PASSWORD_FILE);
		if (existsSync(opts.dataDir)) {
			if (!existsSync(passwordFile)) {
				throw new Error(
					`${opts.dataDir} exists but holds no complete scale database (no ${SCALE_PASSWORD_FILE}); ` +
						'delete it or pass another --data-dir.'
				);
			}
			console.log(`Reusing the scale database in ${opts.dataDir}.`);
			return readFileSync(passwordFile, 'utf8').trim();
		}
	} else {
		const handle = await openDatabase({ url: opts.url, maxConnections: 1 });
		try {
			// An empty database has no tables yet: the seed below needs them, and so does the question.
			await migrateDatabase(handle, opts.url);
			if (await hasUsers(handle.db)) {
				const [admin] = await handle.db
					.select({ id: table.user.id })
					.from(table.user)
					.where(eq(table.user.email, SCALE_ADMIN_EMAIL));
				if (!admin) throw new Error('DATABASE_URL holds users but is not a scale database.');
				if (!fromEnv)
					throw new Error(
						'Reusing a PostgreSQL scale database: set SCALE_PASSWORD to its password.'
					);
				console.log('Reusing the scale database at DATABASE_URL.');
				return fromEnv;
			}
		} finally {
			await handle.close();
		}
	}
	console.log(`No scale database yet: seeding ${opts.teams} teams × ${opts.cycles} cycles…`);
	const result = await seedScale({ ...opts, password: fromEnv });
	if (!result) throw new Error('The database already has users.');
	return result.password;
}

/** What the routes need: the open cycle, a business unit, a team, and draft assessments to edit. */
async function readTargets(
	url: string | undefined,
	dataDir: string,
	drafts: number
): Promise<Targets> {
	const model = loadModel();
	const phase = model.phases.find((p) => p.id === 'build') ?? model.phases[0]!;
	const criterionId = phase.practices[0]!.levels[0]!.criteria[0]!.id;
	const handle = await openDatabase({ url, dataDir, maxConnections: 1 });
	try {
		const db = handle.db;
		const [cycle] = await db
			.select({ id: table.cycle.id, name: table.cycle.name })
			.from(table.cycle)
			.orderBy(sql`${table.cycle.status} = 'open' desc`, desc(table.cycle.startsOn))
			.limit(1);
		if (!cycle) throw new Error('The database has no assessment cycle: is it a scale database?');
		const [{ teams } = { teams: 0 }] = await db
			.select({ teams: sql<number>`count(*)::int` })
			.from(table.team);
		// A business unit of typical size: the median by team count.
		const units = await db
			.select({ id: table.orgUnit.id, n: sql<number>`count(${table.team.id})::int` })
			.from(table.orgUnit)
			.innerJoin(table.team, eq(table.team.orgUnitId, table.orgUnit.id))
			.where(eq(table.orgUnit.kind, 'business_unit'))
			.groupBy(table.orgUnit.id)
			.orderBy(sql`2`, asc(table.orgUnit.id));
		const [team] = await db
			.select({ slug: table.team.slug })
			.from(table.team)
			.orderBy(asc(table.team.slug))
			.limit(1)
			.offset(Math.floor(teams / 2));
		const editable = await db
			.select({ id: table.assessment.id, slug: table.team.slug })
			.from(table.assessment)
			.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
			.where(
				and(
					eq(table.assessment.cycleId, cycle.id),
					inArray(table.assessment.status, ['draft', 'returned'])
				)
			)
			.orderBy(asc(table.team.slug))
			.limit(drafts);
		const answers = editable.length
			? await db
					.select({
						assessmentId: table.answer.assessmentId,
						version: table.answer.version,
						value: table.answer.value
					})
					.from(table.answer)
					.where(
						and(
							eq(table.answer.criterionId, criterionId),
							inArray(
								table.answer.assessmentId,
								editable.map((e) => e.id)
							)
						)
					)
			: [];
		const byAssessment = new Map(answers.map((a) => [a.assessmentId, a]));
		const [submitted] = await db
			.select({ slug: table.team.slug })
			.from(table.assessment)
			.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
			.where(and(eq(table.assessment.cycleId, cycle.id), eq(table.assessment.status, 'submitted')))
			.orderBy(asc(table.team.slug))
			.limit(1);
		const [findings] = await db
			.select({ slug: table.team.slug })
			.from(table.finding)
			.innerJoin(table.team, eq(table.team.id, table.finding.teamId))
			.where(eq(table.finding.state, 'open'))
			.groupBy(table.team.slug)
			.orderBy(desc(sql`count(*)`))
			.limit(1);
		return {
			teams,
			findingsSlug: findings?.slug ?? null,
			cycle: cycle.name,
			unitId: units[Math.floor(units.length / 2)]?.id ?? null,
			teamSlug: team?.slug ?? null,
			reviewSlug: submitted?.slug ?? null,
			phase: phase.id,
			criterionId,
			drafts: editable.map((e) => ({
				slug: e.slug,
				version: byAssessment.get(e.id)?.version ?? 0,
				value: byAssessment.get(e.id)?.value ?? null
			}))
		};
	} finally {
		await handle.close();
	}
}

// ── The server ──────────────────────────────────────────────────────────────

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() =>
				typeof address === 'object' && address
					? resolve(address.port)
					: reject(new Error('no port'))
			);
		});
	});
}

interface Server {
	child: ChildProcess;
	origin: string;
	/** The last lines the server printed, for error messages. */
	log: string[];
	peakRssMb(): number;
	stop(): Promise<void>;
}

/** Resets the kernel's peak RSS (VmHWM) of a process to its current RSS (Linux). */
function resetPeakRss(pid: number): void {
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
	} catch {
		// Not Linux, or not allowed: the per-route peak is then the peak so far.
	}
}

/** CPU time a process has used so far (user + system), in ms; 0 when unavailable (not Linux). */
function procCpuMs(pid: number): number {
	try {
		// Fields after the command name, which sits in parentheses and may contain anything.
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// utime and stime (fields 14 and 15 of proc(5)) in clock ticks, 100 per second on Linux.
		return (Number(fields[11]) + Number(fields[12])) * 10;
	} catch {
		return 0;
	}
}

/** Reads a `Vm…:  123 kB` line of /proc/<pid>/status, in MB (0 when unavailable). */
function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = status
			.split('\n')
			.find((l) => l.startsWith(`${field}:`))
			?.match(/(\d+) kB/)?.[1];
		return kb ? Number(kb) / 1024 : 0;
	} catch {
		return 0;
	}
}

/**
 * A private copy of `build/` in the temp dir (with a link to node_modules), so a rebuild in the
 * working tree during the run cannot swap chunks under the running server.
 */
function snapshotBuild(): { entry: string; remove(): void } {
	const build = path.join(root, 'build');
	if (!existsSync(path.join(build, 'index.js')))
		throw new Error('No production build in build/: run `npm run build` first.');
	const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-build-'));
	cpSync(build, path.join(dir, 'build'), { recursive: true });
	symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
	return {
		entry: path.join(dir, 'build', 'index.js'),
		remove: () => rmSync(dir, { recursive: true, force: true })
	};
}

/**
 * Starts the production server on a free port (or `at.port`); its ORIGIN is its own address,
 * or `at.publicOrigin` for an instance behind a load balancer.
 */
async function startServer(
	env: NodeJS.ProcessEnv,
	entry: string,
	at: { port?: number; publicOrigin?: string } = {}
): Promise<Server> {
	const port = at.port ?? (await freePort());
	const origin = `http://127.0.0.1:${port}`;
	// Started as `npm start` starts it (its Node flags); BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR"
	// profiles it (NODE_OPTIONS refuses --cpu-prof).
	const nodeArgs = [
		...startNodeFlags(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts),
		...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [])
	];
	const child = spawn(process.execPath, [...nodeArgs, entry], {
		cwd: root,
		env: {
			...env,
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: at.publicOrigin ?? origin,
			NODE_ENV: 'production'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const log: string[] = [];
	const keep = (chunk: Buffer) => {
		log.push(...chunk.toString('utf8').split('\n').filter(Boolean));
		log.splice(0, Math.max(0, log.length - 60));
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	let peak = 0;
	const sampler = setInterval(() => {
		if (child.pid) peak = Math.max(peak, procStatusMb(child.pid, 'VmRSS'));
	}, 200);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	// Whatever happens to this process, the server goes with it.
	const killNow = () => child.kill('SIGKILL');
	const interrupted = () => {
		killNow();
		process.exit(130);
	};
	process.once('exit', killNow);
	process.once('SIGINT', interrupted);
	process.once('SIGTERM', interrupted);
	const server: Server = {
		child,
		origin,
		log,
		peakRssMb: () => peak,
		async stop() {
			clearInterval(sampler);
			process.off('SIGINT', interrupted);
			process.off('SIGTERM', interrupted);
			if (child.exitCode !== null || child.signalCode !== null) return;
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await exited;
			clearTimeout(timer);
		}
	};
	const deadline = Date.now() + 180_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) break;
		try {
			const res = await fetch(`${origin}/readyz`);
			if (res.ok) return server;
		} catch {
			// Not listening yet.
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	await server.stop();
	throw new Error(`The server did not become ready:\n${log.join('\n')}`);
}

/** Signs in through the login form like a browser does; returns the Cookie header. */
async function signIn(
	origin: string,
	email: string,
	password: string,
	as: { origin?: string; headers?: Record<string, string> } = {}
): Promise<string> {
	const res = await fetch(`${origin}/login`, {
		method: 'POST',
		// As a browser posts the form (with `*/*` SvelteKit would answer with action JSON).
		headers: {
			...as.headers,
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html',
			origin: as.origin ?? origin
		},
		body: new URLSearchParams({ email, password }).toString(),
		redirect: 'manual'
	});
	const cookie = res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0]!)
		.find((c) => c.startsWith('rampart_session=') && c.length > 'rampart_session='.length);
	if (res.status !== 303 || !cookie) throw new Error(`Sign-in as ${email} failed (${res.status}).`);
	return cookie;
}

/**
 * Waits until /readyz (a query queued behind everything else) answers promptly again: requests
 * that a run abandoned at its end keep the server busy and must not slow the next route.
 */
async function settle(origin: string): Promise<number> {
	const started = performance.now();
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline) {
		const t0 = performance.now();
		try {
			await fetch(`${origin}/readyz`);
		} catch {
			// Retried until the deadline.
		}
		if (performance.now() - t0 < 100) break;
	}
	return (performance.now() - started) / 1000;
}

// ── Measuring ───────────────────────────────────────────────────────────────

function percentile(sorted: readonly number[], q: number): number | null {
	if (!sorted.length) return null;
	const x = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
	return Math.round(x * 10) / 10;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

interface Run {
	figures: RouteFigures;
	statuses: string;
	/** Responses completed within the run. */
	responses: number;
}

/** One autocannon run; latencies are kept per response so p95 is exact (autocannon reports p97.5). */
function measure(opts: AutocannonOptions, extraFailures: () => number = () => 0): Promise<Run> {
	return new Promise((resolve, reject) => {
		const latencies: number[] = [];
		const instance = autocannon(opts, (err, result) => {
			if (err) return reject(err);
			latencies.sort((a, b) => a - b);
			const statuses = Object.entries(result.statusCodeStats ?? {})
				.map(([code, s]) => `${code}×${s.count}`)
				.join(' ');
			const errors = result.errors + result.timeouts;
			resolve({
				figures: {
					rps: round1(latencies.length / Math.max(result.duration, 0.001)),
					p50: percentile(latencies, 0.5),
					p95: percentile(latencies, 0.95),
					p99: percentile(latencies, 0.99),
					non2xx: result.non2xx + extraFailures()
				},
				responses: latencies.length,
				statuses:
					(statuses || `no response within ${opts.duration} s`) +
					(errors ? ` errors×${errors}` : '')
			});
		});
		instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
			latencies.push(ms);
		});
	});
}

/**
 * SvelteKit's action JSON (HTTP 200 even for `fail(409)`): the result type and, from the
 * devalue-encoded data, the answer's version, plus the current value on a conflict.
 */
function actionResult(body: string): { type: string; version: number | null; value?: unknown } {
	try {
		const r = JSON.parse(body) as { type: string; data?: string };
		if (typeof r.data !== 'string') return { type: r.type, version: null };
		const values = JSON.parse(r.data) as unknown[];
		const at = (i: unknown) => (typeof i === 'number' && i >= 0 ? values[i] : undefined);
		const data = at(0) as Record<string, number> | undefined;
		// Success: { version }; a 409: { current: { value, version } }.
		const current = at(data?.current) as Record<string, number> | undefined;
		const version = at(data?.version) ?? at(current?.version);
		return {
			type: r.type,
			version: typeof version === 'number' ? version : null,
			value: current ? (at(current.value) ?? null) : undefined
		};
	} catch {
		return { type: 'unparsable', version: null };
	}
}

/** Saves answered HTTP 200 with a failure inside, and the first few of their bodies. */
interface SaveTally {
	failures: number;
	bodies: string[];
}

interface SaveState {
	slug: string;
	version: number;
	value: number | null;
}

/** The save route: one draft assessment per connection, each request a real change. */
function saveOptions(
	base: AutocannonOptions,
	t: Targets,
	states: SaveState[],
	tally: SaveTally
): AutocannonOptions {
	let next = 0;
	return {
		...base,
		method: 'POST',
		setupClient(client) {
			const state = states[next++ % states.length]!;
			client.setRequests([
				{
					method: 'POST',
					headers: { ...base.headers, 'content-type': 'application/x-www-form-urlencoded' },
					setupRequest(req) {
						const value = state.value === 1 ? 0.5 : 1;
						req.path = `/teams/${state.slug}/assessments/${t.cycle}/${t.phase}?/saveAnswer`;
						req.body = new URLSearchParams({
							criterionId: t.criterionId,
							value: String(value),
							comment: '',
							evidence: '',
							baseVersion: String(state.version)
						}).toString();
						return req;
					},
					onResponse(status, body) {
						const result = actionResult(body);
						if (status === 200 && result.type === 'success') {
							state.value = state.value === 1 ? 0.5 : 1;
						} else if (status >= 200 && status < 300) {
							// HTTP 200 with a failure inside (e.g. 409 stale version): not a save.
							tally.failures++;
							if (tally.bodies.length < 3)
								tally.bodies.push(`${state.slug}: ${body.slice(0, 300)}`);
						}
						if (result.version !== null) state.version = result.version;
					}
				}
			]);
		}
	};
}

/**
 * Reads each draft's current version and value with one deliberately stale save (answered
 * 409 with the current answer), outside the measurement: a run that stops on time drops the
 * responses in flight, whose saves the server still made.
 */
async function resyncSaveStates(
	origin: string,
	headers: Record<string, string>,
	t: Targets,
	states: SaveState[]
) {
	for (const state of states) {
		const res = await fetch(
			`${origin}/teams/${state.slug}/assessments/${t.cycle}/${t.phase}?/saveAnswer`,
			{
				method: 'POST',
				headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({
					criterionId: t.criterionId,
					value: '0',
					comment: '',
					evidence: '',
					baseVersion: '0'
				}).toString()
			}
		);
		const result = actionResult(await res.text());
		if (result.version !== null) state.version = result.version;
		// No answer yet (version 0): the "stale" save was a real one.
		if (result.type === 'success') state.value = 0;
		else if (typeof result.value === 'number' || result.value === null) state.value = result.value;
	}
}

/**
 * Resyncs until two reads a moment apart agree: a save dropped by the warm-up can still be
 * committing when /readyz answers (it runs on another database connection), and a version
 * read before it commits would make that connection's first measured save a stale one.
 */
async function steadySaveStates(
	origin: string,
	headers: Record<string, string>,
	t: Targets,
	states: SaveState[]
) {
	for (let round = 0; round < 5; round++) {
		const before = JSON.stringify(states);
		await resyncSaveStates(origin, headers, t, states);
		if (round > 0 && JSON.stringify(states) === before) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/**
 * The measured pages, name and path, in the order they run: the sign-in page (the baseline,
 * asked without a session) first; the review and findings pages only when the database has
 * what they show.
 */
function pagePaths(t: Targets): [string, string][] {
	const team = t.teamSlug ?? 'none';
	const cycle = encodeURIComponent(t.cycle);
	const pages: [string, string][] = [
		['baseline', '/login'],
		['dashboard', '/dashboard'],
		['heatmapUnit', `/dashboard/heatmap?unit=${encodeURIComponent(t.unitId ?? 'none')}`],
		['heatmapAll', '/dashboard/heatmap'],
		['team', `/teams/${team}`],
		['phase', `/teams/${team}/assessments/${cycle}/${t.phase}`],
		['plan', `/teams/${team}/plan`],
		['csv', `/reports/${cycle}/practices.csv`]
	];
	if (t.reviewSlug) pages.push(['review', `/teams/${t.reviewSlug}/assessments/${cycle}/review`]);
	if (t.findingsSlug) pages.push(['findings', `/teams/${t.findingsSlug}/findings`]);
	return pages;
}

// ── One instance against several behind HAProxy (`--instances N`, PostgreSQL) ────────────────

/** One route's figures in one set-up, with CPU per response by tier (ms; null where unknown). */
interface SetupFigures extends RouteFigures {
	statuses: string;
	/** The Rampart instances' CPU per response, summed over them, and each instance's share. */
	appCpuMsPerRequest: number | null;
	appCpuSplit: number[];
	/** PostgreSQL's: its postmaster and every backend (live or exited during the run). */
	pgCpuMsPerRequest: number | null;
	haproxyCpuMsPerRequest: number | null;
	/** This process's (autocannon's) CPU per response: the load generator shares the machine. */
	loadCpuMsPerRequest: number | null;
}

const perRequest = (ms: number | null, responses: number) =>
	ms === null || !responses ? null : Math.round((100 * ms) / responses) / 100;

/** The PostgreSQL server behind the URL when it runs on this machine: its postmaster's pid. */
async function findPostmaster(url: string): Promise<number | null> {
	const client = postgres(url, { max: 1, onnotice: () => {} });
	try {
		const [row] = await client<{ pid: number }[]>`select pg_backend_pid() as pid`;
		return row ? postmasterOf(row.pid) : null;
	} finally {
		await client.end({ timeout: 5 });
	}
}

async function compareInstances(o: {
	instances: number;
	url: string;
	password: string;
	targets: Targets;
	env: NodeJS.ProcessEnv;
	connections: number;
	duration: number;
	routes: string[];
	portBase: number | null;
	smoke: boolean;
	out?: string;
}) {
	const t = o.targets;
	const pages = new Map(pagePaths(t).filter(([name]) => name !== 'baseline'));
	const known = [...pages.keys(), 'save'];
	const unknown = o.routes.filter((r) => !known.includes(r));
	if (unknown.length)
		throw new Error(
			`--routes: no route named ${unknown.join(', ')} with --instances (there are ${known.join(', ')}).`
		);
	if (o.routes.includes('save') && !t.drafts.length)
		throw new Error('No draft assessment in the open cycle: nothing for the save route to edit.');

	const port = async (i: number) => (o.portBase === null ? freePort() : o.portBase + i);
	const frontPort = await port(0);
	const front = `http://127.0.0.1:${frontPort}`;
	const work = mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-cluster-'));
	const build = snapshotBuild();
	const cleanUp = () => {
		build.remove();
		rmSync(work, { recursive: true, force: true });
	};
	process.once('exit', cleanUp);
	// As the cluster test and the README configure instances behind HAProxy: the client's address
	// from the X-Forwarded-For it adds, the page's origin the front's.
	const env: NodeJS.ProcessEnv = {
		...o.env,
		ADDRESS_HEADER: 'X-Forwarded-For',
		XFF_DEPTH: '1',
		SHUTDOWN_DRAIN_SECONDS: '0'
	};
	const servers: Server[] = [];
	let haproxy: Haproxy | null = null;
	// The machine's 1-minute load average before and after: other work on it skews every figure.
	const load = [os.loadavg()[0]!];
	const figures: Record<string, { one: SetupFigures; many: SetupFigures }> = {};
	try {
		const started = performance.now();
		for (let i = 1; i <= o.instances; i++)
			servers.push(
				await startServer(env, build.entry, { port: await port(i), publicOrigin: front })
			);
		haproxy = await startHaproxy(
			work,
			frontPort,
			servers.map((s, i) => ({ name: `app${i + 1}`, port: Number(new URL(s.origin).port) })),
			{ requestLog: false }
		);
		const lb = haproxy;
		await waitFor('HAProxy to see every instance up', async () =>
			Object.values(await lb.states()).every((state) => state === 2)
		);
		const postmaster = await findPostmaster(o.url);
		console.log(
			`${o.instances} instances (${servers.map((s) => s.origin).join(', ')}) behind HAProxy on ${front}, ` +
				`ready in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
				(postmaster
					? `PostgreSQL's postmaster is pid ${postmaster} on this machine.`
					: 'PostgreSQL is not on this machine (or not visible): its CPU is not measured.')
		);
		// Straight to the first instance, the address header says what HAProxy would have added.
		const direct = { 'x-forwarded-for': '127.0.0.1' };
		const cookie = await signIn(servers[0]!.origin, SCALE_ADMIN_EMAIL, o.password, {
			origin: front,
			headers: direct
		});
		const states: SaveState[] = t.drafts.map((d) => ({ ...d }));
		const tally: SaveTally = { failures: 0, bodies: [] };
		const setups = [
			{ key: 'one' as const, target: servers[0]!.origin, headers: direct, measured: [servers[0]!] },
			{ key: 'many' as const, target: front, headers: {}, measured: servers }
		];
		const settleAll = async () => {
			for (const s of servers) await settle(s.origin);
		};
		for (const route of o.routes) {
			const results: Partial<Record<'one' | 'many', SetupFigures>> = {};
			for (const setup of setups) {
				const headers = { ...setup.headers, cookie, origin: front };
				const saveHeaders = {
					...headers,
					'x-sveltekit-action': 'true',
					accept: 'application/json'
				};
				const base: AutocannonOptions = {
					url: `${setup.target}${pages.get(route) ?? '/'}`,
					connections: o.connections,
					duration: o.duration,
					timeout: 30,
					headers: route === 'save' ? saveHeaders : headers
				};
				const opts = route === 'save' ? saveOptions(base, t, states, tally) : base;
				if (!o.smoke) {
					await measure({ ...opts, duration: 1 });
					await settleAll();
				}
				if (route === 'save') await steadySaveStates(setup.target, saveHeaders, t, states);
				tally.failures = 0;
				tally.bodies = [];
				const pids = setup.measured.map((s) => s.child.pid ?? 0);
				const appBefore = pids.map(procCpuMs);
				const pgBefore = postmaster ? processTreeCpuMs(postmaster) : null;
				const lbBefore = lb.child.pid ? procCpuMs(lb.child.pid) : null;
				const loadBefore = process.cpuUsage();
				const run = await measure(opts, () => (route === 'save' ? tally.failures : 0));
				const generator = process.cpuUsage(loadBefore);
				const app = pids.map((pid, i) => procCpuMs(pid) - appBefore[i]!);
				const pgAfter = postmaster ? processTreeCpuMs(postmaster) : null;
				const appSum = app.reduce((a, b) => a + b, 0);
				results[setup.key] = {
					...run.figures,
					statuses: run.statuses,
					appCpuMsPerRequest: perRequest(appSum || null, run.responses),
					appCpuSplit: app.map((ms) => (appSum ? Math.round((100 * ms) / appSum) : 0)),
					pgCpuMsPerRequest: perRequest(
						pgBefore !== null && pgAfter !== null ? pgAfter - pgBefore : null,
						run.responses
					),
					haproxyCpuMsPerRequest:
						setup.key === 'many' && lbBefore !== null && lb.child.pid
							? perRequest(procCpuMs(lb.child.pid) - lbBefore, run.responses)
							: null,
					loadCpuMsPerRequest: perRequest((generator.user + generator.system) / 1000, run.responses)
				};
				if (route === 'save' && tally.bodies.length)
					console.log(`  saves refused inside HTTP 200:\n    ${tally.bodies.join('\n    ')}`);
				await settleAll();
				const r = results[setup.key]!;
				console.log(
					`  ${route} (${setup.key === 'one' ? '1 instance' : `${o.instances} behind HAProxy`}): ` +
						`${r.rps} req/s, p95 ${r.p95} ms (${r.statuses})`
				);
			}
			figures[route] = { one: results.one!, many: results.many! };
		}
	} finally {
		for (const s of servers) await s.stop();
		await haproxy?.stop();
		cleanUp();
	}
	load.push(os.loadavg()[0]!);
	printComparison({ ...o, load }, figures);
	const broken = Object.entries(figures).filter(([, f]) =>
		[f.one, f.many].some((r) => r.non2xx > 0 || r.p50 === null)
	);
	if (broken.length) {
		console.error(`bench: these routes did not answer 2xx: ${broken.map(([n]) => n).join(', ')}`);
		process.exitCode = 1;
	}
	if (o.out) {
		const report = {
			teams: t.teams,
			database: 'postgres',
			instances: o.instances,
			connections: o.connections,
			durationSeconds: o.duration,
			cpus: os.cpus().length,
			loadAverage: load,
			routes: figures
		};
		writeFileSync(path.resolve(o.out), `${JSON.stringify(report, null, 2)}\n`);
		console.log(`Wrote ${o.out}`);
	}
}

function printComparison(
	o: { instances: number; connections: number; duration: number; targets: Targets; load: number[] },
	figures: Record<string, { one: SetupFigures; many: SetupFigures }>
) {
	const ms = (x: number | null) => (x === null ? '—' : x.toFixed(1));
	const cpu = (x: number | null) => (x === null ? '—' : x.toFixed(2));
	const header = [
		'route',
		'set-up',
		'rps',
		'p50',
		'p95',
		'p99',
		'app cpu/req',
		'split %',
		'pg cpu/req',
		'lb cpu/req',
		'load cpu/req',
		'statuses'
	];
	const rows = Object.entries(figures).flatMap(([name, f]) =>
		(['one', 'many'] as const).map((key) => {
			const r = f[key];
			return [
				name,
				key === 'one' ? '1 direct' : `${o.instances} HAProxy`,
				r.rps.toFixed(1),
				ms(r.p50),
				ms(r.p95),
				ms(r.p99),
				cpu(r.appCpuMsPerRequest),
				r.appCpuSplit.join('/'),
				cpu(r.pgCpuMsPerRequest),
				cpu(r.haproxyCpuMsPerRequest),
				cpu(r.loadCpuMsPerRequest),
				r.statuses
			];
		})
	);
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
	const line = (cells: string[]) =>
		cells
			.map((c, i) =>
				i < 2 || i === header.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)
			)
			.join('  ')
			.trimEnd();
	console.log(
		`\n${o.targets.teams} teams, PostgreSQL, ${o.connections} connections × ${o.duration} s per route and set-up, ` +
			`${os.cpus().length} CPUs, load average ${o.load.map((l) => l.toFixed(1)).join(' → ')} ` +
			'(latencies in ms, CPU in ms per response)'
	);
	console.log(line(header));
	for (const r of rows) console.log(line(r));
	console.log(
		"app: the Rampart instances summed (split: each one's share); pg: PostgreSQL's postmaster and backends; " +
			'lb: HAProxy; load: autocannon in this process. Every tier here shares the same CPUs.'
	);
	// What one core of each tier would serve, from the busier set-up's CPU per response.
	for (const [name, f] of Object.entries(figures)) {
		const app = f.many.appCpuMsPerRequest ?? f.one.appCpuMsPerRequest;
		const pg = f.many.pgCpuMsPerRequest ?? f.one.pgCpuMsPerRequest;
		const perCore = (x: number | null) => (x ? `${Math.round(1000 / x)} req/s` : '—');
		console.log(
			`  ${name}: one core serves ${perCore(app)} of Rampart, ${perCore(pg)} of PostgreSQL`
		);
	}
}

/** The servers' environment: this one's, with room in the request budget for the whole run. */
function benchEnv(url: string | undefined, dataDir: string): NodeJS.ProcessEnv {
	// Ten connections from one address: the per-address budget is still counted on every request
	// (its cost is measured), with room for the whole run.
	const env: NodeJS.ProcessEnv = {
		REQUEST_BUDGET_BURST: '10000000',
		REQUEST_BUDGET_PER_SECOND: '1000000',
		// As `npm start` sets it (src/cli/start.js): pipeline uploads may be up to 10 MB.
		BODY_SIZE_LIMIT: '10M',
		// The bench signs in as the scale admin with a password: no second factor asked for.
		MFA_REQUIRED_ROLES: '',
		...process.env
	};
	delete env.RAMPART_DEMO;
	if (url) env.DATABASE_URL = url;
	else {
		delete env.DATABASE_URL;
		env.DATA_DIR = dataDir;
	}
	return env;
}

// ── The run ─────────────────────────────────────────────────────────────────

async function main() {
	const { values } = parseArgs({
		options: {
			teams: { type: 'string' },
			cycles: { type: 'string' },
			out: { type: 'string' },
			smoke: { type: 'boolean', default: false },
			'no-browser': { type: 'boolean', default: false },
			'data-dir': { type: 'string' },
			duration: { type: 'string' },
			connections: { type: 'string' },
			routes: { type: 'string' },
			instances: { type: 'string' },
			'port-base': { type: 'string' }
		}
	});
	const smoke = values.smoke ?? false;
	const teams = Number(values.teams ?? (smoke ? 20 : 500));
	const cycles = Number(values.cycles ?? 8);
	const duration = Number(values.duration ?? (smoke ? 1 : 10));
	const connections = Number(values.connections ?? (smoke ? 2 : 10));
	for (const [name, n] of Object.entries({ teams, cycles, duration, connections })) {
		if (!Number.isInteger(n) || n < 1)
			throw new Error(`--${name} must be a positive whole number.`);
	}
	const url = process.env.DATABASE_URL || undefined;
	// The smoke run seeds a fresh database every time (it takes seconds), so it always matches the
	// current schema and seed; a real run reuses the slow-to-build one.
	const fresh = smoke && !url && !values['data-dir'] && !process.env.DATA_DIR;
	const dataDir = fresh
		? path.join(mkdtempSync(path.join(os.tmpdir(), 'rampart-smoke-')), 'data')
		: path.resolve(values['data-dir'] ?? (process.env.DATA_DIR || defaultScaleDir(teams)));
	if (fresh)
		process.once('exit', () => rmSync(path.dirname(dataDir), { recursive: true, force: true }));
	// Checked before the database is seeded, which can take minutes.
	const instances = values.instances === undefined ? null : Number(values.instances);
	const portBase = values['port-base'] === undefined ? null : Number(values['port-base']);
	if (instances !== null) {
		if (!Number.isInteger(instances) || instances < 2 || instances > 8)
			throw new Error('--instances must be a whole number from 2 to 8.');
		if (portBase !== null && (!Number.isInteger(portBase) || portBase < 1024 || portBase > 65_000))
			throw new Error('--port-base must be a port from 1024 to 65000.');
		if (!url)
			throw new Error('--instances needs DATABASE_URL: several instances share PostgreSQL.');
	}
	const password = await ensureDatabase({ url, dataDir, teams, cycles });
	const targets = await readTargets(url, dataDir, connections);
	if (instances !== null && url) {
		return compareInstances({
			instances,
			url,
			password,
			targets,
			env: benchEnv(url, dataDir),
			connections,
			duration,
			routes: values.routes?.split(',').map((r) => r.trim()) ?? ['dashboard', 'team', 'save'],
			portBase,
			smoke,
			out: values.out
		});
	}
	const uploadTokens = await createUploadTokens({ url, dataDir }, SCALE_ADMIN_EMAIL);
	const upload = uploadBody(root);
	const database = url ? 'postgres' : 'pglite';
	console.log(
		`${targets.teams} teams on ${database}; cycle ${targets.cycle}; ${targets.drafts.length} draft assessments to edit.`
	);

	const env = benchEnv(url, dataDir);
	const build = snapshotBuild();
	process.once('exit', build.remove);
	const serverStarted = performance.now();
	const server = await startServer(env, build.entry);
	const routes: Record<string, RouteFigures> = {};
	const statuses: Record<string, string> = {};
	let browserFigures: BrowserFigures | null = null;
	let largeUpload: LargeUploadFigures | null = null;
	// VmHWM is reset before each route (per-route peaks), so the overall peak is kept here.
	let overallPeak = 0;
	try {
		console.log(
			`Server ready on ${server.origin} in ${((performance.now() - serverStarted) / 1000).toFixed(1)} s.`
		);
		const cookie = await signIn(server.origin, SCALE_ADMIN_EMAIL, password);
		const base = (path: string, withCookie = true): AutocannonOptions => ({
			// autocannon takes the path from the URL (a top-level `path` is ignored).
			url: `${server.origin}${path}`,
			connections,
			duration,
			timeout: 30,
			headers: withCookie ? { cookie, origin: server.origin } : {}
		});
		const plan: [string, AutocannonOptions][] = pagePaths(targets).map(([name, p]) => [
			name,
			base(p, name !== 'baseline')
		]);
		if (!targets.reviewSlug)
			console.log('No submitted assessment in the open cycle: the review route is skipped.');
		if (!targets.findingsSlug)
			console.log(
				'No team has open findings (an older scale database?): the findings route is skipped.'
			);
		const saveStates: SaveState[] = targets.drafts.map((d) => ({ ...d }));
		const tally: SaveTally = { failures: 0, bodies: [] };
		const saveHeaders = {
			cookie,
			origin: server.origin,
			'x-sveltekit-action': 'true',
			accept: 'application/json'
		};
		if (saveStates.length) {
			const saveBase = { ...base('/'), headers: saveHeaders };
			plan.push(['save', saveOptions(saveBase, targets, saveStates, tally)]);
		} else console.log('No draft assessment in the open cycle: the save route is skipped.');
		// Pipelines uploading the same log again and again (each a new scan, findings unchanged).
		console.log(
			`The upload route posts ${upload.source} with ${uploadTokens.route.length} teams' tokens.`
		);
		plan.push([
			'upload',
			{
				...base('/', false),
				method: 'POST',
				setupClient: uploadClients(uploadTokens.route, upload.body)
			}
		]);

		const only = values.routes?.split(',').map((r) => r.trim());
		const unknown = only?.filter((r) => !plan.some(([name]) => name === r)) ?? [];
		if (unknown.length) throw new Error(`--routes: no route named ${unknown.join(', ')}.`);
		for (const [name, opts] of plan) {
			if (only && !only.includes(name)) continue;
			const pid = server.child.pid;
			const peakBefore = pid ? procStatusMb(pid, 'VmHWM') : 0;
			overallPeak = Math.max(overallPeak, peakBefore);
			if (pid) resetPeakRss(pid);
			// A short warm-up (JIT, caches, connections) that is not counted.
			if (!smoke) {
				await measure({ ...opts, duration: 1 });
				await settle(server.origin);
			}
			if (name === 'save') await steadySaveStates(server.origin, saveHeaders, targets, saveStates);
			tally.failures = 0;
			tally.bodies = [];
			const cpuBefore = pid ? procCpuMs(pid) : 0;
			const run = await measure(opts, () => (name === 'save' ? tally.failures : 0));
			if (name === 'save' && tally.bodies.length)
				console.log(`  saves refused inside HTTP 200:\n    ${tally.bodies.join('\n    ')}`);
			const cpu = pid ? procCpuMs(pid) - cpuBefore : 0;
			const peak = pid ? procStatusMb(pid, 'VmHWM') : 0;
			overallPeak = Math.max(overallPeak, peak);
			routes[name] = {
				...run.figures,
				...(peak ? { peakRssMb: Math.round(peak) } : {}),
				...(cpu && run.responses
					? { cpuMsPerRequest: Math.round((100 * cpu) / run.responses) / 100 }
					: {})
			};
			statuses[name] = run.statuses;
			const waited = await settle(server.origin);
			if (waited > 1) console.log(`  (waited ${waited.toFixed(1)} s for requests left in flight)`);
			console.log(
				`  ${name}: ${run.figures.rps} req/s, p95 ${run.figures.p95} ms (${run.statuses})`
			);
		}
		if (!only || only.includes('upload')) {
			const pid = server.child.pid;
			largeUpload = await measureLargeUpload({
				origin: server.origin,
				token: uploadTokens.large,
				cookie,
				pagePath: `/teams/${targets.teamSlug ?? 'none'}`,
				results: smoke ? 500 : 10_000,
				aloneRequests: smoke ? 5 : 30,
				resetPeakRss: () => pid && resetPeakRss(pid),
				peakRssMb: () => (pid ? procStatusMb(pid, 'VmHWM') : 0)
			});
			overallPeak = Math.max(overallPeak, largeUpload.peakRssMb);
			console.log(largeUploadSummary(largeUpload).join('\n'));
		}
		if (!values['no-browser'] && !smoke) {
			browserFigures = await measureBrowser(server.origin, cookie);
			console.log(
				`  browser: heatmap visible after ${browserFigures.heatmapVisibleMs} ms (median of ${browserFigures.runsMs.join(', ')}), ` +
					`${browserFigures.jsGzipKb} KB gzipped JavaScript in ${browserFigures.jsFiles} files`
			);
		}
	} finally {
		// VmHWM is the kernel's own peak; the 200 ms samples can miss a short spike.
		const hwm = Math.max(
			overallPeak,
			server.child.pid ? procStatusMb(server.child.pid, 'VmHWM') : 0
		);
		await server.stop();
		build.remove();
		// The smoke run's database goes with its temp dir; a reused one loses the bench's uploads.
		if (!fresh) await removeBenchUploads({ url, dataDir });
		if (hwm) console.log(`Server peak RSS by the kernel (VmHWM): ${Math.round(hwm)} MB.`);
	}

	const peakRssMb = Math.round(Math.max(server.peakRssMb(), overallPeak));
	const serverLog = server.log.slice(-20);
	const ms = (x: number | null) => (x === null ? '—' : x.toFixed(1));
	const header = ['route', 'rps', 'p50', 'p95', 'p99', 'cpu/req', 'non-2xx', 'peak MB', 'statuses'];
	const rows = Object.entries(routes).map(([name, r]) => [
		name,
		r.rps.toFixed(1),
		ms(r.p50),
		ms(r.p95),
		ms(r.p99),
		r.cpuMsPerRequest?.toFixed(2) ?? '—',
		String(r.non2xx),
		r.peakRssMb ? String(r.peakRssMb) : '—',
		statuses[name] ?? ''
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
	const line = (cells: string[]) =>
		cells
			.map((c, i) =>
				i === 0 || i === header.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)
			)
			.join('  ')
			.trimEnd();
	console.log(
		`\n${targets.teams} teams, ${database}, ${connections} connections × ${duration} s per route (latencies in ms)`
	);
	console.log(line(header));
	for (const r of rows) console.log(line(r));
	if (routes.upload?.p95 != null)
		console.log(
			`upload: p95 ${routes.upload.p95} ms for ${upload.source} (budget 300 ms: ${routes.upload.p95 < 300 ? 'within budget' : 'OVER BUDGET'})`
		);
	if (largeUpload) console.log(largeUploadSummary(largeUpload).join('\n'));
	console.log(
		`cpu/req: the server process's CPU per response (ms); peak server RSS (kernel VmHWM per route, and sampled every 200 ms): ${peakRssMb} MB`
	);
	if (Object.values(statuses).some((s) => /\b5\d\d×/.test(s))) {
		console.log(`Some routes failed with 5xx; the server's last lines:\n${serverLog.join('\n')}`);
	}
	const missing = Object.entries(statuses).filter(([, s]) => /\b404×/.test(s));
	if (missing.length)
		console.log(`Answered 404 (not built yet?): ${missing.map(([n]) => n).join(', ')}`);

	// A route that answered anything but 2xx, or nothing, makes the run fail (the smoke test in
	// `npm test` relies on it): figures from a broken route would mean nothing.
	const broken = Object.entries(routes).filter(([, r]) => r.non2xx > 0 || r.p50 === null);
	if (largeUpload && largeUpload.status !== 201) {
		console.error(`bench: the large upload answered ${largeUpload.status}, not 201.`);
		process.exitCode = 1;
	}
	if (broken.length) {
		console.error(`bench: these routes did not answer 2xx: ${broken.map(([n]) => n).join(', ')}`);
		process.exitCode = 1;
	}

	if (values.out) {
		const report = {
			teams: targets.teams,
			database,
			routes,
			peakRssMb,
			...(browserFigures ? { browser: browserFigures } : {}),
			...(largeUpload ? { largeUpload } : {})
		};
		writeFileSync(path.resolve(values.out), `${JSON.stringify(report, null, 2)}\n`);
		console.log(`Wrote ${values.out}`);
	}
}

try {
	await main();
} catch (e) {
	console.error(`bench: ${(e as Error).message}`);
	process.exitCode = 1;
}
