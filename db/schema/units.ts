import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { bool, enumCheck, rangeCheck, recordColumns } from './columns.js';
import { holdReleaseReasons } from './enums.js';
import { leads } from './leads.js';

/**
 * SPEC §10: one saleable unit (flat 704 of Tower B). Its status is derived from its
 * bookings and holds, never stored. Project and type are an inventory row's spelling.
 */
export const units = sqliteTable(
  'sales_units',
  {
    ...recordColumns(),
    project_name: text('project_name').notNull(),
    /** Free text, '' when the project has no towers. */
    tower: text('tower').notNull().default(''),
    floor: integer('floor').notNull(),
    unit_number: text('unit_number').notNull(),
    unit_type: text('unit_type').notNull(),
    carpet_area_sqft: real('carpet_area_sqft'),
    /** Money in minor units (SPEC §2). */
    list_price: integer('list_price'),
    /** Withheld by management. */
    blocked: bool('blocked').notNull().default(false),
    notes: text('notes'),
    /**
     * Set when the same unit (project, tower, number) was set up on two devices offline:
     * this one is retired (deleted) and its bookings and holds move to the one named.
     */
    merged_into: text('merged_into'),
  },
  (t) => [
    // A unit number once per project and tower, whatever its case.
    uniqueIndex('sales_units_number_unique').on(t.project_name, sql`lower(${t.tower})`, sql`lower(${t.unit_number})`).where(sql`${t.deleted_at} IS NULL`),
    // The grid: a project's towers, floors, units.
    index('sales_units_grid_idx').on(t.project_name, t.tower, t.floor, t.unit_number).where(sql`${t.deleted_at} IS NULL`),
    index('sales_units_type_idx').on(t.project_name, t.unit_type).where(sql`${t.deleted_at} IS NULL`),
    rangeCheck('sales_units', 'price', sql`${t.list_price} >= 0`),
    rangeCheck('sales_units', 'area', sql`${t.carpet_area_sqft} > 0`),
  ],
);

/**
 * SPEC §10: a unit kept for a lead until hold_until (instants, UTC ISO) or its
 * release. Live while released_at is null and hold_until is later than now: nothing
 * has to run for a hold to expire.
 */
export const unitHolds = sqliteTable(
  'sales_unit_holds',
  {
    ...recordColumns(),
    unit_id: text('unit_id').notNull().references(() => units.id),
    lead_id: text('lead_id').notNull().references(() => leads.id),
    held_by: text('held_by'),
    held_at: text('held_at').notNull(),
    hold_until: text('hold_until').notNull(),
    released_at: text('released_at'),
    release_reason: text('release_reason', { enum: holdReleaseReasons }),
  },
  (t) => [
    index('sales_unit_holds_unit_idx').on(t.unit_id, t.released_at, t.hold_until),
    index('sales_unit_holds_lead_idx').on(t.lead_id),
    index('sales_unit_holds_until_idx').on(t.hold_until, t.held_by).where(sql`${t.released_at} IS NULL AND ${t.deleted_at} IS NULL`),
    enumCheck('sales_unit_holds', t.release_reason, holdReleaseReasons),
    rangeCheck('sales_unit_holds', 'until', sql`${t.hold_until} > ${t.held_at}`),
    rangeCheck('sales_unit_holds', 'release', sql`(${t.released_at} IS NULL) = (${t.release_reason} IS NULL)`),
  ],
);
