import { sql, type SQL } from 'drizzle-orm';
import { check, integer, text, type SQLiteColumn } from 'drizzle-orm/sqlite-core';

/** SPEC §2: the columns every record carries. */
export function recordColumns() {
  return {
    id: text('id').primaryKey(),
    created_at: text('created_at').notNull(),
    updated_at: text('updated_at').notNull(),
    created_by: text('created_by'),
    deleted_at: text('deleted_at'),
  };
}

export const bool = (name: string) => integer(name, { mode: 'boolean' });

/** A CHECK constraint that keeps a column to one of the listed values (NULL allowed unless NOT NULL). */
export function enumCheck(table: string, column: SQLiteColumn, values: readonly string[]) {
  const list = values.map((v) => `'${v}'`).join(', ');
  return check(`${table}_${column.name}_check`, sql`${column} IN (${sql.raw(list)})`);
}

export function rangeCheck(table: string, name: string, condition: SQL) {
  return check(`${table}_${name}_check`, condition);
}
