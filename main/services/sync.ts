import { randomBytes } from 'node:crypto';
import { tenantSettings } from '../../db/schema/index.js';
import { AppError, conflict } from '../domain/errors.js';
import { nowIso, type ServiceContext } from '../domain/context.js';
import { readState, writeState } from '../sync/capture.js';
import { defaultConnect, newClientId, pendingCount, syncDatabase, type SyncOptions, type SyncSummary } from '../sync/engine.js';
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

export async function syncTenant(manager: TenantManager, tenantId: string, opts: SyncOptions): Promise<SyncSummary> {
  if (running.has(tenantId)) throw conflict(`a sync of tenant '${tenantId}' is already running`, 'tenant_id');
  const work = (async () => {
    if (!manager.exists(tenantId)) await bootstrap(manager, tenantId, opts);
    const db = manager.get(tenantId).db;
    writeState(db, 'pg_url', withoutPassword(opts.url));
    const summary = await syncDatabase(db, opts);
    manager.reloadSettings(tenantId); // the device tag may have changed
    return summary;
  })();
  running.set(tenantId, work);
  try {
    return await work;
  } finally {
    running.delete(tenantId);
  }
}

/** A new device: the tenant's settings from the server, a database of its own, then a full pull. */
async function bootstrap(manager: TenantManager, tenantId: string, opts: SyncOptions): Promise<void> {
  const clientId = newClientId();
  const deviceTag = randomBytes(2).toString('hex').toUpperCase();
  const client = await (opts.connect ?? defaultConnect)(opts.url);
  let tenant: { tenant_id: string; name: string | null; timezone: string | null; currency: string | null; locale: string | null } | null;
  try {
    tenant = (await client.query<{ r: { tenant: typeof tenant } }>('SELECT milepost.hello($1, $2, NULL) AS r', [clientId, deviceTag])).rows[0]!.r.tenant;
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
  conflicts: { booking_id: string; booking_code: string; project_name: string | null; unit_type: string | null; conflict: string }[];
}

export function syncStatus(ctx: ServiceContext): SyncStatus {
  const last = readState(ctx.db, 'last_sync');
  return {
    configured: readState(ctx.db, 'pg_url') !== undefined,
    url: readState(ctx.db, 'pg_url') ?? null,
    running: running.has(ctx.settings.tenant_id),
    pending_changes: pendingCount(ctx.db),
    last_sync: last ? (JSON.parse(last) as SyncSummary) : null,
    conflicts: ctx.db
      .prepare("SELECT id AS booking_id, booking_code, project_name, unit_type, conflict FROM sales_bookings WHERE conflict IS NOT NULL AND deleted_at IS NULL AND status <> 'cancelled' ORDER BY booking_date, booking_code")
      .all() as SyncStatus['conflicts'],
  };
}
