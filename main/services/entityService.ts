import { and, desc, eq, gte, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import type { ServiceContext } from '../domain/context.js';
import { conflict } from '../domain/errors.js';
import { fromMinor } from '../../db/values/money.js';
import { countryOfLocale, digitsOf, phoneSearchDigits } from '../domain/phone.js';
import { basedOn, enumOf, localDate, newRecordId, pagination, parsing, parsingFor, text } from '../domain/validation.js';
import { assertCurrent, assertIdFree, inTransaction, insertRecord, pageOf, requireRecord, softDeleteRecord, updateRecord, type Page, type RecordTable } from './records.js';

// One generic piece for the plain records (sources, campaigns, customers, unit
// inventory): create, get, list, update, soft delete. Entities with rules of their
// own (leads, milestones, bookings, ledger) build on the same records helpers.

type Values = Record<string, unknown>;

export interface EntityOptions<T extends RecordTable, C extends z.ZodObject, U extends z.ZodObject, F extends string> {
  table: T;
  entity: string;
  createInput: C;
  updateInput: U;
  /** Fields held in minor units and shown as decimals. */
  moneyFields?: readonly string[];
  /** Columns whose value must be unique among records (codes). */
  uniqueFields?: readonly string[];
  /** Equality filters a list accepts, by input name. */
  filters?: Record<F, SQLiteColumn>;
  searchColumns?: SQLiteColumn[];
  /** A phone column a search also matches by its digits, however the number was typed. */
  phoneColumn?: string;
  /** The columns a search that is a phone number also looks in (codes, emails); names and companies hold no numbers worth a full scan. */
  digitColumns?: SQLiteColumn[];
  /** Sort order of lists, most significant first (`asc(col)`, `desc(col)`). */
  orderBy: SQL[];
  /** Column a list's `from`/`to` (inclusive local dates) apply to. */
  dateColumn?: SQLiteColumn;
  /** Called inside the transaction after a record is written (status history, ...). */
  afterCreate?: (ctx: ServiceContext, row: Values) => void;
  afterUpdate?: (ctx: ServiceContext, before: Values, after: Values) => void;
  /** Fill defaults that need the context (generated codes). */
  prepare?: (ctx: ServiceContext, values: Values) => Values;
  /** Cross-field rules checked on the merged record (create and update). */
  check?: (ctx: ServiceContext, merged: Values) => void;
  /** An update's fields as they are to be written, knowing the record as it is (a value changed is checked; one sent back unchanged is not). */
  preparePatch?: (ctx: ServiceContext, existing: Values, patch: Values) => Values;
}

/** A plain record's inputs from its fields: created with all of them (and its own id, offline devices bring one), changed by any of them. */
export const recordInputs = <Shape extends z.core.$ZodShape>(fields: Shape) => ({
  createInput: z.strictObject({ id: newRecordId().optional(), ...fields }),
  updateInput: z.strictObject(fields).partial(),
});

export function presentMoney<T extends Values>(row: T, moneyFields: readonly string[]): T {
  const out: Values = { ...row };
  for (const f of moneyFields) if (typeof out[f] === 'number') out[f] = fromMinor(out[f] as number);
  return out as T;
}

export function entityService<T extends RecordTable, C extends z.ZodObject, U extends z.ZodObject, F extends string = never>(o: EntityOptions<T, C, U, F>) {
  type Row = T['$inferSelect'] & Values;
  const money = o.moneyFields ?? [];
  const present = (row: Row) => presentMoney(row, money);
  const listInput = z.strictObject({
    ...pagination,
    search: text(200).optional(),
    ...(o.dateColumn ? { from: localDate().optional(), to: localDate().optional() } : {}),
    // A filter on a column of fixed values takes one of them (422 otherwise, not an empty list).
    ...(Object.fromEntries(Object.entries<SQLiteColumn>(o.filters ?? ({} as Record<F, SQLiteColumn>)).map(([k, column]) => [k, (column.enumValues?.length ? enumOf(column.enumValues as [string, ...string[]]) : text(200)).optional()])) as unknown as Record<F, z.ZodOptional<z.ZodType<string>>>),
  });

  function assertUnique(ctx: ServiceContext, values: Values, exceptId?: string) {
    for (const field of o.uniqueFields ?? []) {
      const value = values[field];
      if (value === undefined || value === null) continue;
      const column = o.table[field] as SQLiteColumn;
      const hit = ctx.orm.select({ id: o.table.id }).from(o.table).where(eq(column, value)).get() as { id: string } | undefined;
      if (hit && hit.id !== exceptId) throw conflict(`${field} '${String(value)}' already exists`, field);
    }
  }

  // Every update may name the copy it is based on (SPEC §4): a stale one changes nothing.
  const updateInput = o.updateInput.extend(basedOn) as unknown as z.ZodObject<U['shape'] & typeof basedOn, z.core.$strict>;

  return {
    present,
    inputs: { create: o.createInput, update: updateInput, list: listInput },
    create: parsing(o.createInput, (ctx: ServiceContext, input): Row => {
      const { id, ...parsed } = input as Values & { id?: string };
      return inTransaction(ctx, () => {
        assertIdFree(ctx, o.table, id);
        const values = o.prepare ? o.prepare(ctx, parsed) : parsed;
        o.check?.(ctx, values);
        assertUnique(ctx, values);
        const row = insertRecord(ctx, o.table, values, id);
        o.afterCreate?.(ctx, row);
        return present(row);
      });
    }),
    get(ctx: ServiceContext, id: string): Row {
      return present(requireRecord(ctx, o.table, o.entity, id));
    },
    list: parsing(listInput, (ctx: ServiceContext, input): Page<Row> => {
      const filters = input as Values & { limit?: number; offset?: number; include_deleted?: boolean; search?: string };
      const limit = filters.limit ?? 50;
      const offset = filters.offset ?? 0;
      const where: (SQL | undefined)[] = [filters.include_deleted ? undefined : isNull(o.table.deleted_at)];
      for (const [key, column] of Object.entries<SQLiteColumn>(o.filters ?? ({} as Record<F, SQLiteColumn>))) {
        if (filters[key] !== undefined) where.push(eq(column, filters[key]));
      }
      if (o.dateColumn && filters.from) where.push(gte(o.dateColumn, filters.from as string));
      if (o.dateColumn && filters.to) where.push(lte(o.dateColumn, filters.to as string));
      if (filters.search && o.searchColumns?.length) {
        const pattern = `%${filters.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        const digits = o.phoneColumn ? phoneSearchDigits(filters.search, countryOfLocale(ctx.settings.locale)) : null;
        where.push(or(
          ...(digits && o.digitColumns ? o.digitColumns : o.searchColumns).map((c) => sql`${c} LIKE ${pattern} ESCAPE '\\'`),
          // The digits as a bound parameter, twice: in E.164 as stored, and in a number kept as typed long ago.
          ...(digits ? [sql`(${sql.raw(o.phoneColumn!)} LIKE ${`%${digits}%`} OR (substr(${sql.raw(o.phoneColumn!)}, 1, 1) <> '+' AND ${sql.raw(digitsOf(o.phoneColumn!))} LIKE ${`%${digits}%`}))`] : []),
        ));
      }
      const rows = ctx.orm
        .select()
        .from(o.table)
        .where(and(...where))
        .orderBy(...o.orderBy, desc(o.table.id))
        .limit(limit + 1)
        .offset(offset)
        .all() as Row[];
      const page = pageOf(rows, limit, offset);
      return { ...page, items: page.items.map(present) };
    }),
    update: parsingFor(updateInput, (ctx: ServiceContext, id, input): Row => {
      const { expected_updated_at, ...parsed } = input as Values & { expected_updated_at?: string };
      return inTransaction(ctx, () => {
        const existing = requireRecord(ctx, o.table, o.entity, id);
        assertCurrent(o.entity, existing as Row & { updated_at: string }, expected_updated_at, present(existing));
        // Nothing to change: nothing is written (its version stays, so no one else's copy goes stale).
        if (Object.values(parsed).every((v) => v === undefined)) return present(existing);
        const patch = o.preparePatch ? o.preparePatch(ctx, existing as Values, parsed) : parsed;
        o.check?.(ctx, { ...existing, ...patch });
        assertUnique(ctx, patch, id);
        const updated = updateRecord(ctx, o.table, o.entity, id, patch);
        o.afterUpdate?.(ctx, existing, updated);
        return present(updated);
      });
    }),
    remove(ctx: ServiceContext, id: string): Row {
      return inTransaction(ctx, () => present(softDeleteRecord(ctx, o.table, o.entity, id)));
    },
  };
}
