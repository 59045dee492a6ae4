import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';

/** How many matches a search shows; the page says how many more there are. */
export const SEARCH_LIMIT = 20;

/** The words of a search, lower-cased: every one must appear in a tool's name, id or category. */
export function searchTerms(query: string): string[] {
	return [...new Set(query.toLowerCase().split(/\s+/).filter(Boolean))].slice(0, 8);
}

/**
 * Active catalogue tools whose name, id or category holds every word of the query, with this
 * team's adoption state: names that start with the first word come first. The words are
 * compared as plain text (strpos, not LIKE), so `%`, `_` and quotes match only themselves.
 */
export async function searchCatalogue(
	db: Database,
	teamId: string,
	query: string,
	limit = SEARCH_LIMIT
) {
	const terms = searchTerms(query);
	if (!terms.length) return { total: 0, tools: [] };
	const haystack = sql`lower(${table.tool.name} || ' ' || ${table.tool.id} || ' ' || ${table.toolCategory.name})`;
	const matches: SQL[] = terms.map((t) => sql`strpos(${haystack}, ${t}) > 0`);
	const rows = await db
		.select({
			toolId: table.tool.id,
			name: table.tool.name,
			category: table.toolCategory.name,
			licence: table.tool.licence,
			state: table.toolAdoption.state,
			total: sql<number>`(count(*) over ())::int`
		})
		.from(table.tool)
		.innerJoin(table.toolCategory, eq(table.toolCategory.id, table.tool.categoryId))
		.leftJoin(
			table.toolAdoption,
			and(eq(table.toolAdoption.toolId, table.tool.id), eq(table.toolAdoption.teamId, teamId))
		)
		.where(and(isNull(table.tool.retiredAt), ...matches))
		.orderBy(
			sql`strpos(lower(${table.tool.name}), ${terms[0]}) <> 1`,
			asc(table.tool.name),
			asc(table.tool.id)
		)
		.limit(limit);
	return {
		total: rows[0]?.total ?? 0,
		tools: rows.map(({ total: _total, state, ...tool }) => ({
			...tool,
			state: state ?? 'not_used'
		}))
	};
}
