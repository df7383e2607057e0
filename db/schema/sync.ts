import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// SPEC §8 local capture. Every mutation writes one outbox row in the same SQLite
// transaction as its changes; sync pushes them in mutation-id order and deletes
// them once the server has applied them.

export const syncOutbox = sqliteTable('sync_outbox', {
  // AUTOINCREMENT: an id is never reused, even after pushed rows are deleted.
  mutation_id: integer('mutation_id').primaryKey({ autoIncrement: true }),
  /** The hybrid logical clock of the mutation (main/sync/hlc.ts); every change in it carries it. */
  hlc: text('hlc').notNull(),
  schema_version: integer('schema_version').notNull(),
  /** JSON array of row changes: {t: table, id, op: 'insert' | 'update', v: {column: value}}. */
  changes: text('changes').notNull(),
  created_at: text('created_at').notNull(),
});

/** The record a row is about: its table (entity) and id; the key of the two tables below. */
const ofRecord = () => ({ entity: text('entity').notNull(), row_id: text('row_id').notNull() });

/** Per record, the clock of each field's last change: {"*": hlc of the insert, field: hlc}. */
export const syncClocks = sqliteTable('sync_clocks', { ...ofRecord(), clocks: text('clocks').notNull() }, (t) => [primaryKey({ columns: [t.entity, t.row_id] })]);

/**
 * Pulled rows waiting for a row they refer to (a lead for its milestone, a customer
 * for its booking) that the server sends later: they land after it, so foreign keys
 * hold and the aggregate triggers see the parent.
 */
export const syncDeferred = sqliteTable('sync_deferred', { ...ofRecord(), row: text('row').notNull() }, (t) => [primaryKey({ columns: [t.entity, t.row_id] })]);

/** Sync bookkeeping of this device: client id, cursor, last clock, server URL, last result. */
export const syncState = sqliteTable('sync_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const syncStateKeys = ['client_id', 'client_base', 'cursor', 'hlc', 'pg_url', 'last_sync', 'needs_seed'] as const;
export type SyncStateKey = (typeof syncStateKeys)[number];

/** Tables whose rows travel; derived tables (aggregates) and device bookkeeping do not. */
export const SYNCED_TABLES = [
  'users', 'audit_log', 'sales_stage_settings', 'sales_lead_sources', 'sales_campaigns', 'sales_customers', 'sales_leads', 'sales_lead_status_history',
  'sales_lead_milestones', 'sales_lead_engagement', 'sales_unit_inventory', 'sales_units', 'sales_unit_holds', 'sales_payment_plans', 'sales_construction_stages',
  'sales_bookings', 'sales_payment_schedule', 'sales_account_ledgers',
] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];

/** A synced table's place in SYNCED_TABLES: parents come before their children. */
export const SYNCED_RANK: ReadonlyMap<string, number> = new Map(SYNCED_TABLES.map((t, i) => [t, i]));
