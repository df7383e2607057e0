import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { startServer } from '../main/http/server.js';
import { createTenant } from '../main/services/tenantSetup.js';
import { runDemo } from '../main/demo/demoData.js';
import { writeState } from '../main/sync/capture.js';
import { TenantManager } from '../main/tenants.js';
import { startCentral } from '../test/syncFixture.js';
import { tempDir } from '../test/tenantFixture.js';
import { generate, SCALES, type ScaleName } from './generate.js';

// `npm run bench:heartbeat -- [--scale full|small] [--rows N] [--engine both|inline|workers] [--json FILE]`:
// issue 19. `milepost serve` on a branch's data (SPEC §9 at --scale full) does three long
// jobs — an import of N rows (50,000), the full leads export as CSV and as an Excel
// workbook, and the tenant's first full sync with a real Postgres — while a heartbeat
// timer ticks every 10 ms on the thread that takes requests, and another tenant asks
// for one lead every 100 ms. The longest gap between ticks is how long that thread
// could not answer anyone; the other tenant's slowest answer is what a colleague waited.
// Run with the engine on the request thread (`inline`, how Milepost ran before issue 19)
// and in a worker per tenant (`workers`, as it runs now); the desktop's main process
// hosts the same engine pool, in Electron utility processes, which cannot run here.

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'full' },
    rows: { type: 'string', default: '50000' },
    engine: { type: 'string', default: 'both' },
    json: { type: 'string' },
  },
});
const scale = values.scale as ScaleName;
if (!(scale in SCALES)) throw new Error('--scale must be full or small');
const ROWS = Number(values.rows);
const modes = (values.engine === 'both' ? ['inline', 'workers'] : [values.engine]) as ('inline' | 'workers')[];
const log = (s: string) => process.stderr.write(`${s}\n`);
const round = (x: number) => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dataDir = tempDir('milepost-bench-heartbeat-');
const central = await startCentral();
const cleanUp = () => fs.rmSync(dataDir, { recursive: true, force: true });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => (cleanUp(), void central.pg.stop().finally(() => process.exit(130))));

// Each mode has its own branch (the sync sends it whole once), its own import target,
// and the colleague's tenant beside them.
const manager = new TenantManager(dataDir);
const make = (tenant_id: string) => createTenant(manager, { tenant_id, name: tenant_id, admin_username: 'admin', admin_password: 'bench-pass-1', timezone: 'Asia/Kolkata' });
make('colleague');
runDemo(manager.context('colleague', null), { leads: 500, seed: 5 });
for (const mode of modes) {
  make(`branch-${mode}`);
  make(`intake-${mode}`);
  const db = manager.get(`branch-${mode}`).db;
  log(`generating ${scale} data for branch-${mode}…`);
  const gen = generate(db, SCALES[scale], { today: new Date().toISOString().slice(0, 10) });
  writeState(db, 'needs_seed', '1');
  log(`  done in ${gen.seconds.toFixed(0)} s`);
}
manager.closeAll();

const rows = [['Name', 'Mobile', 'Email', 'Company', 'Date']];
for (let i = 0; i < ROWS; i += 1) rows.push([`Visitor ${i}`, `9${String(700000000 + i).padStart(9, '0')}`, `visitor${i}@example.com`, i % 3 ? '' : 'Acme', `${(i % 28) + 1}/10/2026`]);
const importFile = { file_name: 'expo.csv', data_base64: Buffer.from(stringify(rows)).toString('base64') };

interface Watch {
  longest_gap_ms: number;
  gaps_over_50ms: number;
  colleague_slowest_ms: number;
  colleague_requests: number;
  colleague_failed: number;
  seconds: number;
}

/** Run a job while the request thread's heartbeat ticks and the colleague asks for a lead. */
async function watched(url: string, colleague: Record<string, string>, job: () => Promise<unknown>): Promise<Watch> {
  let last = performance.now();
  let longest = 0;
  let over = 0;
  const beat = setInterval(() => {
    const now = performance.now();
    const gap = now - last - 10;
    last = now;
    longest = Math.max(longest, gap);
    if (gap > 50) over += 1;
  }, 10);
  let running = true;
  const latencies: number[] = [];
  let failed = 0;
  const probe = (async () => {
    while (running) {
      const t = performance.now();
      try {
        const res = await fetch(`${url}/api/v1/sales/leads?limit=1`, { headers: colleague });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`status ${res.status}`);
        latencies.push(performance.now() - t);
      } catch {
        // A request the stalled server dropped (its kept-alive connection reset) is a failure the colleague saw.
        failed += 1;
      }
      await sleep(100);
    }
  })();
  const t0 = performance.now();
  try {
    await job();
  } finally {
    running = false;
    clearInterval(beat);
    await probe;
  }
  return { longest_gap_ms: round(longest), gaps_over_50ms: over, colleague_slowest_ms: round(Math.max(0, ...latencies)), colleague_requests: latencies.length, colleague_failed: failed, seconds: round((performance.now() - t0) / 1000) };
}

/** A POST answered whenever it is answered (no client timeout); its `data`, or the error. */
function longPost(target: string, headers: Record<string, string>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.request(target, { method: 'POST', headers: { ...headers, 'content-length': '2' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const body = JSON.parse(text) as { data?: unknown; error?: { message: string } };
        if (res.statusCode !== 200) reject(new Error(`${target}: ${body.error?.message}`));
        else resolve(body.data);
      });
    });
    req.on('error', reject);
    req.end('{}');
  });
}

const results: Record<string, Record<string, Watch>> = {};
try {
  for (const mode of modes) {
    log(`\nengine: ${mode}`);
    const server = await startServer(new TenantManager(dataDir), { engine: mode });
    const { url } = server;
    const login = async (tenant_id: string) => {
      const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant_id, username: 'admin', password: 'bench-pass-1' }) });
      const { data } = (await res.json()) as { data: { token: string } };
      return { authorization: `Bearer ${data.token}`, 'x-tenant-id': tenant_id, 'content-type': 'application/json' };
    };
    const rpc = async (headers: Record<string, string>, op: string, input: unknown) => {
      const res = await fetch(`${url}/api/v1/rpc/${op}`, { method: 'POST', headers, body: JSON.stringify(input) });
      const body = (await res.json()) as { data?: any; error?: { message: string } }; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (!res.ok) throw new Error(`${op}: ${body.error?.message}`);
      return body.data;
    };
    const colleague = await login('colleague');
    const branch = await login(`branch-${mode}`);
    const intake = await login(`intake-${mode}`);
    // Warm: each tenant's engine started and its database open before the clock runs.
    for (const h of [colleague, branch, intake]) await rpc(h, 'leads.list', { limit: 1 });
    const r: Record<string, Watch> = {};

    r.import = await watched(url, colleague, async () => {
      const job = await rpc(intake, 'imports.start', { ...importFile, on_duplicate: 'skip' });
      for (;;) {
        const status = await rpc(intake, 'imports.status', { job_id: job.job_id });
        if (status.state === 'done') return status.result.created === ROWS || Promise.reject(new Error(`imported ${status.result.created} of ${ROWS}`));
        if (status.state === 'failed') throw new Error(status.error.message);
        await sleep(200);
      }
    });
    log(`  import of ${ROWS} rows: ${JSON.stringify(r.import)}`);

    // The answers are taken as bytes, not parsed: this thread's own work stays out of the gaps it measures.
    const exported = async (op: string) => {
      const res = await fetch(`${url}/api/v1/rpc/${op}`, { method: 'POST', headers: branch, body: JSON.stringify({ name: 'leads' }) });
      const bytes = await res.arrayBuffer();
      if (!res.ok || bytes.byteLength < 1_000_000 * (SCALES[scale].leads / 100_000)) throw new Error(`${op}: ${res.status}, ${bytes.byteLength} bytes`);
      return bytes.byteLength;
    };
    r.export_csv = await watched(url, colleague, () => exported('exports.csv'));
    log(`  leads export, CSV: ${JSON.stringify(r.export_csv)}`);
    r.export_xlsx = await watched(url, colleague, () => exported('exports.xlsx'));
    log(`  leads export, Excel: ${JSON.stringify(r.export_xlsx)}`);

    const pgUrl = new URL(await central.deviceUrl(`branch-${mode}`));
    const password = decodeURIComponent(pgUrl.password);
    pgUrl.password = '';
    await rpc(branch, 'sync.configure', { url: pgUrl.toString(), password });
    r.sync = await watched(url, colleague, async () => {
      // A full first sync answers after minutes: asked without fetch's five-minute wait for headers.
      const summary = (await longPost(`${url}/api/v1/rpc/sync.run`, branch)) as { pushed?: number };
      if (!summary.pushed) throw new Error(`the sync pushed nothing: ${JSON.stringify(summary)}`);
    });
    log(`  first full sync: ${JSON.stringify(r.sync)}`);

    results[mode] = r;
    await server.close();
  }
} finally {
  await central.pg.stop();
  cleanUp();
}

const out = { scale, import_rows: ROWS, machine: { cpus: os.cpus().length, node: process.version, date: new Date().toISOString().slice(0, 10) }, results };
if (values.json) fs.writeFileSync(path.resolve(values.json), `${JSON.stringify(out, null, 2)}\n`);
const after = results.workers;
const ok = !after || Object.values(after).every((w) => w.longest_gap_ms <= 50 && w.colleague_failed === 0);
log(`\n${ok ? 'ok' : 'FAILED'}: the request thread's longest gap with the engine in workers: ${after ? Math.max(...Object.values(after).map((w) => w.longest_gap_ms)) : '-'} ms (target ≤ 50 ms)`);
process.exitCode = ok ? 0 : 1;
