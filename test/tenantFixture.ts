import { afterAll, beforeAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServiceContext } from '../main/domain/context.js';
import type { AppError } from '../main/domain/errors.js';
import { createTenant } from '../main/services/tenantSetup.js';
import { TenantManager } from '../main/tenants.js';
import { addUser } from '../main/services/users.js';

export const tempDir = (prefix = 'milepost-test-') => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/**
 * A fresh tenant in a temporary data dir, with a context whose clock stands at
 * `now` (default 2025-11-25 10:00 in the tenant's zone, UTC here).
 */
export function makeTenant(opts: { timezone?: string; now?: string; locale?: string } = {}) {
  const dataDir = tempDir();
  const manager = new TenantManager(dataDir);
  createTenant(manager, {
    tenant_id: 't1', name: 'Tenant One', admin_username: 'admin', admin_password: 'S3cret-pass', timezone: opts.timezone ?? 'UTC', ...(opts.locale ? { locale: opts.locale } : {}),
  });
  let now = new Date(opts.now ?? '2025-11-25T10:00:00.000Z');
  const ctx: ServiceContext = manager.context('t1', 'user-admin', {
    // Every call moves the clock on by 1 ms so created_at orders like real life.
    clock: () => {
      now = new Date(now.getTime() + 1);
      return now;
    },
  });
  const setNow = (iso: string) => {
    now = new Date(iso);
  };
  return { dataDir, manager, ctx, setNow, close: () => manager.closeAll() };
}

/** Sales reps of the tenant, so leads can be assigned to them (SPEC §11: a lead is assigned to a user). */
export function addReps(ctx: ServiceContext, ...usernames: string[]): void {
  for (const username of usernames) addUser(ctx, { username, password: `${username}-pass-1`, role: 'sales_rep' });
}

/** Every table's full content, to prove a refused request changed nothing. */
export function snapshot(ctx: ServiceContext): Record<string, unknown[]> {
  const tables = ctx.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  // Rows in a stable order (some tables have no rowid).
  const rowsOf = (name: string) => ctx.db.prepare(`SELECT * FROM "${name}"`).all().map((r) => JSON.stringify(r)).sort();
  return Object.fromEntries(tables.map(({ name }) => [name, rowsOf(name)]));
}

/** The domain error a call is refused with; fails the test when the call succeeds. */
export function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected the call to be refused');
}

type Tenant = ReturnType<typeof makeTenant>;

/**
 * A tenant for the tests of one file: made before them — and filled by `fill` — and
 * closed after. Read it as a made tenant (`t.ctx`) once the tests run.
 */
export function useTenant(fill: (ctx: ServiceContext) => void = () => {}, opts: Parameters<typeof makeTenant>[0] = {}): Tenant {
  const made: { tenant?: Tenant } = {};
  beforeAll(() => {
    made.tenant = makeTenant(opts);
    fill(made.tenant.ctx);
  });
  afterAll(() => made.tenant?.close());
  return new Proxy({} as Tenant, { get: (_, key) => (made.tenant as unknown as Record<string | symbol, unknown>)[key] });
}
