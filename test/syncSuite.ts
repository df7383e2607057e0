import { afterAll, afterEach, beforeAll } from 'vitest';
import { createTenant } from '../main/services/tenantSetup.js';
import { syncTenant } from '../main/sync/tenantSync.js';
import { backupTenant } from '../main/backup.js';
import type { ServiceContext } from '../main/domain/context.js';
import { TenantManager } from '../main/tenants.js';
import { buildSmallDataset } from './smallDataset.js';
import { runDemo } from '../main/demo/demoData.js';
import { startCentral } from './syncFixture.js';
import { tempDir } from './tenantFixture.js';

// What the sync tests of a file share: their central Postgres, devices (each a data
// folder of its own, closed after its test), and a tenant on two devices.

export type Central = Awaited<ReturnType<typeof startCentral>>;

const devices: TenantManager[] = [];

/** A device: a data folder of its own, holding the tenant when one is named (its admin's password S3cret-pass); closed after its test. */
export function device(tenant?: string, name = tenant): TenantManager {
  const made = new TenantManager(tempDir());
  devices.push(made);
  if (tenant) createTenant(made, { tenant_id: tenant, name: name!, admin_username: 'admin', admin_password: 'S3cret-pass' });
  return made;
}

/** A central Postgres for the tests of one file: started before them, stopped after; each test's devices closed after it. */
export function useCentral(): Central {
  const central = {} as Central;
  beforeAll(async () => void Object.assign(central, await startCentral()), 120_000);
  afterEach(() => {
    for (const made of devices.splice(0)) made.closeAll();
  });
  afterAll(async () => central.pg?.stop());
  return central;
}

/** One tenant on two devices: the first with the small dataset, synced; the second made from the server. */
export async function twoDevicesOn(central: Central, tenant: string) {
  const one = device(tenant);
  buildSmallDataset(one.context(tenant, null));
  const url = await central.deviceUrl(tenant);
  await syncTenant(one, tenant, { url });
  const two = device();
  await syncTenant(two, tenant, { url });
  return { one, two, url, ctx1: one.context(tenant, null), ctx2: two.context(tenant, null) };
}

/**
 * The second device given the first one's device tag and code counter (a laptop cloned
 * by hand): its next ledger code is the first one's.
 */
export function sameTagAsFirst(two: TenantManager, tenant: string, ctx1: ServiceContext, ctx2: ServiceContext): void {
  ctx2.db.prepare('UPDATE tenant_settings SET device_tag = ?').run(ctx1.settings.device_tag);
  two.reloadSettings(tenant);
  const next = ctx1.db.prepare("SELECT next_value FROM code_sequences WHERE name = 'LED'").get() as { next_value: number };
  ctx2.db.prepare("INSERT INTO code_sequences (name, next_value) VALUES ('LED', ?) ON CONFLICT (name) DO UPDATE SET next_value = excluded.next_value").run(next.next_value);
}

/** A backup of the tenant as it is now, in a file of a new folder. */
export function backupNow(manager: TenantManager, tenant: string): string {
  const file = `${tempDir()}/old.sqlite`;
  backupTenant(manager, tenant, file);
  return file;
}

/** A device holding the tenant with the demo's data (as of 2025-11-25). */
export function demoDevice(tenant: string, name: string, leads: number, seed: number) {
  const manager = device(tenant, name);
  const ctx = manager.context(tenant, null);
  runDemo(ctx, { leads, seed, today: '2025-11-25' });
  return { manager, ctx };
}

/** A device holding the tenant with the small dataset. */
export function smallDevice(tenant: string, name: string) {
  const manager = device(tenant, name);
  const ctx = manager.context(tenant, null);
  buildSmallDataset(ctx);
  return { manager, ctx };
}
