import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { prepareCached } from '../../db/statements.js';
import { readClocks, writeClocks } from './capture.js';
import { clockOf, takeIncoming } from './merge.js';
import { SYNCED_RANK } from '../../db/schema/sync.js';

// Taking a row from the server into this device's SQLite (pull, and the server's copy
// of a refused change), field by field by the merge rules. Plain SQL: no audit row and
// no outbox row (it is not this device's change), while the aggregate triggers keep
// the reports right as for any write.

export type ServerRow = Record<string, unknown> & { id: string; field_hlc?: Record<string, string>; server_version?: number };

interface TableShape {
  columns: string[];
  /** Column → parent table, for the foreign keys a row must find before it can land. */
  parents: { column: string; table: string }[];
}

const shapes = new WeakMap<Database.Database, Map<string, TableShape>>();
export function shapeOf(db: Database.Database, table: string): TableShape {
  let perDb = shapes.get(db);
  if (!perDb) shapes.set(db, (perDb = new Map()));
  let shape = perDb.get(table);
  if (!shape) {
    const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name);
    if (!columns.length) throw new Error(`no table ${table} on this device`);
    const parents = (db.prepare('SELECT "from" AS column, "table" FROM pragma_foreign_key_list(?)').all(table) as { column: string; table: string }[]);
    shape = { columns, parents };
    perDb.set(table, shape);
  }
  return shape;
}

/** Which of these ids a table holds, in one query. */
export const existingIds = (db: Database.Database, table: string, ids: Iterable<unknown>): unknown[] =>
  prepareCached(db, `SELECT id FROM "${table}" WHERE id IN (SELECT value FROM json_each(?))`).pluck().all(JSON.stringify([...ids]));

/** The device's rows of a table with these ids, in one query. */
export const localRows = (db: Database.Database, table: string, ids: Iterable<unknown>) =>
  prepareCached(db, `SELECT * FROM "${table}" WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify([...ids])) as (Record<string, unknown> & { id: unknown })[];

/**
 * Merge a server row into the device's copy (or insert it). With `force` the server's
 * values and clocks replace the device's: what a refused change falls back to.
 * Returns whether anything changed.
 */
export const localRow = (db: Database.Database, table: string, id: string) =>
  (prepareCached(db, `SELECT * FROM "${table}" WHERE id = ?`).get(id) as Record<string, unknown> | undefined) ?? null;

const inserts = new WeakMap<Database.Database, Map<string, string>>();
const insertSql = (db: Database.Database, table: string, columns: string[]) => {
  let perDb = inserts.get(db);
  if (!perDb) inserts.set(db, (perDb = new Map()));
  let sql = perDb.get(table);
  if (!sql) perDb.set(table, (sql = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`));
  return sql;
};

/**
 * `known`: the device's row as the caller already read it (null: not on the device).
 * `fresh`: a device with nothing of its own yet (its first pull) keeps no field clocks
 * for what it takes: a pulled row is always the server's latest, so later pulls take
 * it whole again, and the clocks that matter — those of the device's own edits — are
 * written by the edits themselves.
 */
export function applyServerRow(db: Database.Database, table: string, row: ServerRow, force = false, known?: Record<string, unknown> | null, fresh = false): boolean {
  const { columns } = shapeOf(db, table);
  const serverClocks = row.field_hlc ?? {};
  const local = known === undefined ? localRow(db, table, row.id) : known;
  if (!local) {
    prepareCached(db, insertSql(db, table, columns)).run(...columns.map((c) => row[c] ?? null));
    if (!fresh) writeClocks(db, table, row.id, serverClocks);
    return true;
  }
  const localClocks = readClocks(db, table, row.id) ?? {};
  const clocks: Record<string, string> = {};
  const set: string[] = [];
  for (const c of columns) {
    if (c === 'id') continue;
    const mine = clockOf(localClocks, c);
    const theirs = clockOf(serverClocks, c);
    const incoming = row[c] ?? null;
    if (force || takeIncoming(table, c, local[c], mine, incoming, theirs)) {
      clocks[c] = theirs;
      if (local[c] !== incoming) set.push(c);
    } else {
      clocks[c] = mine;
    }
  }
  if (set.length) prepareCached(db, `UPDATE "${table}" SET ${set.map((c) => `"${c}" = ?`).join(', ')} WHERE id = ?`).run(...set.map((c) => row[c] ?? null), row.id);
  writeClocks(db, table, row.id, clocks);
  return set.length > 0;
}

/**
 * Rows the server does not have (their creation was refused): off the device, through
 * a soft delete so the aggregates let go of them first; children before their parents
 * (a lead's first status-history row travels in the same change as the lead), the
 * foreign keys checked when the transaction commits.
 */
export function removeLocalRows(db: Database.Database, rows: { table: string; id: string }[]): void {
  if (!rows.length) return;
  db.pragma('defer_foreign_keys = ON');
  for (const { table, id } of [...rows].sort((a, b) => (SYNCED_RANK.get(b.table) ?? 0) - (SYNCED_RANK.get(a.table) ?? 0))) {
    const { columns } = shapeOf(db, table);
    if (columns.includes('deleted_at')) prepareCached(db, `UPDATE "${table}" SET deleted_at = coalesce(deleted_at, '0000') WHERE id = ?`).run(id);
    prepareCached(db, `DELETE FROM "${table}" WHERE id = ?`).run(id);
    prepareCached(db, 'DELETE FROM sync_clocks WHERE entity = ? AND row_id = ?').run(table, id);
  }
}

/** A unique index of a table as a lookup: its columns, the SQL matching a row's values (one `?` per column), its partial condition. */
export interface UniqueKey {
  columns: string[];
  match: string;
  live: string | null;
}

const uniqueIndexes = new WeakMap<Database.Database, Map<string, UniqueKey[]>>();
/** A table's unique keys (each its columns, plain or in an expression such as lower(…)), its primary key aside. */
function uniqueIndexesOf(db: Database.Database, table: string): UniqueKey[] {
  let perDb = uniqueIndexes.get(db);
  if (!perDb) uniqueIndexes.set(db, (perDb = new Map()));
  let found = perDb.get(table);
  if (!found) {
    const sqls = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql LIKE 'CREATE UNIQUE INDEX%'").pluck().all(table) as string[];
    found = sqls.map(parseUniqueIndex);
    perDb.set(table, found);
  }
  return found;
}

/** `CREATE UNIQUE INDEX … ON t (a, lower("b")) WHERE …` → columns [a, b], `"a" = ? AND lower("b") = lower(?)`, the WHERE. */
export function parseUniqueIndex(sql: string): UniqueKey {
  const open = sql.indexOf('(', sql.search(/ ON /i));
  let depth = 0;
  let close = open;
  const parts: string[] = [];
  let start = open + 1;
  for (let i = open; i < sql.length; i += 1) {
    if (sql[i] === '(') depth += 1;
    else if (sql[i] === ')' && --depth === 0) {
      close = i;
      break;
    } else if (sql[i] === ',' && depth === 1) {
      parts.push(sql.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(sql.slice(start, close));
  const columns: string[] = [];
  const terms = parts.map((raw) => {
    const expr = raw.trim().replace(/`([^`]+)`/g, '"$1"');
    const column = /"([^"]+)"/.exec(expr)![1]!;
    columns.push(column);
    return `${expr} = ${expr.replace(`"${column}"`, '?')}`;
  });
  const where = /\bWHERE\b([\s\S]*)$/i.exec(sql.slice(close + 1))?.[1]?.trim() ?? null;
  return { columns, match: terms.join(' AND '), live: where };
}

/** A table's single-column unique keys other than its id (codes, usernames): what two devices can both have made. */
export const uniqueColumnsOf = (db: Database.Database, table: string): string[] =>
  uniqueIndexesOf(db, table).filter((k) => k.columns.length === 1 && k.columns[0] !== 'id' && k.match === `"${k.columns[0]}" = ?`).map((k) => k.columns[0]!);

/** A table's unique keys of several columns (a unit type: project and type; a unit: project, tower, number). */
export const uniqueKeysOf = (db: Database.Database, table: string): UniqueKey[] => uniqueIndexesOf(db, table).filter((k) => k.columns.length > 1);

/** The value the server gives a code (or username) that arrived already taken: the same rule in db/pg/central.ts. */
export const collisionValue = (value: string, id: string) => `${value}-${createHash('md5').update(id).digest('hex').slice(0, 4).toUpperCase()}`;
