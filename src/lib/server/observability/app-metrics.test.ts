import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import { cachedForRevision } from '$lib/server/db/revision';
import { heavyPageGate } from '$lib/server/http/heavy-pages';
import { renderMetrics, requestCount, requestEnded, requestStarted } from './app-metrics';

/** A series' value in the rendered text, by its name with labels. */
function valueOf(text: string, series: string): number | undefined {
	const line = text.split('\n').find((l) => l.startsWith(`${series} `));
	return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the server’s metrics', () => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		handle = await createTestDatabase();
	});
	afterAll(() => handle?.close());

	it('counts requests by a known method, the route id and the status class only', async () => {
		const before = requestCount('GET', '/(app)/teams/[slug]', '2xx');
		requestStarted();
		expect(
			valueOf(await renderMetrics(), 'rampart_http_requests_in_flight')
		).toBeGreaterThanOrEqual(1);
		requestEnded('GET', '/(app)/teams/[slug]', 204, 0.012);
		requestStarted();
		requestEnded('BREW', null, 999, 0.001);
		expect(requestCount('GET', '/(app)/teams/[slug]', '2xx')).toBe(before + 1);
		expect(requestCount('other', 'none', 'other')).toBeGreaterThanOrEqual(1);
		const text = await renderMetrics();
		expect(text).toContain(
			'rampart_http_request_duration_seconds_bucket{route="/(app)/teams/[slug]",le="0.025"}'
		);
		expect(text).not.toContain('BREW');
	});

	it('counts cache hits and misses of the per-revision caches', async () => {
		const series = async (result: string) =>
			valueOf(
				await renderMetrics(),
				`rampart_cache_lookups_total{pool="team",result="${result}"}`
			)!;
		const [hits, misses] = [await series('hit'), await series('miss')];
		let made = 0;
		const make = async () => ++made;
		await cachedForRevision(handle.db, 'metrics-test', 'r1', make, 'team');
		await cachedForRevision(handle.db, 'metrics-test', 'r1', make, 'team');
		await cachedForRevision(handle.db, 'metrics-test', 'r1', make, 'team');
		await cachedForRevision(handle.db, 'metrics-test', 'r2', make, 'team');
		expect(made).toBe(2);
		expect((await series('hit')) - hits).toBe(2);
		expect((await series('miss')) - misses).toBe(2);
	});

	it('shows the heavy pages queue while pages wait their turn', async () => {
		let release!: () => void;
		const blocked = new Promise<void>((r) => (release = r));
		const runs = [1, 2, 3].map(() => heavyPageGate.run(() => blocked));
		await Promise.resolve();
		const text = await renderMetrics();
		expect(valueOf(text, 'rampart_heavy_pages_active')).toBe(2);
		expect(valueOf(text, 'rampart_heavy_pages_waiting')).toBe(1);
		release();
		await Promise.all(runs);
		expect(valueOf(await renderMetrics(), 'rampart_heavy_pages_waiting')).toBe(0);
	});

	it('writes process memory, CPU, the upload gate and the build, each once with HELP and TYPE', async () => {
		const text = await renderMetrics();
		expect(valueOf(text, 'process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
		expect(valueOf(text, 'nodejs_memory_bytes{kind="heap_used"}')).toBeGreaterThan(1_000_000);
		expect(valueOf(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
		expect(valueOf(text, 'rampart_upload_bytes_capacity')).toBe(32 * 1024 * 1024);
		expect(valueOf(text, 'rampart_upload_bytes_in_flight')).toBe(0);
		expect(text).toMatch(/^rampart_build_info\{version="[^"]+"\} 1$/m);
		const types = text.match(/^# TYPE (\S+)/gm)!;
		expect(new Set(types).size).toBe(types.length);
		// Every sample line is a name, optional labels and a number.
		for (const line of text.trim().split('\n')) {
			if (line.startsWith('#')) continue;
			const value = line.slice(line.lastIndexOf(' ') + 1);
			expect(line).toMatch(/^[a-z_]+[{ ]/);
			expect(Number.isNaN(Number(value)) && value !== 'NaN', line).toBe(false);
		}
	});

	it('shows the outboxes’ waiting messages, counted in the database, and nothing when none is given', async () => {
		await handle.db.execute(sql`
			insert into email_outbox (kind, to_address, subject, text_body, html_body, created_at, sent_at, failed_at)
			values
				('k', 'a@example.com', 's', 't', 'h', now() - interval '90 seconds', null, null),
				('k', 'b@example.com', 's', 't', 'h', now() - interval '10 seconds', null, null),
				('k', 'c@example.com', 's', 't', 'h', now() - interval '1 hour', now(), null),
				('k', 'd@example.com', 's', 't', 'h', now() - interval '2 hours', null, now())`);
		const text = await renderMetrics(handle.db);
		expect(valueOf(text, 'rampart_outbox_pending{outbox="email"}')).toBe(2);
		expect(valueOf(text, 'rampart_outbox_pending{outbox="chat"}')).toBe(0);
		const oldest = valueOf(text, 'rampart_outbox_oldest_pending_seconds{outbox="email"}')!;
		expect(oldest).toBeGreaterThanOrEqual(90);
		expect(oldest).toBeLessThan(200);
		expect(valueOf(text, 'rampart_outbox_oldest_pending_seconds{outbox="chat"}')).toBe(0);
		expect(await renderMetrics()).not.toContain('rampart_outbox');
	});
});
