import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tenantSettings } from '../../db/schema/index.js';
import { AppError } from '../domain/errors.js';
import { nowIso, type ServiceContext } from '../domain/context.js';
import { readState, writeState } from './capture.js';
import { defaultConnect, syncDatabase } from './engine.js';
import { CLOCK_WARNING_MS, newClientId, pendingCount } from './clock.js';
import type { SyncOptions, SyncSummary } from './summary.js';
import type { TenantManager } from '../tenants.js';

// SPEC §8 for a tenant on this device: sync it (or, with no database here yet, make
// it from the server — users included, so people can sign in on a new laptop), one
// sync per tenant at a time, and what the Sync screen shows.

const running = new Map<string, Promise<SyncSummary>>();

/** The URL with its password left out: what is kept in the database and shown. */
export function withoutPassword(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.toString();
}

/**
 * Sync a tenant. Two syncs of one device at once wait for each other (SPEC §8): in this
 * process the second waits for the first to end, and across processes (the app and a
 * `milepost sync`, two terminals) a lock file beside the database does the same; a lock
 * left by a process that died is taken over.
 */
export async function syncTenant(manager: TenantManager, tenantId: string, opts: SyncOptions & { onWait?: (holder: string) => void }): Promise<SyncSummary> {
  for (let earlier = running.get(tenantId); earlier; earlier = running.get(tenantId)) await earlier.catch(() => {});
  const work = withDeviceLock(path.join(manager.dataDir, 'tenants', `${tenantId}.sync-lock`), opts.onWait, async () => {
    if (!manager.exists(tenantId)) await bootstrap(manager, tenantId, opts);
    const db = manager.get(tenantId).db;
    const summary = await syncDatabase(db, opts);
    // Kept only once it worked: a mistyped URL never replaces the one the app syncs with.
    writeState(db, 'pg_url', withoutPassword(opts.url));
    manager.reloadSettings(tenantId); // the device tag or the tenant's settings may have changed
    return summary;
  });
  running.set(tenantId, work);
  try {
    return await work;
  } finally {
    if (running.get(tenantId) === work) running.delete(tenantId);
  }
}

interface LockHolder {
  pid: number;
  host: string;
  at: string;
}

function holderAlive(h: LockHolder): boolean {
  if (h.host !== os.hostname()) return Date.now() - Date.parse(h.at) < 60 * 60_000;
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function withDeviceLock<T>(file: string, onWait: ((holder: string) => void) | undefined, work: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let told = false;
  for (;;) {
    try {
      fs.writeFileSync(file, JSON.stringify({ pid: process.pid, host: os.hostname(), at: new Date().toISOString() } satisfies LockHolder), { flag: 'wx', mode: 0o600 });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder: LockHolder | null = null;
    try {
      holder = JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder;
    } catch {
      holder = null; // being written this instant, or half-written by a process that died
    }
    if (holder === null || !holderAlive(holder)) {
      if (holder === null) await new Promise((r) => setTimeout(r, 50));
      try {
        const again = JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder;
        if (!holderAlive(again)) fs.rmSync(file, { force: true });
      } catch {
        fs.rmSync(file, { force: true });
      }
      continue;
    }
    if (!told) onWait?.(`process ${holder.pid}`);
    told = true;
    await new Promise((r) => setTimeout(r, 200));
  }
  try {
    return await work();
  } finally {
    fs.rmSync(file, { force: true });
  }
}

const SHOWN = 20;

/** A sync's outcome in words, a line each: what the CLI prints (the Sync screen says the same). */
export function syncReport(tenantId: string, s: SyncSummary): string[] {
  const lines = [`synced tenant ${tenantId}: pushed ${s.pushed}, pulled ${s.pulled}, conflicts ${s.conflicts.length}, still pending ${s.pending}`];
  if (s.skipped) lines.push(`  ${s.skipped} change(s) the server already had`);
  if (Math.abs(s.clock_offset_ms) > CLOCK_WARNING_MS) lines.push(`  warning: ${clockWarning(s.clock_offset_ms)}`);
  if (s.restamped) lines.push(`  ${s.restamped} change(s) were stamped ahead of the server's clock: kept, under the server's time`);
  for (const [key, c] of Object.entries(s.adopted ?? {})) lines.push(`  took the tenant's ${key.replace('timezone', 'time zone')} from the server: ${c.to} (was ${c.from})`);
  for (const c of s.conflicts) {
    lines.push(c.kind === 'overbooking'
      ? `  conflict: ${c.words ?? `booking ${c.booking_id}`} is an overbooking (${c.booked} booked of ${c.units} unit${c.units === 1 ? '' : 's'})`
      : `  conflict: ${c.words}`);
  }
  for (const [i, r] of (s.renamed ?? []).entries()) {
    if (i === SHOWN) {
      lines.push(`  … and ${s.renamed.length - SHOWN} more record(s) renamed the same way (the Sync screen lists them all)`);
      break;
    }
    lines.push(`  ${r.words}`);
  }
  for (const [i, r] of s.rejected.entries()) {
    if (i === SHOWN) {
      lines.push(`  … and ${s.rejected.length - SHOWN} more change(s) refused (the Sync screen lists them all)`);
      break;
    }
    lines.push(`  ${r.words ?? `refused by the server: change ${r.mutation_id}: ${r.reason}`}`);
  }
  if (s.new_identity) lines.push('  this database was restored from a backup: it now syncs under a new device identity');
  return lines;
}

/** "this device's clock is 2 h 5 min behind the server's" */
export function clockWarning(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const span = minutes >= 60 ? `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}` : `${minutes} min`;
  return `this device's clock is ${span} ${offsetMs > 0 ? 'behind' : 'ahead of'} the server's: changes are stamped with the server's time, but set the clock right`;
}

/** A new device: the tenant's settings from the server, a database of its own, then a full pull. */
async function bootstrap(manager: TenantManager, tenantId: string, opts: SyncOptions): Promise<void> {
  const clientId = newClientId();
  const deviceTag = randomBytes(2).toString('hex').toUpperCase();
  const client = await (opts.connect ?? defaultConnect)(opts.url);
  let tenant: { tenant_id: string; name: string | null; timezone: string | null; currency: string | null; locale: string | null } | null;
  try {
    tenant = (await client.query<{ r: { tenant: typeof tenant } }>('SELECT milepost.hello($1, $2, NULL, 0) AS r', [clientId, deviceTag])).rows[0]!.r.tenant;
  } finally {
    await client.end().catch(() => {});
  }
  if (!tenant || tenant.tenant_id !== tenantId) throw new AppError('forbidden', `this login does not belong to tenant '${tenantId}'`);
  if (!tenant.name) throw new AppError('not_found', `tenant '${tenantId}' has nothing on the server yet: sync a device that has it first`);
  manager.create(tenantId, (ctx: ServiceContext) => {
    const at = nowIso(ctx);
    ctx.orm.insert(tenantSettings).values({
      tenant_id: tenantId, name: tenant.name!, timezone: tenant.timezone ?? 'UTC', currency: tenant.currency ?? 'INR', locale: tenant.locale ?? 'en-IN',
      device_tag: deviceTag, created_at: at, updated_at: at,
    }).run();
    writeState(ctx.db, 'client_id', clientId);
  });
}

export interface SyncStatus {
  configured: boolean;
  url: string | null;
  running: boolean;
  pending_changes: number;
  last_sync: SyncSummary | null;
  /** Set when the last sync found this device's clock off by more than a few minutes. */
  clock_warning: string | null;
  conflicts: { booking_id: string; booking_code: string; project_name: string | null; unit_type: string | null; conflict: string; unit: string | null }[];
  /** Holds released at sync because another device held the unit first (SPEC §10), newest first. */
  hold_conflicts: { hold_id: string; unit_id: string; project_name: string; tower: string; unit_number: string; lead_name: string; held_at: string; released_at: string }[];
}

export function syncStatus(ctx: ServiceContext): SyncStatus {
  const last = readState(ctx.db, 'last_sync');
  const summary = last ? (JSON.parse(last) as SyncSummary) : null;
  const offset = summary?.clock_offset_ms ?? 0;
  return {
    configured: readState(ctx.db, 'pg_url') !== undefined,
    url: readState(ctx.db, 'pg_url') ?? null,
    running: running.has(ctx.settings.tenant_id),
    pending_changes: pendingCount(ctx.db),
    last_sync: summary,
    clock_warning: Math.abs(offset) > CLOCK_WARNING_MS ? clockWarning(offset) : null,
    conflicts: ctx.db
      .prepare(`SELECT b.id AS booking_id, b.booking_code, b.project_name, b.unit_type, b.conflict,
          CASE WHEN u.id IS NULL THEN NULL ELSE ltrim(u.tower || ' ' || u.unit_number) END AS unit
        FROM sales_bookings b LEFT JOIN sales_units u ON u.id = b.unit_id
        WHERE b.conflict IS NOT NULL AND b.deleted_at IS NULL AND b.status <> 'cancelled' ORDER BY b.booking_date, b.booking_code`)
      .all() as SyncStatus['conflicts'],
    hold_conflicts: ctx.db
      .prepare(`SELECT h.id AS hold_id, h.unit_id, u.project_name, u.tower, u.unit_number, l.name AS lead_name, h.held_at, h.released_at
        FROM sales_unit_holds h JOIN sales_units u ON u.id = h.unit_id JOIN sales_leads l ON l.id = h.lead_id
        WHERE h.release_reason = 'conflict' AND h.deleted_at IS NULL ORDER BY h.released_at DESC LIMIT 50`)
      .all() as SyncStatus['hold_conflicts'],
  };
}
