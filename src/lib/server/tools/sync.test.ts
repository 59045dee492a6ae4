import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { dataRevision } from '$lib/server/db/revision';
import { getModel } from '$lib/server/model/load-model';
import { getCatalogue, type Catalogue } from './catalogue';
import { catalogueClaims } from './scanner-claims';
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
		const claims = catalogueClaims(catalogue);
		expect(claims.size).toBeGreaterThan(20);
		expect(first).toBe(catalogue.categories.length + catalogue.tools.length + claims.size);
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

	it('keeps the scanner names the tools claim, an admin’s own mapping winning over the catalogue', async () => {
		const names = async () =>
			Object.fromEntries(
				(await handle.db.select().from(table.toolScannerName)).map((r) => [
					r.name,
					`${r.toolId} ${r.source}`
				])
			);
		// Back to the shipped catalogue after the test before edited it.
		await syncCatalogue(handle.db, catalogue);
		expect(await names()).toMatchObject({
			'semgrep oss': 'semgrep catalogue',
			'dependency-check': 'owasp-dependency-check catalogue',
			spotbugs: 'find-sec-bugs catalogue',
			eslint: 'eslint catalogue'
		});
		// An admin mapped "Semgrep PRO" to CodeQL (their choice) and an in-house name to Checkov.
		await handle.db
			.update(table.toolScannerName)
			.set({ toolId: 'codeql', source: 'admin' })
			.where(eq(table.toolScannerName.name, 'semgrep pro'));
		await handle.db
			.insert(table.toolScannerName)
			.values({ name: 'in-house iac', toolId: 'checkov', source: 'admin' });
		// The next catalogue moves "Semgrep OSS" to CodeQL, gives up "Trivy", claims the in-house
		// name and "Semgrep PRO" for Semgrep, and claims a new name.
		const next: Catalogue = {
			...catalogue,
			tools: catalogue.tools.map((t) => {
				if (t.id === 'trivy') return { ...t, scanners: [] };
				if (t.id === 'semgrep') return { ...t, scanners: ['Semgrep PRO', 'In-House IaC'] };
				if (t.id === 'codeql') return { ...t, scanners: ['CodeQL', 'Semgrep OSS', 'CodeQL CLI'] };
				return t;
			})
		};
		// Semgrep OSS moved, codeql cli new: 2 claims; trivy and "semgrep" given up: 2 drops.
		expect(await syncCatalogue(handle.db, next)).toBe(4);
		const after = await names();
		expect(after).toMatchObject({
			'semgrep oss': 'codeql catalogue',
			'codeql cli': 'codeql catalogue',
			'semgrep pro': 'codeql admin',
			'in-house iac': 'checkov admin'
		});
		expect(after).not.toHaveProperty('trivy');
		expect(after).not.toHaveProperty('semgrep');
		// And nothing the second time: no write, no new data revision.
		const revision = await dataRevision(handle.db);
		expect(await syncCatalogue(handle.db, next)).toBe(0);
		expect(await dataRevision(handle.db)).toBe(revision);
		expect(await names()).toEqual(after);
	});

	it('claims no scanner name for a custom tool that took a catalogue tool’s id', async () => {
		const fresh = await createTestDatabase();
		try {
			await fresh.db.insert(table.toolCategory).values(catalogue.categories);
			await fresh.db.insert(table.tool).values({
				id: 'grype',
				name: 'Our Grype fork',
				categoryId: 'container-scanning',
				source: 'custom'
			});
			await syncCatalogue(fresh.db, catalogue);
			const rows = await fresh.db
				.select()
				.from(table.toolScannerName)
				.where(eq(table.toolScannerName.toolId, 'grype'));
			expect(rows).toEqual([]);
		} finally {
			await fresh.close();
		}
	});
});
