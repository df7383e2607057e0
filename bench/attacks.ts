import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createTenant } from '../main/services/tenantSetup.js';
import { TenantManager } from '../main/tenants.js';
import { tempDir } from '../test/tenantFixture.js';
import { leadRows, xlsxOf, zeros } from '../test/zip.js';

// `npm run bench:attacks -- [--json FILE]`: issue 17's attacks on a real `milepost serve`
// (a child process, as a user runs it), each while a signed-in user keeps asking for a
// page of leads every 100 ms. For each: what the attacker was answered and how fast, the
// slowest answer the user got meanwhile, and the server's resident memory at its peak
// (VmRSS sampled every 25 ms; VmHWM at the end). The bar: under 500 MB, under 1 s.

const { values } = parseArgs({ options: { json: { type: 'string' } } });
const log = (s: string) => process.stderr.write(`${s}\n`);

const dataDir = tempDir('milepost-attacks-');
const manager = new TenantManager(dataDir);
createTenant(manager, { tenant_id: 't1', name: 'Attacked', admin_username: 'admin', admin_password: 'admin-pass-1', timezone: 'Asia/Kolkata' });
manager.closeAll();

// Each attack meets a server of its own, started fresh: its peak is that attack's, not
// what earlier ones left in the heap.
let base = '';
let pid = 0;
let token = '';
async function startServe() {
  const child = spawn(process.execPath, [path.resolve('bin/milepost.js'), 'serve', '--data-dir', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  base = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = /listening on (\S+)/.exec(d.toString());
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  pid = child.pid!;
  const login = await call('POST', '/api/v1/auth/login', { tenant_id: 't1', username: 'admin', password: 'admin-pass-1' });
  token = (JSON.parse(login.text) as { data: { token: string } }).data.token;
  // Warm: the first page of leads, as a user who has the app open.
  await call('GET', '/api/v1/sales/leads?limit=1', undefined, token);
  return child;
}
const status = (field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function call(method: string, url: string, body?: unknown, token?: string) {
  const t = performance.now();
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}`, 'x-tenant-id': 't1' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, ms: performance.now() - t, text };
}

/** Run an attack while the user pings: the attacker's answers, the user's slowest, the peak RSS. */
async function during(name: string, attack: () => Promise<{ status: number; ms: number; text: string }[]>) {
  const child = await startServe();
  const atRest = status('VmRSS');
  let peak = atRest;
  let slowest = 0;
  let pings = 0;
  let failed = 0;
  let stop = false;
  const sampler = setInterval(() => (peak = Math.max(peak, status('VmRSS'))), 25);
  const pinger = (async () => {
    while (!stop) {
      const r = await call('GET', '/api/v1/sales/leads?limit=1', undefined, token);
      pings += 1;
      if (r.status !== 200) failed += 1;
      slowest = Math.max(slowest, r.ms);
      await new Promise((res) => setTimeout(res, 100));
    }
  })();
  const t = performance.now();
  const answers = await attack();
  const seconds = (performance.now() - t) / 1000;
  await new Promise((res) => setTimeout(res, 300));
  stop = true;
  await pinger;
  clearInterval(sampler);
  peak = Math.max(peak, status('VmHWM'));
  child.kill('SIGTERM');
  await new Promise((res) => child.once('exit', res));
  const result = {
    attack: name,
    answers: answers.map((a) => `${a.status} in ${(a.ms / 1000).toFixed(2)} s: ${a.text.slice(0, 160)}`),
    seconds: Number(seconds.toFixed(2)),
    user_requests: pings,
    user_failed: failed,
    user_slowest_ms: Math.round(slowest),
    rss_at_rest_mb: Math.round(atRest),
    peak_rss_mb: Math.round(peak),
  };
  log(`${name}: ${result.seconds} s; user's slowest ${result.user_slowest_ms} ms over ${pings} requests (${failed} failed); RSS ${result.rss_at_rest_mb} MB at rest, ${result.peak_rss_mb} MB at peak (VmHWM)`);
  for (const a of result.answers) log(`  ${a}`);
  return result;
}

const preview = (bytes: Buffer, file_name: string) => call('POST', '/api/v1/sales/imports/leads/preview', { file_name, data_base64: bytes.toString('base64') }, token);

const results = [];
log('building the files…');
const million = xlsxOf(leadRows(1_000_000));
log(`1M-row .xlsx: ${(million.length / 1_048_576).toFixed(1)} MB`);
const media = xlsxOf(leadRows(3), [{ name: 'xl/media/image1.png', data: zeros(3 * 1024 ** 3) }]);
const lying = xlsxOf(leadRows(3), [{ name: 'xl/media/image1.png', data: zeros(3 * 1024 ** 3), claimedSize: 1024 }]);
log(`3 GiB media entry: ${(media.length / 1_048_576).toFixed(1)} MB zipped`);
const columns = Buffer.from(`${Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',')}\nx\n`);

results.push(await during('.xlsx of 1,000,000 rows', async () => [await preview(million, 'million.xlsx')]));
results.push(await during('three .xlsx of 1,000,000 rows at once', () => Promise.all([0, 1, 2].map(() => preview(million, 'million.xlsx')))));
results.push(await during('.xlsx with a 3 GiB media entry (its size told)', async () => [await preview(media, 'media.xlsx')]));
results.push(await during('.xlsx with a 3 GiB media entry (its header says 1 KB)', async () => [await preview(lying, 'lying.xlsx')]));
results.push(await during('CSV of 1,000,000 columns', async () => [await preview(columns, 'columns.csv')]));
results.push(await during('32 wrong sign-ins at once, 8 usernames', () =>
  Promise.all(Array.from({ length: 32 }, (_, i) => call('POST', '/api/v1/auth/login', { tenant_id: 't1', username: `user${i % 8}`, password: 'guess-1234' })))));

const summary = { date: new Date().toISOString(), node: process.version, peak_rss_mb_worst: Math.max(...results.map((r) => r.peak_rss_mb)), user_slowest_ms_worst: Math.max(...results.map((r) => r.user_slowest_ms)), results };
log(`worst peak RSS ${summary.peak_rss_mb_worst} MB; the user's slowest answer ${summary.user_slowest_ms_worst} ms`);
if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(summary, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
