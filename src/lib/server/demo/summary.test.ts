import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { renderMarkdown } from '$lib/server/content/markdown';
import { getModel } from '$lib/server/model/load-model';
import { reportSummarySchema } from '$lib/schemas/report';
import { seedDemo } from './seed';

describe("the demo's executive summaries", () => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		handle = await createTestDatabase();
		await seedDemo(handle.db, 'demo password for tests');
	});
	afterAll(() => handle.close());

	it('sum up each closed cycle, signed by the security team, in markdown the editor would accept', async () => {
		const cycles = await handle.db
			.select({
				name: table.cycle.name,
				status: table.cycle.status,
				summary: table.cycle.summary,
				by: table.user.email
			})
			.from(table.cycle)
			.leftJoin(table.user, eq(table.user.id, table.cycle.summaryUpdatedBy))
			.orderBy(table.cycle.startsOn);
		const model = getModel();
		for (const c of cycles) {
			if (c.status === 'open') {
				expect(c.summary, c.name).toBe('');
				continue;
			}
			expect(c.by, c.name).toBe('security@demo.rampart.test');
			expect(reportSummarySchema.safeParse({ summary: c.summary, seen: '' }).success).toBe(true);
			const rendered = renderMarkdown(c.summary, {
				practiceHref: (id) => (model.practiceById.has(id) ? `/practices/${id}` : null)
			});
			expect(rendered.problems, c.name).toEqual([]);
			expect(rendered.html).toContain('<strong>');
			expect(rendered.html).toContain('href="/practices/');
		}
		expect(cycles.filter((c) => c.summary).map((c) => c.name)).toEqual(['2026-Q2', '2026-Q3']);
	});
});
