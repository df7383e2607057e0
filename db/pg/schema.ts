import type Database from 'better-sqlite3';
import { PG_FUNCTIONS, PG_VIEWS } from './views.js';

// The central Postgres holds the same tables as a tenant's SQLite, read from a
// migrated SQLite database rather than written twice: columns, keys, CHECKs,
// indexes (partial and covering ones included) and foreign keys. Values keep their
// SQLite form — dates and instants as ISO text, money and flags as integers — so a
// row means the same on both sides and the report SQL reads alike; text sorts by
// code point (COLLATE "C") as SQLite's does, so ordered reports match row for row.

export interface PgSchema {
  /** CREATE TABLE statements, in an order that satisfies no constraint: FKs come later. */
  tables: string[];
  indexes: string[];
  foreignKeys: string[];
  /** Helper functions report SQL relies on, then the SPEC §5 report views. */
  functions: string[];
  views: string[];
}

// Drizzle's bookkeeping and the device's own sync bookkeeping stay on the device.
const LOCAL_ONLY = new Set(['__drizzle_migrations', 'sync_outbox', 'sync_clocks', 'sync_state', 'auth_user_versions', 'auth_revoked_tokens']);

interface Column {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

const pgType = (sqliteType: string): string => {
  switch (sqliteType.toUpperCase()) {
    case 'TEXT':
      return 'text COLLATE "C"';
    case 'INTEGER':
      return 'bigint';
    case 'REAL':
    case 'NUMERIC':
      return 'double precision';
    default:
      throw new Error(`no Postgres type for the SQLite column type ${sqliteType}`);
  }
};

const pgDefault = (value: string) => (value === 'false' ? '0' : value === 'true' ? '1' : value);

export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * SQLite's backtick quoting, table-qualified columns (as drizzle writes them) and
 * comparisons added up as 0/1 (`(a > 0) + (b > 0)`) in Postgres' terms.
 */
export const portableSql = (sql: string, table: string) =>
  sql
    .replace(/`([^`]*)`/g, '"$1"')
    .replaceAll(`${quote(table)}.`, '')
    .replace(/\(([^()]*[<>=][^()]*)\) \+ \(([^()]*[<>=][^()]*)\)/g, '($1)::int + ($2)::int');

/** The `CONSTRAINT name CHECK (…)` clauses of a CREATE TABLE statement. */
export function checkConstraints(createSql: string): { name: string; expr: string }[] {
  const found: { name: string; expr: string }[] = [];
  const head = /CONSTRAINT\s+"([^"]+)"\s+CHECK\s*\(/g;
  for (let m = head.exec(createSql); m; m = head.exec(createSql)) {
    let depth = 1;
    let i = head.lastIndex;
    let inString = false;
    for (; i < createSql.length && depth > 0; i += 1) {
      const ch = createSql[i];
      if (ch === "'") inString = !inString;
      else if (!inString && ch === '(') depth += 1;
      else if (!inString && ch === ')') depth -= 1;
    }
    found.push({ name: m[1]!, expr: createSql.slice(head.lastIndex, i - 1) });
    head.lastIndex = i;
  }
  return found;
}

/** One SQLite table in Postgres' terms: column definitions, key, CHECKs, index and FK statements. */
export interface TableDefinition {
  name: string;
  columns: { name: string; type: string; ddl: string }[];
  key: string[];
  checks: string[];
  indexes: string[];
  foreignKeys: string[];
}

export function tableDefinitions(db: Database.Database): TableDefinition[] {
  const tables = (db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string; sql: string }[])
    .filter((t) => !LOCAL_ONLY.has(t.name));
  return tables.map((t) => {
    const columns = db.prepare('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)').all(t.name) as Column[];
    const refs = db.prepare('SELECT id, "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq').all(t.name) as { id: number; table: string; from: string; to: string }[];
    const indexes = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name").all(t.name) as { sql: string }[];
    return {
      name: t.name,
      columns: columns.map((c) => ({
        name: c.name,
        type: pgType(c.type).replace(/ COLLATE .*$/, ''),
        ddl: `${quote(c.name)} ${pgType(c.type)}${c.notnull || c.pk ? ' NOT NULL' : ''}${c.dflt_value !== null ? ` DEFAULT ${pgDefault(c.dflt_value)}` : ''}`,
      })),
      key: columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
      checks: checkConstraints(t.sql).map((c) => `CONSTRAINT ${quote(c.name)} CHECK (${portableSql(c.expr, t.name)})`),
      indexes: indexes.map((i) => portableSql(i.sql, t.name)),
      foreignKeys: [...new Set(refs.map((r) => r.id))].map((id) => {
        const parts = refs.filter((r) => r.id === id);
        return `ALTER TABLE ${quote(t.name)} ADD CONSTRAINT ${quote(`${t.name}_${parts.map((r) => r.from).join('_')}_fk`)} FOREIGN KEY (${parts.map((r) => quote(r.from)).join(', ')}) REFERENCES ${quote(parts[0]!.table)} (${parts.map((r) => quote(r.to)).join(', ')})`;
      }),
    };
  });
}

export function pgSchemaFrom(db: Database.Database): PgSchema {
  const schema: PgSchema = { tables: [], indexes: [], foreignKeys: [], functions: PG_FUNCTIONS, views: PG_VIEWS };
  for (const t of tableDefinitions(db)) {
    const lines = [...t.columns.map((c) => c.ddl), ...(t.key.length ? [`PRIMARY KEY (${t.key.map(quote).join(', ')})`] : []), ...t.checks];
    schema.tables.push(`CREATE TABLE ${quote(t.name)} (\n  ${lines.join(',\n  ')}\n)`);
    schema.indexes.push(...t.indexes);
    schema.foreignKeys.push(...t.foreignKeys);
  }
  return schema;
}

/** Every statement, in the order a fresh database takes them. */
export const schemaStatements = (s: PgSchema) => [...s.functions, ...s.tables, ...s.indexes, ...s.foreignKeys, ...s.views];
