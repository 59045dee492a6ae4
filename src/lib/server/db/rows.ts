/** The rows of a raw `db.execute`: drizzle returns them directly on PostgreSQL and as `{ rows }` on PGlite. */
export function rowsOf<T>(result: unknown): T[] {
	return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}
