import { eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { scannerKey } from '$lib/server/tools/scanner-key';

export interface CatalogueMatch {
	id: string;
	name: string;
}

export { scannerKey };

/**
 * The catalogue tool each scanner name is: the name mapped to a tool (tool_scanner_name), else a
 * catalogue tool of the same name, ignoring case; names no tool claims are missing from the map.
 * Read when shown, so mapping a name once maps every past scan too.
 */
export async function catalogueToolsFor(
	db: Database,
	names: readonly string[]
): Promise<Map<string, CatalogueMatch>> {
	const keys = [...new Set(names.map(scannerKey))];
	const found = new Map<string, CatalogueMatch>();
	if (!keys.length) return found;
	const [mapped, named] = await Promise.all([
		db
			.select({ key: table.toolScannerName.name, id: table.tool.id, name: table.tool.name })
			.from(table.toolScannerName)
			.innerJoin(table.tool, eq(table.tool.id, table.toolScannerName.toolId))
			.where(inArray(table.toolScannerName.name, keys)),
		db
			.select({
				key: sql<string>`lower(${table.tool.name})`,
				id: table.tool.id,
				name: table.tool.name
			})
			.from(table.tool)
			.where(inArray(sql`lower(${table.tool.name})`, keys))
	]);
	for (const m of named) if (!found.has(m.key)) found.set(m.key, { id: m.id, name: m.name });
	// A mapping made on purpose wins over a name that happens to match.
	for (const m of mapped) found.set(m.key, { id: m.id, name: m.name });
	return found;
}
