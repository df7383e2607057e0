import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type * as schema from '../../db/schema/index.js';
import { localDateOf } from './dates.js';

export interface TenantSettingsRow {
  tenant_id: string;
  name: string;
  timezone: string;
  currency: string;
  locale: string;
  device_tag: string;
}

/** What every domain service is called with: one tenant's database and who acts. */
export interface ServiceContext {
  db: Database.Database;
  orm: BetterSQLite3Database<typeof schema>;
  settings: TenantSettingsRow;
  /** User id of the actor, or null for system work (demo data, CLI set-up). */
  actor: string | null;
  clock: () => Date;
  newId: () => string;
  /** The tenant's folder for files kept beside its database (visit photos); absent where there is none. */
  files?: string;
}

export const defaultClock = () => new Date();
export const defaultNewId = () => uuidv7();

export const nowIso = (ctx: ServiceContext) => ctx.clock().toISOString();
export const today = (ctx: ServiceContext) => localDateOf(ctx.clock(), ctx.settings.timezone);
