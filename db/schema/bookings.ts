import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { enumCheck, rangeCheck, recordColumns } from './columns.js';
import { bookingStatuses } from './enums.js';
import { customers } from './customers.js';
import { leads } from './leads.js';
import { units } from './units.js';

export const bookings = sqliteTable(
  'sales_bookings',
  {
    ...recordColumns(),
    booking_code: text('booking_code').notNull(),
    customer_id: text('customer_id').notNull().references(() => customers.id),
    lead_id: text('lead_id').references(() => leads.id),
    booking_date: text('booking_date').notNull(),
    /** Money in minor units (SPEC §2). */
    booking_amount: integer('booking_amount').notNull(),
    project_name: text('project_name'),
    unit_type: text('unit_type'),
    unit_count: integer('unit_count').notNull().default(1),
    units_booked: integer('units_booked').notNull().default(1),
    units_available: integer('units_available'),
    status: text('status', { enum: bookingStatuses }).notNull().default('confirmed'),
    cancellation_date: text('cancellation_date'),
    cancellation_reason: text('cancellation_reason'),
    refund_amount: integer('refund_amount'),
    /** SPEC §10: the part of the booking amount retained on cancellation (minor units); null until cancelled by that rule. */
    forfeiture_amount: integer('forfeiture_amount'),
    /** SPEC §10: the payment plan the booking's schedule was made from (none: one instalment on the booking date). */
    payment_plan_id: text('payment_plan_id'),
    delivery_date: text('delivery_date'),
    notes: text('notes'),
    /** Set when a booking arrived by sync beyond the unit inventory (SPEC §3): `overbooking`. */
    conflict: text('conflict'),
    /** SPEC §10: the unit this booking holds (its project and type come from it). */
    unit_id: text('unit_id').references(() => units.id),
  },
  (t) => [
    uniqueIndex('sales_bookings_code_unique').on(t.booking_code),
    // Covering, live rows only: booking summary, campaign booked amounts, dashboard.
    index('sales_bookings_status_idx').on(t.status, t.booking_date, t.booking_amount, t.units_booked).where(sql`${t.deleted_at} IS NULL`),
    index('sales_bookings_customer_idx').on(t.customer_id),
    index('sales_bookings_lead_idx').on(t.lead_id, t.status, t.booking_amount).where(sql`${t.deleted_at} IS NULL`),
    index('sales_bookings_date_idx').on(t.booking_date, t.status, t.customer_id, t.booking_amount).where(sql`${t.deleted_at} IS NULL`),
    index('sales_bookings_unit_idx').on(t.project_name, t.unit_type, t.status),
    // One project's bookings (names matched without regard to case), covering the project dashboard.
    index('sales_bookings_project_idx').on(sql`lower(${t.project_name})`, t.booking_date, t.status, t.customer_id, t.lead_id, t.booking_amount).where(sql`${t.deleted_at} IS NULL`),
    // Bookings cancelled before SPEC §10's money rule, still to be brought to it (main/services/dataUpgrades.ts).
    index('sales_bookings_old_cancellations_idx').on(t.id).where(sql`${t.status} = 'cancelled' AND ${t.forfeiture_amount} IS NULL AND ${t.deleted_at} IS NULL`),
    index('sales_bookings_unit_id_idx').on(t.unit_id, t.status).where(sql`${t.unit_id} IS NOT NULL AND ${t.deleted_at} IS NULL`),
    enumCheck('sales_bookings', t.status, bookingStatuses),
    rangeCheck('sales_bookings', 'amount', sql`${t.booking_amount} > 0`),
    rangeCheck('sales_bookings', 'unit_count', sql`${t.unit_count} >= 1`),
    rangeCheck('sales_bookings', 'units_booked', sql`${t.units_booked} BETWEEN 1 AND ${t.unit_count}`),
    rangeCheck('sales_bookings', 'units_available', sql`${t.units_available} >= 0`),
    rangeCheck('sales_bookings', 'refund', sql`${t.refund_amount} BETWEEN 0 AND ${t.booking_amount}`),
    rangeCheck(
      'sales_bookings',
      'cancellation',
      sql`${t.status} <> 'cancelled' OR (${t.cancellation_date} IS NOT NULL AND ${t.cancellation_reason} IS NOT NULL)`,
    ),
  ],
);

export const unitInventory = sqliteTable(
  'sales_unit_inventory',
  {
    ...recordColumns(),
    project_name: text('project_name').notNull().default(''),
    unit_type: text('unit_type').notNull(),
    total_units: integer('total_units').notNull(),
    // The project site's centre and radius, for judging site visits.
    site_latitude: real('site_latitude'),
    site_longitude: real('site_longitude'),
    site_radius_m: integer('site_radius_m'),
  },
  (t) => [
    // One row per project and type, compared without regard to case (names are stored
    // with their spaces tidied, SPEC §3).
    uniqueIndex('sales_unit_inventory_unique').on(sql`lower(${t.project_name})`, sql`lower(${t.unit_type})`).where(sql`${t.deleted_at} IS NULL`),
    rangeCheck('sales_unit_inventory', 'total', sql`${t.total_units} >= 0`),
  ],
);
