import { afterAll, beforeAll } from 'vitest';
import { createTenant } from '../main/services/tenantSetup.js';
import { syncTenant } from '../main/sync/tenantSync.js';
import { TenantManager } from '../main/tenants.js';
import { buildSmallDataset } from './smallDataset.js';
import { startCentral } from './syncFixture.js';
import { tempDir } from './tenantFixture.js';

// What the sync tests of a file share: their central Postgres, and a tenant on two devices.

export type Central = Awaited<ReturnType<typeof startCentral>>;

/** A central Postgres for the tests of one file: started before them, stopped after. */
export function useCentral(): Central {
  const central = {} as Central;
  beforeAll(async () => void Object.assign(central, await startCentral()), 120_000);
  afterAll(async () => central.pg?.stop());
  return central;
}

/** One tenant on two devices: the first with the small dataset, synced; the second made from the server. */
export async function twoDevicesOn(central: Central, tenant: string) {
  const one = new TenantManager(tempDir());
  createTenant(one, { tenant_id: tenant, name: tenant, admin_username: 'admin', admin_password: 'S3cret-pass' });
  buildSmallDataset(one.context(tenant, null));
  const url = await central.deviceUrl(tenant);
  await syncTenant(one, tenant, { url });
  const two = new TenantManager(tempDir());
  await syncTenant(two, tenant, { url });
  return { one, two, url, ctx1: one.context(tenant, null), ctx2: two.context(tenant, null) };
}
