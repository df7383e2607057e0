import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { bool, enumCheck, rangeCheck, recordColumns } from './columns.js';
import { scheduleStatuses } from './enums.js';
import { bookings } from './bookings.js';

/**
 * SPEC §10: how a booking's price is paid — an ordered list of instalments, each a
 * percent (at most 2 decimals; they sum to exactly 100) due on booking, some days
 * after it, or when a construction stage is complete. `instalments` is JSON:
 * [{ "label": "On booking", "percent": 10, "due": "on_booking" | { "after_days": 30 } | { "stage": "Plinth" } }].
 */
export const paymentPlans = sqliteTable(
  'sales_payment_plans',
  {
    ...recordColumns(),
    plan_code: text('plan_code').notNull(),
    plan_name: text('plan_name').notNull(),
    /** '' when the plan serves any project. */
    project_name: text('project_name').notNull().default(''),
    active: bool('active').notNull().default(true),
    instalments: text('instalments').notNull(),
  },
  (t) => [uniqueIndex('sales_payment_plans_code_unique').on(t.plan_code)],
);

/**
 * SPEC §10: one instalment of a booking. Amounts in minor units, summing to the
 * booking amount exactly; due_date null while its stage is not complete.
 */
export const paymentSchedule = sqliteTable(
  'sales_payment_schedule',
  {
    ...recordColumns(),
    booking_id: text('booking_id').notNull().references(() => bookings.id),
    seq: integer('seq').notNull(),
    label: text('label').notNull(),
    amount: integer('amount').notNull(),
    due_date: text('due_date'),
    stage: text('stage'),
    status: text('status', { enum: scheduleStatuses }).notNull().default('scheduled'),
  },
  (t) => [
    uniqueIndex('sales_payment_schedule_seq_unique').on(t.booking_id, t.seq).where(sql`${t.deleted_at} IS NULL`),
    // Receivables: what falls due by a day, and a stage's instalments when it completes.
    index('sales_payment_schedule_due_idx').on(t.due_date, t.booking_id, t.amount).where(sql`${t.deleted_at} IS NULL AND ${t.status} = 'scheduled'`),
    // By booking, deleted instalments too (the unique index holds live ones only).
    index('sales_payment_schedule_booking_idx').on(t.booking_id),
    index('sales_payment_schedule_stage_idx').on(t.stage).where(sql`${t.stage} IS NOT NULL AND ${t.deleted_at} IS NULL`),
    enumCheck('sales_payment_schedule', t.status, scheduleStatuses),
    rangeCheck('sales_payment_schedule', 'amount', sql`${t.amount} >= 0`),
  ],
);

/** SPEC §10: a project's construction stage; completing it dates the instalments tied to it. */
export const constructionStages = sqliteTable('sales_construction_stages', {
  ...recordColumns(),
  project_name: text('project_name').notNull(),
  stage: text('stage').notNull(),
  completed_on: text('completed_on'),
}, (t) => [uniqueIndex('sales_construction_stages_unique').on(sql`lower(${t.project_name})`, sql`lower(${t.stage})`).where(sql`${t.deleted_at} IS NULL`)]);
