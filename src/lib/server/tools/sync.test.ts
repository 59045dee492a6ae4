import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { dataRevision } from '$lib/server/db/revision';
import { getModel } from '$lib/server/model/load-model';
import { getCatalogue, type Catalogue } from './catalogue';
import { syncCatalogue } from './sync';

// Start-up syncs the shipped catalogue. It must write nothing when nothing changed: a restart on
// a full disk would otherwise fail there, and every restart would move the data revision.
describe('syncing the tool catalogue', () => {
	let handle: DatabaseHandle;
	let catalogue: Catalogue;
	beforeAll(async () => {
		handle = await createTestDatabase();
		catalogue = getCatalogue(new Set(getModel().practiceById.keys()));
	});
	afterAll(() => handle.close());

	it('writes every row the first time, then nothing while the catalogue is unchanged', async () => {
		const first = await syncCatalogue(handle.db, catalogue);
		expect(first).toBe(catalogue.categories.length + catalogue.tools.length);
		const revision = await dataRevision(handle.db);
		expect(await syncCatalogue(handle.db, catalogue)).toBe(0);
		expect(await dataRevision(handle.db)).toBe(revision);
	});

	it('writes only what the catalogue changed, and leaves custom tools with a shipped id alone', async () => {
		const [tool, other] = catalogue.tools;
		await handle.db
			.update(table.tool)
			.set({ name: 'Mine', source: 'custom' })
			.where(eq(table.tool.id, other!.id));
		const edited: Catalogue = {
			categories: catalogue.categories.map((c, i) => (i === 0 ? { ...c, name: `${c.name}!` } : c)),
			tools: catalogue.tools.map((t) =>
				t.id === tool!.id || t.id === other!.id ? { ...t, description: 'Changed.' } : t
			)
		};
		expect(await syncCatalogue(handle.db, edited)).toBe(2);
		const rows = await handle.db.select().from(table.tool);
		expect(rows.find((t) => t.id === tool!.id)!.description).toBe('Changed.');
		expect(rows.find((t) => t.id === other!.id)!.name).toBe('Mine');
		const [category] = await handle.db
			.select()
			.from(table.toolCategory)
			.where(eq(table.toolCategory.id, edited.categories[0]!.id));
		expect(category!.name).toBe(edited.categories[0]!.name);
	});
});
