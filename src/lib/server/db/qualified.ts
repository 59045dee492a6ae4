import { getTableName, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * A column named with its table, for the outer side of a correlated subquery: in a select from
 * one table drizzle (0.45) writes the selection's columns without their table's name, so
 * `where team_id = "id"` would compare the inner table with itself.
 */
export function qualified(column: AnyPgColumn): SQL {
	return sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
}
