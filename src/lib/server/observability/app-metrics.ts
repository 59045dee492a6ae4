import { version } from '$app/environment';
import { databaseStats } from '$lib/server/db';
import { queriesInFlight, queryDurations } from '$lib/server/db/query-timing';
import { cacheLookups } from '$lib/server/db/revision';
import { heavyPageGate } from '$lib/server/http/heavy-pages';
import { uploadGate } from '$lib/server/integrations/upload-body';
import type { Database } from '$lib/server/db';
import { Counter, Gauge, Histogram, Registry, type Labels } from './metrics';
import { outboxDepths, type OutboxDepth } from './outbox-metrics';

/** The server's series, as /metrics writes them. */
export const registry = new Registry();

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

const requests = registry.add(
	new Counter(
		'rampart_http_requests_total',
		'Requests answered, by method, route id (none: no route matched) and status class.',
		['method', 'route', 'status']
	)
);

const requestDurations = registry.add(
	new Histogram(
		'rampart_http_request_duration_seconds',
		'Time from a request to its response headers, by route id.',
		[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
		['route']
	)
);

let inFlight = 0;

registry.add(
	new Gauge('rampart_http_requests_in_flight', 'Requests being answered now.', () => inFlight)
);

/** A request has started (the hook calls `requestEnded` when it ends). */
export function requestStarted(): void {
	inFlight++;
}

/**
 * Counts an answered request. Labels come from a bounded set only: the route id (never the
 * path, which holds ids and tokens), a known method or `other`, and the status class.
 */
export function requestEnded(
	method: string,
	routeId: string | null,
	status: number,
	seconds: number
): void {
	inFlight--;
	const route = routeId ?? 'none';
	const statusClass = status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
	requests.inc([METHODS.has(method) ? method : 'other', route, statusClass]);
	requestDurations.observe([route], seconds);
}

/** For tests: requests counted with these labels. */
export function requestCount(method: string, route: string, statusClass: string): number {
	return requests.get([method, route, statusClass]);
}

registry.add(queryDurations);

registry.add(
	new Gauge(
		'rampart_db_queries_in_flight',
		'Statements sent to the database and not yet answered (waiting for a connection included).',
		() => {
			const kind = databaseStats()?.kind;
			return kind ? [[[kind], queriesInFlight[kind]]] : undefined;
		},
		['database']
	)
);

registry.add(
	new Gauge(
		'rampart_db_connections_max',
		'Connections the server may open to the database (PGlite: one, in the process).',
		() => {
			const stats = databaseStats();
			return stats ? [[[stats.kind], stats.connections]] : undefined;
		},
		['database']
	)
);

registry.add(
	new Gauge(
		'rampart_pglite_wasm_memory_bytes',
		"The embedded database's WebAssembly memory (it grows and is never given back).",
		() => databaseStats()?.wasmMemoryBytes
	)
);

registry.add(
	new Gauge(
		'rampart_pglite_prepared_statements',
		'Statements the embedded database keeps prepared.',
		() => databaseStats()?.preparedStatements
	)
);

registry.add(
	new Gauge(
		'rampart_cache_lookups_total',
		'Lookups in the per-data-revision caches (dashboard, findings, pipeline figures), by pool and result.',
		() =>
			(['org', 'team'] as const).flatMap((pool): [Labels, number][] => [
				[[pool, 'hit'], cacheLookups[pool].hits],
				[[pool, 'miss'], cacheLookups[pool].misses]
			]),
		['pool', 'result'],
		'counter'
	)
);

registry.add(
	new Gauge(
		'rampart_heavy_pages_active',
		'Organisation-sized pages (heatmap, quarterly report) rendering now.',
		() => heavyPageGate.active
	)
);

registry.add(
	new Gauge(
		'rampart_heavy_pages_waiting',
		'Organisation-sized pages queued for their turn to render.',
		() => heavyPageGate.waiting
	)
);

registry.add(
	new Gauge(
		'rampart_upload_bytes_in_flight',
		'Bytes of pipeline uploads being read now (the gate refuses uploads past its capacity).',
		() => uploadGate.capacity - uploadGate.free
	)
);

registry.add(
	new Gauge(
		'rampart_upload_bytes_capacity',
		'Bytes of pipeline uploads the server reads at once at most.',
		() => uploadGate.capacity
	)
);

/** The outboxes as read for the scrape being answered (undefined when the database did not answer). */
let outboxes: Record<'email' | 'chat', OutboxDepth> | undefined;
const byOutbox = (value: (d: OutboxDepth) => number) =>
	outboxes
		? (Object.entries(outboxes).map(([name, d]) => [[name], value(d)]) as [Labels, number][])
		: undefined;

registry.add(
	new Gauge(
		'rampart_outbox_pending',
		'Emails and chat messages waiting to be sent by the background workers (all instances).',
		() => byOutbox((d) => d.pending),
		['outbox']
	)
);

registry.add(
	new Gauge(
		'rampart_outbox_oldest_pending_seconds',
		'How long the oldest message waiting in each outbox has waited (0: none waits).',
		() => byOutbox((d) => d.oldestSeconds),
		['outbox']
	)
);

const memory = () => process.memoryUsage();

registry.add(
	new Gauge(
		'process_resident_memory_bytes',
		'Resident memory of the server process (PGlite included).',
		() => memory().rss
	)
);

registry.add(
	new Gauge(
		'process_cpu_seconds_total',
		'CPU time of the server process, user and system.',
		() => {
			const { user, system } = process.cpuUsage();
			return (user + system) / 1e6;
		},
		[],
		'counter'
	)
);

const startedAt = Date.now() / 1000 - process.uptime();
registry.add(
	new Gauge(
		'process_start_time_seconds',
		'When the process started, in Unix seconds.',
		() => startedAt
	)
);

registry.add(
	new Gauge(
		'nodejs_memory_bytes',
		"Node.js's memory by kind: the JavaScript heap used and reserved, external memory, array buffers.",
		() => {
			const m = memory();
			return [
				[['heap_used'], m.heapUsed],
				[['heap_total'], m.heapTotal],
				[['external'], m.external],
				[['array_buffers'], m.arrayBuffers]
			] as [Labels, number][];
		},
		['kind']
	)
);

registry.add(
	new Gauge('rampart_build_info', 'The running build of Rampart.', () => [[[version], 1]], [
		'version'
	])
);

/** Every series in Prometheus's text format; with a database, the outboxes' depth too. */
export async function renderMetrics(db?: Database): Promise<string> {
	outboxes = db ? await outboxDepths(db).catch(() => undefined) : undefined;
	return registry.render();
}
