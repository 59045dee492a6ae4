import { networkInterfaces } from 'node:os';
import { expect, test } from '@playwright/test';
import { servers } from '../../playwright.config';
import { spawnOwnServer, type OwnServer } from './own-server';

// Two production servers of their own, listening on every address of the machine so that a
// request can come from a non-loopback one: the first without METRICS_TOKEN (this machine only),
// the second with one and a small request budget. Their standard output is the log under test.
const TOKEN = 'e2e-metrics-token-0123456789abcdef';
let open: OwnServer;
let guarded: OwnServer;

/** An address of this machine that is not loopback (the request then comes from it). */
const outside = Object.values(networkInterfaces())
	.flat()
	.find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

/** A server with no users yet, listening on every address, its log in JSON down to debug. */
const start = (port: number, env: Record<string, string>) =>
	spawnOwnServer(
		port,
		{ LOG_FORMAT: '', LOG_LEVEL: 'debug', ...env },
		{ demo: false, host: '0.0.0.0' }
	);

test.beforeAll(async () => {
	test.setTimeout(120_000);
	open = start(servers.spare + 9, {
		REQUEST_BUDGET_BURST: '100000',
		REQUEST_BUDGET_PER_SECOND: '1000'
	});
	guarded = start(servers.spare + 10, {
		METRICS_TOKEN: TOKEN,
		REQUEST_BUDGET_BURST: '20',
		REQUEST_BUDGET_PER_SECOND: '0.01'
	});
	await Promise.all([open.ready(), guarded.ready()]);
});

test.afterAll(async () => {
	await Promise.all([open?.stop(), guarded?.stop()]);
});

/** The server's request lines so far, parsed (every line must be JSON). */
function requestLines(server: OwnServer) {
	return server.lines
		.filter((l) => l.startsWith('{'))
		.map((l) => JSON.parse(l) as Record<string, unknown>)
		.filter((l) => l.msg === 'request');
}

async function lineFor(server: OwnServer, requestId: string) {
	await expect.poll(() => requestLines(server).some((l) => l.requestId === requestId)).toBe(true);
	return requestLines(server).find((l) => l.requestId === requestId)!;
}

test('one JSON line per request with its id, route, status, time and user; no secret in the log', async () => {
	const base = `http://127.0.0.1:${open.port}`;
	const secrets = {
		password: 'Observability test password 42!',
		inviteToken: 'invitetoken0123456789secret',
		queryToken: 'querytoken0123456789secret',
		cookie: 'cookievalue0123456789secret',
		bearer: 'bearervalue0123456789secret'
	};
	// A page with a cookie, an Authorization header and a token in the query.
	const page = await fetch(`${base}/login?token=${secrets.queryToken}`, {
		redirect: 'manual',
		headers: { cookie: `other=${secrets.cookie}`, authorization: `Bearer ${secrets.bearer}` }
	});
	const pageId = page.headers.get('x-request-id')!;
	expect(pageId).toMatch(/^[0-9a-f-]{36}$/);
	expect(await lineFor(open, pageId)).toMatchObject({
		level: 'info',
		method: 'GET',
		route: '/(public)/login',
		status: 303,
		ip: '127.0.0.1'
	});
	expect(typeof (await lineFor(open, pageId)).ms).toBe('number');

	// An invitation link: its token is in the path, the line names the route instead.
	const invite = await fetch(`${base}/invite/${secrets.inviteToken}`, {
		headers: { 'x-request-id': 'proxy-given-id-0001' }
	});
	expect(invite.headers.get('x-request-id')).toBe('proxy-given-id-0001');
	expect(await lineFor(open, 'proxy-given-id-0001')).toMatchObject({
		route: '/(public)/invite/[token]',
		status: 404
	});

	// A malformed id from the client is replaced, not logged.
	const forged = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'x" y' } });
	const forgedId = forged.headers.get('x-request-id')!;
	expect(forgedId).not.toBe('x" y');
	expect(await lineFor(open, forgedId)).toMatchObject({ level: 'debug', route: '/healthz' });

	// The first account: a form with a password; the answer signs it in.
	const form = new URLSearchParams({
		name: 'Olive Observer',
		email: 'olive@example.com',
		password: secrets.password,
		confirm: secrets.password
	});
	const setup = await fetch(`${base}/setup`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: base,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: form
	});
	expect(setup.status).toBe(303);
	const session = setup.headers.getSetCookie().map((c) => c.split(';')[0]!);
	expect(session.length).toBeGreaterThan(0);
	const setupLine = await lineFor(open, setup.headers.get('x-request-id')!);
	expect(setupLine).toMatchObject({ method: 'POST', route: '/(public)/setup', status: 303 });
	expect(setupLine.user).toBeUndefined();

	const admin = await fetch(`${base}/admin`, {
		redirect: 'manual',
		headers: { cookie: session.join('; ') }
	});
	// The admin's page, or where it sends a new admin first: either way a signed-in request.
	expect(admin.status).toBeLessThan(400);
	const adminLine = await lineFor(open, admin.headers.get('x-request-id')!);
	expect(adminLine.user).toEqual(expect.any(String));
	expect(String(adminLine.user)).not.toBe('');

	// Nothing secret anywhere in the log: not the password, the tokens, the cookies or the query.
	const log = open.output();
	for (const [name, value] of Object.entries(secrets)) expect(log, name).not.toContain(value);
	for (const cookie of session) expect(log).not.toContain(cookie.split('=')[1]);
	expect(log).not.toContain('?token');
});

test('without METRICS_TOKEN, /metrics answers this machine only, not through a proxy', async () => {
	const base = `http://127.0.0.1:${open.port}`;
	await fetch(`${base}/login`);
	const scrape = await fetch(`${base}/metrics`);
	expect(scrape.status).toBe(200);
	expect(scrape.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
	const text = await scrape.text();
	expect(text).toMatch(
		/^rampart_http_requests_total\{method="GET",route="\/\(public\)\/login",status="3xx"\} [1-9]\d*$/m
	);
	expect(text).toMatch(
		/^rampart_http_request_duration_seconds_count\{route="\/\(public\)\/login"\} /m
	);
	expect(text).toMatch(/^rampart_db_query_duration_seconds_count\{database="pglite"\} [1-9]\d*$/m);
	expect(text).toMatch(/^rampart_pglite_wasm_memory_bytes [1-9]\d*$/m);
	expect(text).toMatch(/^process_resident_memory_bytes [1-9]\d*$/m);
	expect(text).toMatch(/^rampart_heavy_pages_waiting 0$/m);
	expect(text).toMatch(/^rampart_outbox_pending\{outbox="email"\} \d+$/m);
	expect(text).toMatch(/^rampart_cache_lookups_total\{pool="org",result="hit"\} \d+$/m);
	// No path with an id or a token among the labels.
	expect(text).not.toContain('invitetoken');

	const proxied = await fetch(`${base}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.5' } });
	expect(proxied.status).toBe(404);
	expect(await proxied.text()).not.toContain('rampart_');

	test.skip(!outside, 'this machine has no address but loopback');
	const remote = await fetch(`http://${outside}:${open.port}/metrics`);
	expect(remote.status).toBe(404);
	expect(await remote.text()).not.toContain('rampart_');
});

test('with METRICS_TOKEN, /metrics wants the token from anywhere; refusals spend the request budget, scrapes do not', async () => {
	const base = `http://127.0.0.1:${guarded.port}`;
	const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

	const none = await fetch(`${base}/metrics`);
	expect(none.status).toBe(401);
	expect(none.headers.get('www-authenticate')).toBe('Bearer realm="rampart-metrics"');
	expect(await none.text()).not.toContain('rampart_');
	const wrong = await fetch(`${base}/metrics`, { headers: bearer(`${TOKEN.slice(0, -1)}x`) });
	expect(wrong.status).toBe(401);
	expect(wrong.headers.get('www-authenticate')).toContain('invalid_token');

	// Far more scrapes than the budget of 20 holds: each is free.
	for (let i = 0; i < 40; i++) {
		const ok = await fetch(`${base}/metrics`, { headers: bearer(TOKEN) });
		expect(ok.status, `scrape ${i}`).toBe(200);
		await ok.text();
	}
	if (outside) {
		const remote = await fetch(`http://${outside}:${guarded.port}/metrics`, {
			headers: bearer(TOKEN)
		});
		expect(remote.status).toBe(200);
		expect(await remote.text()).toContain('rampart_http_requests_total');
	}
	// Guessing is not: the budget runs out.
	const statuses: number[] = [];
	for (let i = 0; i < 25; i++)
		statuses.push((await fetch(`${base}/metrics`, { headers: bearer(`guess-${i}`) })).status);
	expect(statuses).toContain(429);
	expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
});
