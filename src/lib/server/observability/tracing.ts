import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-node';

/**
 * OpenTelemetry traces of SvelteKit's own spans (handle, load, form action), sent over OTLP/HTTP
 * when an endpoint is configured with the standard variables. Without one nothing here loads the
 * SDK: SvelteKit's spans go to @opentelemetry/api's no-op tracer.
 */

export interface TracingSettings {
	protocol: 'http/protobuf' | 'http/json';
	serviceName: string;
	/** Continue a trace from an incoming `traceparent` (W3C trace context), and `baggage`. */
	propagators: { traceContext: boolean; baggage: boolean };
}

type Env = Record<string, string | undefined>;

/** What the OTEL_* variables ask for, or undefined when traces are off (no endpoint, or disabled). */
export function tracingSettings(env: Env): TracingSettings | undefined {
	const endpoint =
		env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
	if (!endpoint) return undefined;
	if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
	const exporters = (env.OTEL_TRACES_EXPORTER ?? 'otlp').split(',').map((s) => s.trim());
	if (exporters.includes('none')) return undefined;
	const protocol = (
		env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?.trim() ||
		env.OTEL_EXPORTER_OTLP_PROTOCOL?.trim() ||
		'http/protobuf'
	).toLowerCase();
	if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
		throw new Error(
			`OTEL_EXPORTER_OTLP_PROTOCOL "${protocol}" is not supported: Rampart sends traces over http/protobuf (the default) or http/json.`
		);
	}
	const propagators = (env.OTEL_PROPAGATORS ?? 'tracecontext')
		.split(',')
		.map((s) => s.trim().toLowerCase());
	const none = propagators.includes('none');
	return {
		protocol,
		serviceName: env.OTEL_SERVICE_NAME?.trim() || 'rampart',
		propagators: {
			traceContext: !none && propagators.includes('tracecontext'),
			baggage: !none && propagators.includes('baggage')
		}
	};
}

/**
 * The span attributes that leave the process. SvelteKit also records the full URL (`http.url`:
 * invitation and reset tokens sit in paths and queries) and a redirect's location; exception
 * messages and status descriptions can quote a failed query with its values (drizzle-orm's
 * "Failed query: … params: …"). Everything not named here is dropped, so an attribute a later
 * SvelteKit or drizzle-orm adds (drizzle-orm's own tracer writes `drizzle.query.params`) is
 * never exported by accident.
 */
const keptAttributes: ReadonlySet<string> = new Set([
	'http.route',
	'http.method',
	'http.response.status_code',
	'http.response.body.size',
	'sveltekit.is_data_request',
	'sveltekit.is_sub_request',
	'sveltekit.load.node_id',
	'sveltekit.load.node_type',
	'sveltekit.load.environment',
	'sveltekit.form_action.name',
	'sveltekit.remote.call.type',
	'exception.type'
]);
const keptResult = /^sveltekit\.[a-z_.]+\.result\.(type|status)$/;

function keep(attributes: Attributes | undefined): Attributes {
	const kept: Attributes = {};
	for (const [key, value] of Object.entries(attributes ?? {})) {
		if (keptAttributes.has(key) || keptResult.test(key)) kept[key] = value;
	}
	return kept;
}

/** A copy of a finished span with only the allowed attributes, no status message and no event text. */
export function redactSpan(span: ReadableSpan): ReadableSpan {
	return {
		name: span.name,
		kind: span.kind,
		spanContext: () => span.spanContext(),
		parentSpanContext: span.parentSpanContext,
		startTime: span.startTime,
		endTime: span.endTime,
		status: { code: span.status.code },
		attributes: keep(span.attributes),
		links: span.links.map((link) => ({ context: link.context, attributes: {} })),
		events: span.events.map((event) => ({
			name: event.name,
			time: event.time,
			attributes: keep(event.attributes)
		})),
		duration: span.duration,
		ended: span.ended,
		resource: span.resource,
		instrumentationScope: span.instrumentationScope,
		droppedAttributesCount: span.droppedAttributesCount,
		droppedEventsCount: span.droppedEventsCount,
		droppedLinksCount: span.droppedLinksCount
	};
}

/** An exporter that redacts every span before handing it to the real one. */
export function redactingExporter(inner: SpanExporter): SpanExporter {
	return {
		export: (spans, done) => inner.export(spans.map(redactSpan), done),
		shutdown: () => inner.shutdown(),
		forceFlush: () => inner.forceFlush?.() ?? Promise.resolve()
	};
}

/** Load balancers' and scrapers' routes: a trace of each check every second is noise. */
const probeRoutes: ReadonlySet<unknown> = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Passes finished spans on to `inner`, except every span of a request to a probe route. A
 * request's root span starts first and ends last, so its trace id is remembered from the root's
 * start to its end.
 */
export function withoutProbes(inner: SpanProcessor): SpanProcessor {
	const probes = new Set<string>();
	const isProbeRoot = (span: ReadableSpan) =>
		span.name === 'sveltekit.handle.root' && probeRoutes.has(span.attributes['http.route']);
	return {
		onStart: (span, context) => {
			if (isProbeRoot(span)) probes.add(span.spanContext().traceId);
			else inner.onStart(span, context);
		},
		onEnd: (span) => {
			const traceId = span.spanContext().traceId;
			if (!probes.has(traceId)) return inner.onEnd(span);
			if (isProbeRoot(span)) probes.delete(traceId);
		},
		forceFlush: () => inner.forceFlush(),
		shutdown: () => inner.shutdown()
	};
}

export interface Tracing {
	/** Sends what is still buffered and stops. */
	shutdown(): Promise<void>;
}

/**
 * Starts the SDK when the environment configures an endpoint (see tracingSettings); the
 * exporter reads the endpoint, headers, timeout and compression from the same variables, the
 * provider the sampler (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG) and span limits.
 */
export async function startTracing(env: Env = process.env): Promise<Tracing | undefined> {
	const settings = tracingSettings(env);
	if (!settings) return undefined;
	const [sdk, core, resources, exporter] = await Promise.all([
		import('@opentelemetry/sdk-trace-node'),
		import('@opentelemetry/core'),
		import('@opentelemetry/resources'),
		settings.protocol === 'http/json'
			? import('@opentelemetry/exporter-trace-otlp-http')
			: import('@opentelemetry/exporter-trace-otlp-proto')
	]);
	const resource = resources
		.resourceFromAttributes({ 'service.name': settings.serviceName })
		// OTEL_RESOURCE_ATTRIBUTES (deployment.environment, service.instance.id, …) and OTEL_SERVICE_NAME.
		.merge(resources.detectResources({ detectors: [resources.envDetector] }));
	const provider = new sdk.NodeTracerProvider({
		resource,
		spanProcessors: [
			withoutProbes(new sdk.BatchSpanProcessor(redactingExporter(new exporter.OTLPTraceExporter())))
		]
	});
	const propagators = [
		...(settings.propagators.traceContext ? [new core.W3CTraceContextPropagator()] : []),
		...(settings.propagators.baggage ? [new core.W3CBaggagePropagator()] : [])
	];
	provider.register({
		propagator: propagators.length ? new core.CompositePropagator({ propagators }) : null
	});
	return { shutdown: () => provider.shutdown() };
}
