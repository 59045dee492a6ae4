import { createServer, type Server } from 'node:http';
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, servers } from '../../playwright.config';
import { demo } from './fixtures';
import { startOwnServer, type OwnServer } from './own-server';

// A real OTLP/HTTP receiver (the protocol is a POST of ExportTraceServiceRequest to /v1/traces,
// here in its JSON encoding) and the production build sending to it.
const port = servers.spare + 30;
const receiverPort = servers.spare + 31;
const base = `http://127.0.0.1:${port}`;

interface Received {
	path: string;
	contentType: string;
	body: string;
}
const received: Received[] = [];
let receiver: Server;
let app: OwnServer | undefined;

test.beforeAll(async () => {
	test.setTimeout(240_000);
	receiver = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({
				path: req.url ?? '',
				contentType: req.headers['content-type'] ?? '',
				body: Buffer.concat(chunks).toString('utf8')
			});
			res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
		});
	});
	await new Promise<void>((resolve) => receiver.listen(receiverPort, '127.0.0.1', resolve));
	app = await startOwnServer(
		port,
		{
			OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiverPort}`,
			OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
			OTEL_BSP_SCHEDULE_DELAY: '100'
		},
		// The demo is seeded before the server answers: allow for a busy machine.
		{ readyTimeout: 180_000 }
	);
});

test.afterAll(async () => {
	await app?.stop();
	await new Promise((r) => receiver?.close(r));
});

type Value = { stringValue?: string; intValue?: string | number; boolValue?: boolean };
interface Span {
	traceId: string;
	spanId: string;
	parentSpanId?: string;
	name: string;
	status?: { code?: number; message?: string };
	attributes?: { key: string; value: Value }[];
	events?: { name: string; attributes?: { key: string; value: Value }[] }[];
}

function spans(): { service: unknown; span: Span; attrs: Record<string, unknown> }[] {
	return received.flatMap((r) => {
		const body = JSON.parse(r.body) as {
			resourceSpans: {
				resource: { attributes: { key: string; value: Value }[] };
				scopeSpans: { spans: Span[] }[];
			}[];
		};
		return body.resourceSpans.flatMap((rs) =>
			rs.scopeSpans.flatMap((ss) =>
				ss.spans.map((span) => ({
					service: rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue,
					span,
					attrs: Object.fromEntries(
						(span.attributes ?? []).map((a) => [
							a.key,
							a.value.stringValue ?? a.value.intValue ?? a.value.boolValue
						])
					)
				}))
			)
		);
	});
}

test('spans of handle, load and form action reach an OTLP receiver, without any secret', async () => {
	const secrets = {
		password: DEMO_PASSWORD,
		wrongPassword: 'Tracing wrong password 42!',
		queryToken: 'querytoken0123456789secret',
		inviteToken: 'invitetoken0123456789secret',
		cookie: 'cookievalue0123456789secret',
		bearer: 'bearervalue0123456789secret'
	};
	// A proxy in front started this trace: Rampart's spans continue it.
	const proxyTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
	const page = await fetch(`${base}/login?token=${secrets.queryToken}`, {
		headers: {
			cookie: `other=${secrets.cookie}`,
			authorization: `Bearer ${secrets.bearer}`,
			traceparent: `00-${proxyTrace}-00f067aa0ba902b7-01`
		}
	});
	expect(page.status).toBe(200);
	await page.text();
	expect((await fetch(`${base}/invite/${secrets.inviteToken}`)).status).toBe(404);

	const form = (password: string) =>
		fetch(`${base}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: base,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ email: demo.member, password })
		});
	// A refused sign-in (the action's failure) and a good one (a redirect with the session).
	const refused = await form(secrets.wrongPassword);
	expect(refused.status).toBe(400);
	await refused.text();
	const signedIn = await form(secrets.password);
	expect(signedIn.status).toBe(303);
	const session = signedIn.headers.getSetCookie().map((c) => c.split(';')[0]!);
	expect(session.length).toBeGreaterThan(0);
	const home = await fetch(`${base}/`, { headers: { cookie: session.join('; ') } });
	expect(home.status).toBe(200);
	await home.text();

	const root = (route: string, method = 'GET') =>
		spans().filter(
			(s) =>
				s.span.name === 'sveltekit.handle.root' &&
				s.attrs['http.route'] === route &&
				s.attrs['http.method'] === method
		);
	await expect
		.poll(() => root('/').length + root('/(public)/login', 'POST').length, {
			timeout: 15_000
		})
		.toBeGreaterThanOrEqual(3);

	expect(received.every((r) => r.path === '/v1/traces')).toBe(true);
	expect(received[0]!.contentType).toContain('application/json');
	const all = spans();
	expect(new Set(all.map((s) => s.service))).toEqual(new Set(['rampart']));
	for (const { span } of all) {
		expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
		expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
	}

	// The page load: its root continues the proxy's trace; its resolve span has the status.
	const [loginPage] = root('/(public)/login');
	expect(loginPage!.span.traceId).toBe(proxyTrace);
	const inTrace = all.filter((s) => s.span.traceId === proxyTrace);
	expect(inTrace.map((s) => s.span.name)).toEqual(
		expect.arrayContaining(['sveltekit.handle.root', 'sveltekit.resolve', 'sveltekit.load'])
	);
	expect(
		inTrace.find((s) => s.span.name === 'sveltekit.resolve')!.attrs['http.response.status_code']
	).toBe(200);

	// The load balancer's checks (this test's own wait for /readyz) are left out.
	expect(all.filter((s) => s.attrs['http.route'] === '/readyz')).toEqual([]);

	// The invitation: the route, not the token.
	expect(root('/(public)/invite/[token]')).toHaveLength(1);

	// The form action, failed and then redirected, each in its own trace under its root.
	const actions = all.filter((s) => s.span.name === 'sveltekit.form_action');
	expect(actions.map((a) => a.attrs['sveltekit.form_action.name'])).toEqual(['default', 'default']);
	expect(actions.map((a) => a.attrs['sveltekit.form_action.result.type']).sort()).toEqual([
		'failure',
		'redirect'
	]);
	expect(actions.map((a) => a.attrs['sveltekit.form_action.result.status']).sort()).toEqual([
		303, 400
	]);
	for (const action of actions) {
		const parentTrace = root('/(public)/login', 'POST').map((r) => r.span.traceId);
		expect(parentTrace).toContain(action.span.traceId);
	}

	// The signed-in home page ran its load functions (and sent the member on).
	const dashboard = root('/')[0]!;
	expect(
		all.some((s) => s.span.traceId === dashboard.span.traceId && s.span.name === 'sveltekit.load')
	).toBe(true);

	// Nothing secret left the process: not the passwords, tokens, cookies or query, no URL, no
	// redirect location, no SQL.
	const sent = received.map((r) => r.body).join('\n');
	for (const [name, value] of Object.entries(secrets)) expect(sent, name).not.toContain(value);
	for (const cookie of session) expect(sent).not.toContain(cookie.split('=')[1]);
	expect(sent).not.toContain('?token');
	expect(sent).not.toContain('http.url');
	expect(sent).not.toContain('location');
	expect(sent).not.toMatch(/\b(select|insert|update)\b/i);
	expect(sent).not.toContain(demo.member);
});
