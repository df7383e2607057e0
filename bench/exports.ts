import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { exportCsv, exportXlsx } from '../main/services/exports.js';
import { leadService } from '../main/services/leads.js';
import { normaliseStoredPhones } from '../main/services/phones.js';
import { createTenant } from '../main/services/tenantSetup.js';
import { TenantManager } from '../main/tenants.js';
import { tempDir } from '../test/tenantFixture.js';

// `npm run bench:exports -- [--leads N] [--json FILE]`: issue 18 at a branch's full size
// (SPEC §9: 100,000 leads) — finding a caller by the digits of their number, the leads
// export as CSV and as an Excel workbook (time and the process's peak memory), and the
// one-time upgrade that brings numbers stored before to E.164.

const { values } = parseArgs({ options: { leads: { type: 'string', default: '100000' }, json: { type: 'string' }, runs: { type: 'string', default: '20' } } });
const LEADS = Number(values.leads);
const log = (s: string) => process.stderr.write(`${s}\n`);
const mb = (bytes: number) => Math.round(bytes / 1_048_576);

const manager = new TenantManager(tempDir('milepost-bench-'));
createTenant(manager, { tenant_id: 'exports-bench', name: 'Exports bench', admin_username: 'admin', admin_password: 'bench-pass-1', timezone: 'Asia/Kolkata' });
const ctx = manager.context('exports-bench', null);

// Leads as they were stored before one phone reading: a third typed with a space, a third
// with +91 and a space, a third already E.164; one in a hundred no number at all.
let t = performance.now();
const at = new Date().toISOString();
const insert = ctx.db.prepare(`INSERT INTO sales_leads (id, created_at, updated_at, lead_code, name, email, phone, company, status, reached_rank, lead_date)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'new', 0, ?)`);
ctx.db.transaction(() => {
  for (let i = 0; i < LEADS; i += 1) {
    const n = String(700_000_000 + i);
    const phone = i % 100 === 99 ? 'ask at reception' : i % 3 === 0 ? `9${n.slice(0, 4)} ${n.slice(4)}` : i % 3 === 1 ? `+91 9${n}` : `+919${n}`;
    insert.run(`lead-${i}`, at, at, `LD-${String(i).padStart(6, '0')}`, `Lead ${i} Sharma`, `lead${i}@example.com`, phone, i % 4 ? 'Acme Builders' : null, `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`);
  }
})();
log(`${LEADS} leads written in ${((performance.now() - t) / 1000).toFixed(1)} s`);

t = performance.now();
const upgraded = ctx.db.transaction(() => normaliseStoredPhones(ctx))();
const upgradeSeconds = (performance.now() - t) / 1000;
log(`phones upgraded: ${upgraded.changed} rewritten, ${upgraded.unreadable} kept as typed, in ${upgradeSeconds.toFixed(2)} s`);

function timed(fn: () => unknown, runs = Number(values.runs)) {
  for (let i = 0; i < 3; i += 1) fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const s = performance.now();
    fn();
    ms.push(performance.now() - s);
  }
  ms.sort((a, b) => a - b);
  const q = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]! * 10) / 10;
  return { p50_ms: q(0.5), p95_ms: q(0.95) };
}
const target = `9${String(700_000_000 + Math.floor(LEADS * 0.9))}`;
const spaced = `${target.slice(0, 5)} ${target.slice(5)}`;
const searches = {
  by_name: timed(() => leadService.list(ctx, { search: 'Sharma', limit: 25 })),
  by_digits_spaced: timed(() => leadService.list(ctx, { search: spaced, limit: 25 })),
  by_digits_with_country_code: timed(() => leadService.list(ctx, { search: `+91 ${spaced}`, limit: 25 })),
  by_partial_digits: timed(() => leadService.list(ctx, { search: target.slice(3, 9), limit: 25 })),
};
const found = leadService.list(ctx, { search: spaced, limit: 25 }).items.length;
for (const [k, v] of Object.entries(searches)) log(`search ${k}: p50 ${v.p50_ms} ms, p95 ${v.p95_ms} ms`);

async function peak<T>(work: () => Promise<T> | T): Promise<{ seconds: number; peak_rss_mb: number; result: T }> {
  global.gc?.();
  let top = process.memoryUsage().rss;
  const timer = setInterval(() => (top = Math.max(top, process.memoryUsage().rss)), 20);
  const s = performance.now();
  const result = await work();
  top = Math.max(top, process.memoryUsage().rss);
  clearInterval(timer);
  return { seconds: Math.round((performance.now() - s) / 10) / 100, peak_rss_mb: mb(top), result };
}
const before = mb(process.memoryUsage().rss);
const csv = await peak(() => exportCsv(ctx, { name: 'leads' }));
log(`leads CSV: ${csv.seconds} s, ${mb(csv.result.csv.length)} MB of text, peak RSS ${csv.peak_rss_mb} MB (before ${before} MB)`);
const xlsx = await peak(() => exportXlsx(ctx, { name: 'leads' }));
const xlsxBytes = Buffer.byteLength(xlsx.result.data_base64, 'base64');
log(`leads .xlsx: ${xlsx.seconds} s, ${mb(xlsxBytes)} MB file, peak RSS ${xlsx.peak_rss_mb} MB`);

const figures = {
  leads: LEADS, cpus: os.cpus().length, node: process.version,
  phone_upgrade: { ...upgraded, seconds: Math.round(upgradeSeconds * 100) / 100 },
  search_first_page: searches, found_by_digits: found,
  export_csv: { seconds: csv.seconds, mb: mb(csv.result.csv.length), peak_rss_mb: csv.peak_rss_mb },
  export_xlsx: { seconds: xlsx.seconds, mb: mb(xlsxBytes), peak_rss_mb: xlsx.peak_rss_mb },
  rss_before_exports_mb: before,
};
const ok = found === 1 && searches.by_digits_spaced.p95_ms <= 150;
log(`${ok ? 'ok' : 'FAILED'}: the lead found by its digits (${found}), first page p95 ${searches.by_digits_spaced.p95_ms} ms (target ≤ 150 ms)`);
if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(figures, null, 2)}\n`);
manager.closeAll();
process.exitCode = ok ? 0 : 1;
