import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** SPEC §3: one row describing the tenant this file belongs to. */
export const tenantSettings = sqliteTable('tenant_settings', {
  tenant_id: text('tenant_id').primaryKey(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('UTC'),
  currency: text('currency').notNull().default('INR'),
  locale: text('locale').notNull().default('en-IN'),
  // Short random tag of this device, used in codes it assigns so that codes made
  // offline on several devices stay unique after sync (SPEC §3 ledger_code).
  device_tag: text('device_tag').notNull(),
  /** SPEC §10: how long a unit hold lasts unless its hold_until is given (hours, at most 30 days). */
  unit_hold_hours: integer('unit_hold_hours').notNull().default(48),
  /** SPEC §10: days after a stage completes that its instalments fall due. */
  demand_notice_days: integer('demand_notice_days').notNull().default(15),
  /** SPEC §11: what a sales rep sees — `all` leads (changing only their own) or only their `own` and what hangs off them. */
  rep_scope: text('rep_scope', { enum: ['own', 'all'] }).notNull().default('all'),
  created_at: text('created_at').notNull(),
  updated_at: text('updated_at').notNull(),
});

/** Per-device counters behind sequential codes (ledger, booking, customer, lead codes). */
export const codeSequences = sqliteTable('code_sequences', {
  name: text('name').primaryKey(),
  next_value: integer('next_value').notNull(),
});

/** Changes to records made once on this device when it first opened a newer schema (main/services/dataUpgrades.ts). */
export const localUpgrades = sqliteTable('local_upgrades', {
  name: text('name').primaryKey(),
  done_at: text('done_at').notNull(),
});
