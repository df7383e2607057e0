import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { closeSqlite, openSqlite, privateDir } from '../db/connection.js';
import { runMigrations } from '../db/migrate.js';
import { fillScope, openScoped } from '../db/scope.js';
import { upgradeData } from './services/dataUpgrades.js';
import { loadSettings } from './services/tenantSetup.js';
import { assertTenantId } from './domain/tenantId.js';
import { syncCapture } from './sync/capture.js';
import * as schema from '../db/schema/index.js';
import { AppError, conflict } from './domain/errors.js';
import { defaultClock, defaultNewId, type ServiceContext, type TenantSettingsRow } from './domain/context.js';

// SPEC §1 tenancy: one SQLite file per tenant under <data-dir>/tenants/.


/** --data-dir, else MILEPOST_DATA_DIR, else the OS's per-user app-data folder (as Electron's userData). */
export function resolveDataDir(explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  if (process.env.MILEPOST_DATA_DIR) return path.resolve(process.env.MILEPOST_DATA_DIR);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Milepost');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Milepost');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Milepost');
}

export const tenantFile = (dataDir: string, tenantId: string) =>
  path.join(dataDir, 'tenants', `${assertTenantId(tenantId)}.sqlite`);

/** The tenant's files beside its database: photos/<milestone id>/…. */
export const tenantFilesDir = (dataDir: string, tenantId: string) => path.join(dataDir, 'tenants', `${assertTenantId(tenantId)}.files`);
export const backupsDir = (dataDir: string) => path.join(dataDir, 'backups');

export interface TenantHandle {
  tenantId: string;
  db: Database.Database;
  orm: ReturnType<typeof drizzle<typeof schema>>;
  settings: TenantSettingsRow;
  /** SQLite's data_version when the settings were last read: another process's commit (the CLI's `tenant set`) changes it. */
  dataVersion: number;
  /** Read-only connections showing one rep's share of the data (SPEC §11 rep_scope = own; db/scope.ts), by username. */
  scoped: Map<string, { db: Database.Database; orm: ReturnType<typeof drizzle<typeof schema>> }>;
}

/** Reps' scoped connections kept open per tenant; the least recently used is closed beyond this. */
const SCOPED_KEPT = 8;

const dataVersionOf = (db: Database.Database) => db.pragma('data_version', { simple: true }) as number;


/** Opens tenant databases once each and closes them all cleanly. */
export class TenantManager {
  private readonly open = new Map<string, TenantHandle>();

  constructor(readonly dataDir: string, readonly migrationsFolder?: string) {}

  exists(tenantId: string): boolean {
    return fs.existsSync(tenantFile(this.dataDir, tenantId));
  }

  get(tenantId: string): TenantHandle {
    const file = tenantFile(this.dataDir, tenantId);
    const cached = this.open.get(tenantId);
    if (cached) {
      // Settings changed by another process (the CLI beside a running `serve`): every context sees them from the next call.
      const version = dataVersionOf(cached.db);
      if (version !== cached.dataVersion) {
        cached.dataVersion = version;
        Object.assign(cached.settings, loadSettings(cached.db));
      }
      return cached;
    }
    if (!fs.existsSync(file)) throw new AppError('not_found', `tenant '${tenantId}' does not exist in ${this.dataDir}`);
    const db = openSqlite(file, { mustExist: true });
    try {
      runMigrations(db, {
        migrationsFolder: this.migrationsFolder,
        backupTo: () => {
          privateDir(backupsDir(this.dataDir));
          return path.join(backupsDir(this.dataDir), `${tenantId}-pre-migration-${Date.now()}.sqlite`);
        },
      });
      const handle: TenantHandle = { tenantId, db, orm: drizzle(db, { schema }), settings: loadSettings(db), dataVersion: dataVersionOf(db), scoped: new Map() };
      upgradeData({ db, orm: handle.orm, settings: handle.settings, actor: null, clock: defaultClock, newId: defaultNewId, capture: syncCapture, files: tenantFilesDir(this.dataDir, tenantId) });
      this.open.set(tenantId, handle);
      return handle;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Read the tenant's settings again (sync may give the device a new tag); contexts already made see it too. */
  reloadSettings(tenantId: string): void {
    const h = this.open.get(tenantId);
    if (h) Object.assign(h.settings, loadSettings(h.db));
  }

  context(tenantId: string, actor: string | null, overrides: Partial<Pick<ServiceContext, 'clock' | 'newId'>> = {}): ServiceContext {
    const h = this.get(tenantId);
    return {
      db: h.db, orm: h.orm, settings: h.settings, actor, clock: defaultClock, newId: defaultNewId, capture: syncCapture, files: tenantFilesDir(this.dataDir, tenantId),
      scopedTo: (rep) => this.scopedConnection(h, rep), ...overrides,
    };
  }

  /** The tenant's data as one rep may see it under rep_scope = own: a read-only connection of views, opened once and kept (a few per tenant). */
  private scopedConnection(h: TenantHandle, rep: string) {
    let c = h.scoped.get(rep);
    if (c) {
      h.scoped.delete(rep); // most recently used last
    } else {
      const db = openScoped(tenantFile(this.dataDir, h.tenantId), { rep });
      c = { db, orm: drizzle(db, { schema }) };
      for (const [name, old] of h.scoped) {
        if (h.scoped.size < SCOPED_KEPT) break;
        h.scoped.delete(name);
        old.db.close();
      }
    }
    h.scoped.set(rep, c);
    // The share as the data stands now: a lead reassigned a moment ago is in it, or out of it.
    fillScope(c.db, { rep });
    return c;
  }

  /**
   * Build a new tenant file in a temporary name and move it into place only when
   * it is complete, so a failure leaves nothing behind and an existing tenant is
   * never touched.
   */
  create(tenantId: string, build: (ctx: ServiceContext) => void): void {
    const file = tenantFile(this.dataDir, tenantId);
    if (fs.existsSync(file)) throw conflict(`tenant '${tenantId}' already exists`, 'tenant_id');
    privateDir(path.dirname(file));
    const tmp = `${file}.creating-${process.pid}-${Date.now()}`;
    const db = openSqlite(tmp);
    try {
      runMigrations(db, { migrationsFolder: this.migrationsFolder });
      const orm = drizzle(db, { schema });
      const placeholder: TenantSettingsRow = { tenant_id: tenantId, name: '', timezone: 'UTC', currency: 'INR', locale: 'en-IN', device_tag: '' };
      const ctx: ServiceContext = { db, orm, settings: placeholder, actor: null, clock: defaultClock, newId: defaultNewId, capture: syncCapture };
      db.transaction(() => build(ctx))();
      closeSqlite(db);
      fs.linkSync(tmp, file); // fails if another process created the tenant meanwhile
    } catch (err) {
      if (db.open) db.close();
      throw err;
    } finally {
      for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
    }
  }

  close(tenantId: string): void {
    const h = this.open.get(tenantId);
    if (!h) return;
    this.open.delete(tenantId);
    for (const c of h.scoped.values()) c.db.close();
    closeSqlite(h.db);
  }

  closeAll(): void {
    for (const id of [...this.open.keys()]) this.close(id);
  }
}
