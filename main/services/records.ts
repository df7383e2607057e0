import { and, eq, getTableColumns, getTableName, isNull, sql, type SQL } from 'drizzle-orm';
import { prepareCached } from '../../db/statements.js';
import type { SQLiteColumn, SQLiteTableWithColumns } from 'drizzle-orm/sqlite-core';
import { AppError, conflict, fromSqliteError, notFound } from '../domain/errors.js';
import { nowIso, type ServiceContext } from '../domain/context.js';
import { countryOfLocale, readPhone } from '../domain/phone.js';

// The mechanics every entity shares (SPEC §2): ids, timestamps, soft delete, audit.
// Services hold the rules; this file holds only the bookkeeping.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RecordTable = SQLiteTableWithColumns<any> & { id: SQLiteColumn; deleted_at: SQLiteColumn };

const AUDIT_SQL = 'INSERT INTO audit_log (id, entity, entity_id, action, actor, at, changes) VALUES (?, ?, ?, ?, ?, ?, ?)';

// Secrets never go into the audit trail (which syncs and is read back): that they changed, not what to.
const SECRET_FIELDS = new Set(['password_hash', 'other_password_hashes']);
const redacted = (changes: unknown) =>
  changes && typeof changes === 'object' && !Array.isArray(changes)
    ? Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, SECRET_FIELDS.has(k) && v !== null ? '(changed)' : v]))
    : changes;

export function audit(ctx: ServiceContext, entity: string, entityId: string, action: string, changes: unknown): void {
  const row = { id: ctx.newId(), entity, entity_id: entityId, action, actor: ctx.actor, at: nowIso(ctx), changes: JSON.stringify(redacted(changes) ?? {}) };
  prepareCached(ctx.db, AUDIT_SQL).run(row.id, row.entity, row.entity_id, row.action, row.actor, row.at, row.changes);
  ctx.capture.change(ctx, { t: 'audit_log', id: row.id, op: 'insert', v: row });
}

/**
 * Run `work` in one transaction; constraint failures become domain errors, and nothing
 * is written. Its changes become one outbox row of the same transaction (SPEC §8).
 */
export function inTransaction<T>(ctx: ServiceContext, work: () => T): T {
  try {
    return ctx.db.transaction(() => ctx.capture.collect(ctx, work))();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw fromSqliteError(err) ?? err;
  }
}

// Boolean columns (drizzle `mode: 'boolean'`) are 0/1 in SQLite and true/false outside;
// Drizzle converts them both ways. The change a sync records is the row as SQLite holds it.
const booleanColumns = new WeakMap<RecordTable, string[]>();
function booleansOf(table: RecordTable): string[] {
  let cols = booleanColumns.get(table);
  if (!cols) {
    cols = (Object.values(getTableColumns(table)) as SQLiteColumn[]).filter((c) => c.columnType === 'SQLiteBoolean').map((c) => c.name);
    booleanColumns.set(table, cols);
  }
  return cols;
}

/** A row read by Drizzle as SQLite holds it: its flags 0/1 (what a sync carries). */
function asStored(table: RecordTable, row: Record<string, unknown>): Record<string, unknown> {
  const out = { ...row };
  for (const c of booleansOf(table)) if (typeof out[c] === 'boolean') out[c] = out[c] ? 1 : 0;
  return out;
}

/** The record's own columns of `values`, none undefined. */
function columnsOf(table: RecordTable, values: Record<string, unknown>): Record<string, unknown> {
  const columns = getTableColumns(table);
  return Object.fromEntries(Object.entries(values).filter(([k, v]) => v !== undefined && Object.hasOwn(columns, k)));
}

// Drizzle's statements are prepared once per database and shape (the columns an insert
// or update names), as prepareCached does for raw SQL: building and preparing a query for
// every write made writing many records (a demo, a sync) three times slower.
type Prepared = { get(params: Record<string, unknown>): unknown };
const preparedByDb = new WeakMap<object, Map<string, Prepared>>();
export function preparedOnce(ctx: ServiceContext, key: string, make: () => Prepared): Prepared {
  let cache = preparedByDb.get(ctx.db);
  if (!cache) preparedByDb.set(ctx.db, (cache = new Map()));
  let prepared = cache.get(key);
  if (!prepared) cache.set(key, (prepared = make()));
  return prepared;
}
// Each value bound as SQLite holds it (asStored): raw SQL around the placeholder keeps
// Drizzle's column mapping (a flag's null → 0) off it.
export const placeholders = (columns: string[]) => Object.fromEntries(columns.map((c) => [c, sql`${sql.placeholder(c)}`]));

export function insertRecord<T extends RecordTable>(ctx: ServiceContext, table: T, values: Record<string, unknown>, id?: string): T['$inferSelect'] {
  const at = nowIso(ctx);
  const row = columnsOf(table, { ...values, id: id ?? ctx.newId(), created_at: at, updated_at: at, created_by: ctx.actor, deleted_at: null });
  const name = getTableName(table);
  const columns = Object.keys(row);
  const insert = preparedOnce(ctx, `insert ${name} ${columns.join(',')}`, () => ctx.orm.insert(table as RecordTable).values(placeholders(columns)).returning().prepare());
  const inserted = insert.get(asStored(table, row)) as T['$inferSelect'];
  ctx.capture.change(ctx, { t: name, id: row.id as string, op: 'insert', v: asStored(table, inserted) });
  audit(ctx, name, row.id as string, 'create', values);
  return inserted;
}

export function findRecord<T extends RecordTable>(ctx: ServiceContext, table: T, id: string, { includeDeleted = false } = {}): T['$inferSelect'] | undefined {
  const find = preparedOnce(ctx, `find ${getTableName(table)} ${includeDeleted}`, () => {
    const byId = eq(table.id, sql.placeholder('id'));
    return ctx.orm.select().from(table as RecordTable).where(includeDeleted ? byId : and(byId, isNull(table.deleted_at))).prepare();
  });
  return find.get({ id }) as T['$inferSelect'] | undefined;
}

export function requireRecord<T extends RecordTable>(ctx: ServiceContext, table: T, entity: string, id: string): T['$inferSelect'] {
  const row = findRecord(ctx, table, id);
  if (!row) throw notFound(entity, id);
  return row;
}

export function updateRecord<T extends RecordTable>(ctx: ServiceContext, table: T, entity: string, id: string, patch: Record<string, unknown>, action = 'update'): T['$inferSelect'] {
  requireRecord(ctx, table, entity, id);
  const values = columnsOf(table, { ...patch, updated_at: nowIso(ctx) });
  const name = getTableName(table);
  const columns = Object.keys(values);
  const update = preparedOnce(ctx, `update ${name} ${columns.join(',')}`, () =>
    ctx.orm.update(table as RecordTable).set(placeholders(columns)).where(eq(table.id, sql.placeholder('record_id'))).returning().prepare());
  const stored = asStored(table, values);
  const updated = update.get({ ...stored, record_id: id }) as T['$inferSelect'];
  ctx.capture.change(ctx, { t: name, id, op: 'update', v: stored });
  audit(ctx, name, id, action, patch);
  return updated;
}

/** A column equal to a text in any case (codes, names, usernames). */
export const sameText = (column: SQLiteColumn, value: string): SQL => sql`lower(${column}) = lower(${value})`;

/**
 * A record's phone as stored — E.164, read with the tenant's country — or
 * refused naming the field. An empty one is no phone.
 */
export function withPhone(ctx: ServiceContext, values: Record<string, unknown>): Record<string, unknown> {
  if (typeof values.phone !== 'string') return values;
  if (values.phone.trim() === '') return { ...values, phone: null };
  const read = readPhone(values.phone, countryOfLocale(ctx.settings.locale));
  if ('error' in read) throw new AppError('validation_failed', `phone: ${read.error}`, [{ field: 'phone', message: read.error }]);
  return { ...values, phone: read.e164 };
}

/** An update's phone read as `withPhone` does, when it changes (a number kept as typed long ago and sent back unchanged stays). */
export const withChangedPhone = (ctx: ServiceContext, existing: Record<string, unknown>, patch: Record<string, unknown>) =>
  patch.phone !== undefined && patch.phone !== existing.phone ? withPhone(ctx, patch) : patch;

/**
 * A record named by its id or its code (a pasted link `#/leads/LD-000123`, the CLI): its
 * id, or the reference unchanged when no record has it as a code (the caller's lookup
 * then answers not found in its own words).
 */
export function idOrCode(ctx: ServiceContext, table: 'sales_leads' | 'sales_customers' | 'sales_bookings' | 'sales_account_ledgers', codeColumn: 'lead_code' | 'customer_code' | 'booking_code' | 'ledger_code', ref: string): string {
  if (prepareCached(ctx.db, `SELECT 1 FROM ${table} WHERE id = ?`).get(ref)) return ref;
  const row = prepareCached(ctx.db, `SELECT id FROM ${table} WHERE ${codeColumn} = ? AND deleted_at IS NULL`).get(ref) as { id: string } | undefined;
  return row?.id ?? ref;
}

/**
 * SPEC §4: a change based on a stale copy — the `updated_at` the client last read is not
 * the record's now — is refused with 409 and the current record, never applied over it.
 */
export function assertCurrent(entity: string, row: { updated_at: string }, expected: string | undefined, current: unknown = row): void {
  if (expected === undefined || expected === row.updated_at) return;
  throw conflict(
    `this ${entity} was changed since you read it (your copy is of ${expected}, it was last changed at ${row.updated_at}); nothing was saved — look at the current values and make your change again`,
    'expected_updated_at',
    { current },
  );
}

export function softDeleteRecord<T extends RecordTable>(ctx: ServiceContext, table: T, entity: string, id: string): T['$inferSelect'] {
  return updateRecord(ctx, table, entity, id, { deleted_at: nowIso(ctx) }, 'delete');
}

/** Refuse a client-supplied id that is already taken (including by a deleted record). */
export function assertIdFree(ctx: ServiceContext, table: RecordTable, id: string | undefined): void {
  if (id && findRecord(ctx, table, id, { includeDeleted: true })) {
    throw new AppError('conflict', `a record with id '${id}' already exists`, [{ field: 'id', message: 'already exists' }]);
  }
}

/** Next value of a per-device counter, e.g. `LED-3F9A-000042` (SPEC §3 ledger_code). */
export function nextCode(ctx: ServiceContext, prefix: string): string {
  const row = prepareCached(
    ctx.db,
    `INSERT INTO code_sequences (name, next_value) VALUES (?, 2)
       ON CONFLICT(name) DO UPDATE SET next_value = next_value + 1
       RETURNING next_value - 1 AS value`,
  ).get(prefix) as { value: number };
  return `${prefix}-${ctx.settings.device_tag}-${String(row.value).padStart(6, '0')}`;
}

export interface Page<T> {
  items: T[];
  /** Offset of the next page, or null on the last page. */
  next_offset: number | null;
}

export function pageOf<T>(rows: T[], limit: number, offset: number): Page<T> {
  const more = rows.length > limit;
  return { items: more ? rows.slice(0, limit) : rows, next_offset: more ? offset + limit : null };
}

/** A referenced record must exist and not be deleted: 404 naming the field otherwise. */
export function assertReference<T extends RecordTable>(ctx: ServiceContext, table: T, entity: string, id: unknown, field: string): T['$inferSelect'] | undefined {
  if (id === undefined || id === null) return undefined;
  const row = findRecord(ctx, table, String(id));
  if (!row) throw new AppError('not_found', `${entity} '${String(id)}' not found`, [{ field, message: `no ${entity} with this id` }]);
  return row;
}
