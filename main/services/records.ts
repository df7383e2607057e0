import { and, eq, getTableName, isNull } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTableWithColumns } from 'drizzle-orm/sqlite-core';
import { auditLog } from '../../db/schema/index.js';
import { AppError, fromSqliteError, notFound } from '../domain/errors.js';
import { nowIso, type ServiceContext } from '../domain/context.js';

// The mechanics every entity shares (SPEC §2): ids, timestamps, soft delete, audit.
// Services hold the rules; this file holds only the bookkeeping.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RecordTable = SQLiteTableWithColumns<any> & { id: SQLiteColumn; deleted_at: SQLiteColumn };

export function audit(ctx: ServiceContext, entity: string, entityId: string, action: string, changes: unknown): void {
  ctx.orm
    .insert(auditLog)
    .values({ id: ctx.newId(), entity, entity_id: entityId, action, actor: ctx.actor, at: nowIso(ctx), changes: JSON.stringify(changes ?? {}) })
    .run();
}

/** Run `work` in one transaction; constraint failures become domain errors, and nothing is written. */
export function inTransaction<T>(ctx: ServiceContext, work: () => T): T {
  try {
    return ctx.db.transaction(work)();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw fromSqliteError(err) ?? err;
  }
}

export function insertRecord<Row>(ctx: ServiceContext, table: RecordTable, values: Record<string, unknown>, id?: string): Row {
  const at = nowIso(ctx);
  const row = { ...values, id: id ?? ctx.newId(), created_at: at, updated_at: at, created_by: ctx.actor, deleted_at: null };
  const inserted = ctx.orm.insert(table).values(row).returning().get() as Row;
  audit(ctx, getTableName(table), row.id, 'create', values);
  return inserted;
}

export function findRecord<Row>(ctx: ServiceContext, table: RecordTable, id: string, { includeDeleted = false } = {}): Row | undefined {
  const where = includeDeleted ? eq(table.id, id) : and(eq(table.id, id), isNull(table.deleted_at));
  return ctx.orm.select().from(table).where(where).get() as Row | undefined;
}

export function requireRecord<Row>(ctx: ServiceContext, table: RecordTable, entity: string, id: string): Row {
  const row = findRecord<Row>(ctx, table, id);
  if (!row) throw notFound(entity, id);
  return row;
}

export function updateRecord<Row>(ctx: ServiceContext, table: RecordTable, entity: string, id: string, patch: Record<string, unknown>, action = 'update'): Row {
  requireRecord(ctx, table, entity, id);
  const updated = ctx.orm
    .update(table)
    .set({ ...patch, updated_at: nowIso(ctx) })
    .where(eq(table.id, id))
    .returning()
    .get() as Row;
  audit(ctx, getTableName(table), id, action, patch);
  return updated;
}

export function softDeleteRecord<Row>(ctx: ServiceContext, table: RecordTable, entity: string, id: string): Row {
  return updateRecord<Row>(ctx, table, entity, id, { deleted_at: nowIso(ctx) }, 'delete');
}

/** Refuse a client-supplied id that is already taken (including by a deleted record). */
export function assertIdFree(ctx: ServiceContext, table: RecordTable, id: string | undefined): void {
  if (id && findRecord(ctx, table, id, { includeDeleted: true })) {
    throw new AppError('conflict', `a record with id '${id}' already exists`, [{ field: 'id', message: 'already exists' }]);
  }
}

/** Next value of a per-device counter, e.g. `LED-3F9A-000042` (SPEC §3 ledger_code). */
export function nextCode(ctx: ServiceContext, prefix: string): string {
  const row = ctx.db
    .prepare(
      `INSERT INTO code_sequences (name, next_value) VALUES (?, 2)
       ON CONFLICT(name) DO UPDATE SET next_value = next_value + 1
       RETURNING next_value - 1 AS value`,
    )
    .get(prefix) as { value: number };
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
export function assertReference(ctx: ServiceContext, table: RecordTable, entity: string, id: unknown, field: string): void {
  if (id === undefined || id === null) return;
  if (!findRecord(ctx, table, String(id))) {
    throw new AppError('not_found', `${entity} '${String(id)}' not found`, [{ field, message: `no ${entity} with this id` }]);
  }
}
