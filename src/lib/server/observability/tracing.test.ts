import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import {
	BasicTracerProvider,
	InMemorySpanExporter,
	SimpleSpanProcessor
} from '@opentelemetry/sdk-trace-node';
import { describe, expect, it } from 'vitest';
import { redactingExporter, tracingSettings, withoutProbes } from './tracing';

describe('tracingSettings', () => {
	it('is off without an endpoint, or when the SDK or the exporter is turned off', () => {
		expect(tracingSettings({})).toBeUndefined();
		expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' })).toBeUndefined();
		const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
		expect(tracingSettings({ ...endpoint, OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
		expect(tracingSettings({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
	});

	it('takes the standard variables, with protobuf, the service name rampart and trace context by default', () => {
		expect(
			tracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/v1/traces' })
		).toEqual({
			protocol: 'http/protobuf',
			serviceName: 'rampart',
			propagators: { traceContext: true, baggage: false }
		});
		expect(
			tracingSettings({
				OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
				OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
				OTEL_SERVICE_NAME: 'rampart-eu',
				OTEL_PROPAGATORS: 'tracecontext,baggage'
			})
		).toEqual({
			protocol: 'http/json',
			serviceName: 'rampart-eu',
			propagators: { traceContext: true, baggage: true }
		});
		expect(
			tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_PROPAGATORS: 'none' })
				?.propagators
		).toEqual({ traceContext: false, baggage: false });
	});

	it('refuses a protocol it cannot send, naming it', () => {
		expect(() =>
			tracingSettings({
				OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317',
				OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc'
			})
		).toThrow(/"grpc" is not supported/);
	});
});

/** A real SDK provider whose finished spans go through `wrap` into memory. */
function recorder(wrap: (p: SimpleSpanProcessor) => ReturnType<typeof withoutProbes> = (p) => p) {
	const memory = new InMemorySpanExporter();
	const provider = new BasicTracerProvider({
		spanProcessors: [wrap(new SimpleSpanProcessor(redactingExporter(memory)))]
	});
	return { memory, tracer: provider.getTracer('sveltekit') };
}

describe('redactingExporter', () => {
	it('exports only the allowed attributes: no URL, redirect location, exception text or status message', () => {
		const { memory, tracer } = recorder();
		const secrets = [
			'http://127.0.0.1/invite/tok3n?reset=s3cret',
			'/login?next=%2Finvite%2Ftok3n',
			'Failed query: select * from "user" where "email" = $1 params: olive@example.com',
			'hash$argon2id$secret'
		];
		// No context manager here: children name their parent explicitly, as SvelteKit's do through it.
		const root = tracer.startSpan('sveltekit.handle.root', {
			attributes: {
				'http.route': '/(public)/invite/[token]',
				'http.method': 'GET',
				'http.url': secrets[0],
				'sveltekit.is_data_request': false
			}
		});
		const under = trace.setSpan(context.active(), root);
		const load = tracer.startSpan('sveltekit.load', {}, under);
		load.setAttributes({
			'sveltekit.load.node_id': 'src/routes/+layout.server.ts',
			'sveltekit.load.result.type': 'redirect',
			'sveltekit.load.result.status': 303,
			'sveltekit.load.result.location': secrets[1]
		});
		load.end();
		const query = tracer.startSpan('drizzle.execute', {}, under);
		query.setAttributes({
			'drizzle.query.text': 'select 1 where $1',
			'drizzle.query.params': JSON.stringify([secrets[3]])
		});
		query.recordException({ name: 'DrizzleQueryError', message: secrets[2] });
		query.setStatus({ code: SpanStatusCode.ERROR, message: secrets[2] });
		query.end();
		root.end();
		const spans = memory.getFinishedSpans();
		expect(spans.map((s) => s.name)).toEqual([
			'sveltekit.load',
			'drizzle.execute',
			'sveltekit.handle.root'
		]);
		const [loaded, queried, rooted] = spans;
		expect(rooted!.attributes).toEqual({
			'http.route': '/(public)/invite/[token]',
			'http.method': 'GET',
			'sveltekit.is_data_request': false
		});
		expect(loaded!.attributes).toEqual({
			'sveltekit.load.node_id': 'src/routes/+layout.server.ts',
			'sveltekit.load.result.type': 'redirect',
			'sveltekit.load.result.status': 303
		});
		expect(queried!.attributes).toEqual({});
		expect(queried!.status).toEqual({ code: SpanStatusCode.ERROR });
		expect(queried!.events.map((e) => [e.name, e.attributes])).toEqual([
			['exception', { 'exception.type': 'DrizzleQueryError' }]
		]);
		// The parent links survive the copy.
		expect(loaded!.parentSpanContext?.spanId).toBe(rooted!.spanContext().spanId);
		expect(loaded!.spanContext().traceId).toBe(rooted!.spanContext().traceId);
		const text = JSON.stringify(spans.map((s) => [s.attributes, s.events, s.status]));
		for (const secret of secrets) expect(text).not.toContain(secret);
		expect(text).not.toContain('tok3n');
	});
});

describe('withoutProbes', () => {
	it("drops every span of a load balancer's or scraper's request and keeps the others", () => {
		const { memory, tracer } = recorder(withoutProbes);
		for (const route of ['/readyz', '/(app)/teams/[teamId]', '/metrics', '/healthz']) {
			const root = tracer.startSpan('sveltekit.handle.root', {
				attributes: { 'http.route': route }
			});
			tracer.startSpan('sveltekit.resolve', {}, trace.setSpan(context.active(), root)).end();
			root.end();
		}
		expect(memory.getFinishedSpans().map((s) => [s.name, s.attributes['http.route']])).toEqual([
			['sveltekit.resolve', undefined],
			['sveltekit.handle.root', '/(app)/teams/[teamId]']
		]);
	});
});

describe('startTracing', () => {
	// A process of its own: what it has loaded is then what startTracing loaded. It records a
	// span through the API, as SvelteKit does, and stops (which sends what is buffered).
	const run = (env: Record<string, string>) =>
		new Promise<string>((resolve, reject) =>
			execFile(
				process.execPath,
				[
					'--import',
					'tsx',
					'--input-type=module',
					'-e',
					`import { createRequire } from 'node:module';
					import { trace } from '@opentelemetry/api';
					const { startTracing } = await import(${JSON.stringify(path.resolve('src/lib/server/observability/tracing.ts'))});
					const tracing = await startTracing(process.env);
					const cache = createRequire(import.meta.url).cache;
					console.log(Object.keys(cache).filter((m) => m.includes('@opentelemetry/sdk-trace')).length);
					trace.getTracer('sveltekit').startActiveSpan('sveltekit.handle.root', {
						attributes: { 'http.route': '/(public)/invite/[token]', 'http.url': 'http://x/invite/tok3n-secret?a=b' }
					}, (span) => span.end());
					await tracing?.shutdown();`
				],
				{ encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } },
				(e, stdout) => (e ? reject(e) : resolve(stdout.trim()))
			)
		);

	it('loads no SDK without an endpoint; with one, sends the redacted span over OTLP/HTTP protobuf', async () => {
		const received: { path?: string; type?: string; body: Buffer }[] = [];
		const receiver = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				received.push({
					path: req.url,
					type: req.headers['content-type'],
					body: Buffer.concat(chunks)
				});
				res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
			});
		});
		await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
		const { port } = receiver.address() as AddressInfo;
		try {
			expect(await run({})).toBe('0');
			expect(received).toEqual([]);
			const loaded = await run({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
			expect(Number(loaded)).toBeGreaterThan(0);
		} finally {
			await new Promise((r) => receiver.close(r));
		}
		expect(received.map((r) => [r.path, r.type])).toEqual([
			['/v1/traces', 'application/x-protobuf']
		]);
		// Protobuf keeps strings as they are: the names are there, the URL and token are not.
		const body = received[0]!.body.toString('latin1');
		for (const kept of ['rampart', 'sveltekit.handle.root', '/(public)/invite/[token]'])
			expect(body).toContain(kept);
		expect(body).not.toContain('tok3n');
		expect(body).not.toContain('http.url');
	});
});
