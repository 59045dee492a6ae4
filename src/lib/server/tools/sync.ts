import { sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { Catalogue } from './catalogue';

/**
 * Brings the shipped catalogue into the database (insert or update by id) so adoption can
 * refer to tools; admin-added tools and retirements are left alone.
 */
export async function syncCatalogue(db: Database, catalogue: Catalogue): Promise<void> {
	await db.transaction(async (tx) => {
		await tx
			.insert(table.toolCategory)
			.values(catalogue.categories)
			.onConflictDoUpdate({
				target: table.toolCategory.id,
				set: {
					name: sql`excluded.name`,
					description: sql`excluded.description`,
					practices: sql`excluded.practices`
				}
			});
		await tx
			.insert(table.tool)
			.values(
				catalogue.tools.map((t) => ({
					id: t.id,
					name: t.name,
					categoryId: t.category,
					homepage: t.homepage,
					licence: t.licence,
					description: t.description,
					source: 'catalogue'
				}))
			)
			.onConflictDoUpdate({
				target: table.tool.id,
				set: {
					name: sql`excluded.name`,
					categoryId: sql`excluded.category_id`,
					homepage: sql`excluded.homepage`,
					licence: sql`excluded.licence`,
					description: sql`excluded.description`
				},
				// A custom tool that happens to share an id with a catalogue tool stays as it is.
				setWhere: sql`${table.tool.source} = 'catalogue'`
			});
	});
}
