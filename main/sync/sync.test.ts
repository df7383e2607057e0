import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSmallDataset } from '../../test/smallDataset.js';
import { startCentral, syncedRows, aggregateRows } from '../../test/syncFixture.js';
import { makeTenant, tempDir } from '../../test/tenantFixture.js';
import { reportNames, reportTable } from '../services/reports.js';
import { syncStatus, syncTenant } from '../services/sync.js';
import { TenantManager } from '../tenants.js';
import { centralReport } from './server.js';

let central: Awaited<ReturnType<typeof startCentral>>;
beforeAll(async () => {
  central = await startCentral();
}, 120_000);
afterAll(async () => {
  await central?.pg.stop();
});

describe('sync with the central Postgres (SPEC §8)', () => {
  it('sends a device\'s records and builds a new device from the server, users included', async () => {
    const a = makeTenant();
    buildSmallDataset(a.ctx);
    const url = await central.deviceUrl('t1');
    const first = await syncTenant(a.manager, 't1', { url });
    expect(first.pushed).toBeGreaterThan(10);
    expect(first.pending).toBe(0);
    expect(syncStatus(a.ctx).pending_changes).toBe(0);

    const bDir = tempDir();
    const b = new TenantManager(bDir);
    const boot = await syncTenant(b, 't1', { url });
    expect(boot.pulled).toBeGreaterThan(10);
    const bctx = b.context('t1', null);
    expect(syncedRows(bctx)).toEqual(syncedRows(a.ctx));
    expect(aggregateRows(bctx)).toEqual(aggregateRows(a.ctx));
    expect(bctx.settings.name).toBe(a.ctx.settings.name);
    expect(bctx.settings.device_tag).not.toBe(a.ctx.settings.device_tag);

    // Head office's reports over the central data equal each device's.
    for (const name of reportNames) {
      const input = name === 'milestone-timeline' || name === 'engagement-stats' ? { lead_id: 'L2' } : { as_of: '2025-11-25' };
      const device = reportTable(a.ctx, name, { ...input });
      const onServer = await centralReport(central.adminUrl, 't1', name, input, '2025-11-25');
      expect(onServer, name).toEqual(device);
    }
    b.closeAll();
    a.close();
  }, 120_000);
});
