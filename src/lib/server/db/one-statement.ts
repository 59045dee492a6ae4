import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Tx } from './client';

/**
 * Runs several writes on different tables as ONE statement (data-modifying WITH clauses), so
 * they cost one round trip instead of one each: on the embedded database each round trip,
 * not the work, is most of a small write's cost. The writes see the same snapshot, so no two
 * of them may touch the same row. Triggers fire as they would for separate statements.
 */
export async function writeTogether(db: Tx, writes: readonly SQLWrapper[]): Promise<void> {
	if (!writes.length) return;
	if (writes.length === 1) {
		await db.execute(writes[0]!.getSQL());
		return;
	}
	const parts: SQL[] = writes.map((w, i) => sql`${sql.raw(`w${i}`)} as (${w.getSQL()})`);
	await db.execute(sql`with ${sql.join(parts, sql`, `)} select 1`);
}
