import { sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import { rowsOf } from '$lib/server/db/rows';

/**
 * Every row of every table Rampart's migrations create (its own and drizzle's record of
 * migrations), each row as PostgreSQL's text of it, sorted: two databases hold the same data
 * exactly when these are equal.
 */
export async function tableContents(db: Database): Promise<Record<string, string[]>> {
	const tables = rowsOf<{ name: string }>(
		await db.execute(sql`
			select format('%I.%I', schemaname, tablename) as name from pg_tables
			where schemaname in ('public', 'drizzle') order by 1`)
	);
	const contents: Record<string, string[]> = {};
	for (const { name } of tables) {
		const rows = rowsOf<{ row: string }>(
			await db.execute(sql.raw(`select t::text as row from ${name} t`))
		);
		contents[name] = rows.map((r) => r.row).sort();
	}
	return contents;
}
