import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { Catalogue } from './catalogue';
import { scannerNameChanges } from './scanner-claims';

type CategoryRow = typeof table.toolCategory.$inferSelect;
type ToolRow = Pick<
	typeof table.tool.$inferSelect,
	'id' | 'name' | 'categoryId' | 'homepage' | 'licence' | 'description' | 'source'
>;

const sameCategory = (a: CategoryRow, b: CategoryRow) =>
	a.name === b.name &&
	a.description === b.description &&
	JSON.stringify(a.practices) === JSON.stringify(b.practices);

const sameTool = (a: ToolRow, b: ToolRow) =>
	a.name === b.name &&
	a.categoryId === b.categoryId &&
	a.homepage === b.homepage &&
	a.licence === b.licence &&
	a.description === b.description;

/**
 * What the shipped catalogue changes in the stored one: new or edited categories and catalogue
 * tools. A custom tool that shares an id with a catalogue tool stays as it is.
 */
export function catalogueChanges(
	stored: { categories: CategoryRow[]; tools: ToolRow[] },
	catalogue: Catalogue
): { categories: CategoryRow[]; tools: ToolRow[] } {
	const categories = new Map(stored.categories.map((c) => [c.id, c]));
	const tools = new Map(stored.tools.map((t) => [t.id, t]));
	return {
		categories: catalogue.categories.filter((c) => {
			const old = categories.get(c.id);
			return !old || !sameCategory(old, c);
		}),
		tools: catalogue.tools
			.map((t): ToolRow => ({
				id: t.id,
				name: t.name,
				categoryId: t.category,
				homepage: t.homepage,
				licence: t.licence,
				description: t.description,
				source: 'catalogue'
			}))
			.filter((t) => {
				const old = tools.get(t.id);
				return !old || (old.source === 'catalogue' && !sameTool(old, t));
			})
	};
}

/**
 * Brings the shipped catalogue into the database (insert or update by id) so adoption can
 * refer to tools, and the scanner names its tools claim into tool_scanner_name; admin-added
 * tools, retirements and admins' own scanner mappings are left alone. Writes nothing when nothing
 * changed, so a restart works on a full disk. Returns how many rows it wrote.
 */
export async function syncCatalogue(db: Database, catalogue: Catalogue): Promise<number> {
	const [categories, tools, scanners] = await Promise.all([
		db.select().from(table.toolCategory),
		db
			.select({
				id: table.tool.id,
				name: table.tool.name,
				categoryId: table.tool.categoryId,
				homepage: table.tool.homepage,
				licence: table.tool.licence,
				description: table.tool.description,
				source: table.tool.source
			})
			.from(table.tool),
		db
			.select({
				name: table.toolScannerName.name,
				toolId: table.toolScannerName.toolId,
				source: table.toolScannerName.source
			})
			.from(table.toolScannerName)
	]);
	const changes = catalogueChanges({ categories, tools }, catalogue);
	const custom = new Set(tools.filter((t) => t.source !== 'catalogue').map((t) => t.id));
	const names = scannerNameChanges(scanners, catalogue, custom);
	const written =
		changes.categories.length + changes.tools.length + names.claim.length + names.drop.length;
	if (!written) return 0;
	await db.transaction(async (tx) => {
		if (changes.categories.length)
			await tx
				.insert(table.toolCategory)
				.values(changes.categories)
				.onConflictDoUpdate({
					target: table.toolCategory.id,
					set: {
						name: sql`excluded.name`,
						description: sql`excluded.description`,
						practices: sql`excluded.practices`
					}
				});
		if (changes.tools.length)
			await tx
				.insert(table.tool)
				.values(changes.tools)
				.onConflictDoUpdate({
					target: table.tool.id,
					set: {
						name: sql`excluded.name`,
						categoryId: sql`excluded.category_id`,
						homepage: sql`excluded.homepage`,
						licence: sql`excluded.licence`,
						description: sql`excluded.description`
					},
					// Checked again here: a custom tool may have taken the id since the read.
					setWhere: sql`${table.tool.source} = 'catalogue'`
				});
		if (names.drop.length)
			await tx
				.delete(table.toolScannerName)
				.where(
					and(
						inArray(table.toolScannerName.name, names.drop),
						eq(table.toolScannerName.source, 'catalogue')
					)
				);
		if (names.claim.length)
			await tx
				.insert(table.toolScannerName)
				.values(names.claim.map((c) => ({ ...c, source: 'catalogue' })))
				.onConflictDoUpdate({
					target: table.toolScannerName.name,
					set: { toolId: sql`excluded.tool_id` },
					// An admin's own mapping of the name is never overwritten.
					setWhere: sql`${table.toolScannerName.source} = 'catalogue'`
				});
	});
	return written;
}
