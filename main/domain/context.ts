import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import type * as schema from '../../db/schema/index.js';
import { localDateOf } from '../../db/values/dates.js';

export interface TenantSettingsRow {
  tenant_id: string;
  name: string;
  timezone: string;
  currency: string;
  locale: string;
  device_tag: string;
  /** SPEC §10: a unit hold's length unless given (hours; 48 when absent). */
  unit_hold_hours?: number;
  /** SPEC §10: days after a stage completes that its instalments fall due (15 unless set). */
  demand_notice_days?: number;
  /** SPEC §11: what a sales rep sees — every lead (`all`, the default) or only their `own`. */
  rep_scope?: 'own' | 'all';
}

/** What every domain service is called with: one tenant's database and who acts. */
/** One row written, as sync sends it (SPEC §8). */
export interface Change {
  /** Table. */
  t: string;
  id: string;
  op: 'insert' | 'update';
  /** Column values as stored in SQLite (booleans 0/1): the whole row for an insert. */
  v: Record<string, unknown>;
}

/**
 * How a tenant's writes are kept for sync: each change captured, and the changes of one
 * transaction collected into one outbox row written in it. The tenant manager gives the
 * sync's (main/sync/capture.ts); the services only call it.
 */
export interface ChangeCapture {
  change(ctx: ServiceContext, change: Change): void;
  collect<T>(ctx: ServiceContext, work: () => T): T;
}

export interface ServiceContext {
  db: Database.Database;
  orm: BetterSQLite3Database<typeof schema>;
  settings: TenantSettingsRow;
  /** User id of the actor, or null for system work (demo data, CLI set-up). */
  actor: string | null;
  clock: () => Date;
  newId: () => string;
  /** Where its writes are captured for sync. */
  capture: ChangeCapture;
  /** The tenant's folder for files kept beside its database (visit photos); absent where there is none. */
  files?: string;
  /** The tenant's data as a rep sees it under rep_scope = own (db/scope.ts): read-only; absent where there is no tenant file. */
  scopedTo?: (rep: string) => { db: Database.Database; orm: BetterSQLite3Database<typeof schema> };
}

// Never the same millisecond twice in this process: records written one after another
// in one action (a cancellation's credit note, then its refund) keep that order by
// created_at wherever they are listed, instead of falling back on their ids.
let lastMs = 0;
export const defaultClock = () => {
  const now = Date.now();
  lastMs = now > lastMs ? now : lastMs + 1;
  return new Date(lastMs);
};
export const defaultNewId = () => uuidv7();

const EVENT_NAMESPACE = '6f1c2b7e-4d0a-5c3e-9b8f-2a1d3e4f5a6b';
/**
 * The id of a record that is one logical event on what it acts on — the credit note of
 * a booking's cancellation, the counter-entry of a reversal: the same on every device,
 * so the event made on two devices offline merges into one at sync (SPEC §8).
 */
export const eventId = (event: string, of: string) => uuidv5(`${event}:${of}`, EVENT_NAMESPACE);

export const nowIso = (ctx: ServiceContext) => ctx.clock().toISOString();
export const today = (ctx: ServiceContext) => localDateOf(ctx.clock(), ctx.settings.timezone);
