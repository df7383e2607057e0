import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dispatch, type SessionOperation } from '../main/api/handlers.js';
import { Sessions } from '../main/api/session.js';
import { localDateOf } from '../main/domain/dates.js';
import { createTenant } from '../main/services/tenantSetup.js';
import { TenantManager } from '../main/tenants.js';
import { BUSY_CUSTOMER, BUSY_LEAD, generate, SCALES, type ScaleName } from './generate.js';

// `npm run bench -- [--scale full|small] [--json FILE]`: every report and the hot
// paths, timed through the same handler table the UI calls.

const { values } = parseArgs({
  options: { scale: { type: 'string', default: 'small' }, json: { type: 'string' }, runs: { type: 'string', default: '20' }, 'data-dir': { type: 'string' } },
});
const scaleName = values.scale as ScaleName;
if (!(scaleName in SCALES)) throw new Error(`--scale must be one of ${Object.keys(SCALES).join(', ')}`);
const scale = SCALES[scaleName];
const RUNS = Math.max(20, Number(values.runs));

// --data-dir keeps the generated tenant for later runs (and reuses one already there).
const keep = values['data-dir'] !== undefined;
const dataDir = keep ? path.resolve(values['data-dir']!) : fs.mkdtempSync(path.join(os.tmpdir(), 'milepost-bench-'));
const manager = new TenantManager(dataDir);
const today = localDateOf(new Date(), 'Asia/Kolkata');
const log = (line: string) => process.stderr.write(`${line}\n`);
let gen: { rows: Record<string, number>; rowsPerSecond: number | null; seconds: number } = { rows: {}, rowsPerSecond: null, seconds: 0 };
if (manager.exists('bench')) {
  log(`reusing the tenant in ${dataDir}`);
  const db = manager.get('bench').db;
  for (const t of ['sales_leads', 'sales_lead_milestones', 'sales_lead_engagement', 'sales_bookings', 'sales_account_ledgers']) {
    gen.rows[t] = (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  }
} else {
  createTenant(manager, { tenant_id: 'bench', name: 'Bench', admin_username: 'admin', admin_password: 'bench-pass-1', timezone: 'Asia/Kolkata' });
  log(`generating ${scaleName} data…`);
  gen = generate(manager.get('bench').db, scale, { today, onProgress: (t, n) => n % 500_000 === 0 && log(`  ${t}: ${n}`) });
  log(`  ${Object.values(gen.rows).reduce((a, b) => a + b, 0)} rows in ${gen.seconds.toFixed(1)} s (${gen.rowsPerSecond} rows/s)`);
}
manager.closeAll();

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
function time(fn: () => unknown, runs = RUNS, warmup = 3) {
  for (let i = 0; i < warmup; i += 1) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { p50_ms: round(quantile(samples, 0.5)), p95_ms: round(quantile(samples, 0.95)) };
}
const round = (n: number) => Math.round(n * 1000) / 1000;

// Opening a tenant: connection, pragmas, the migrations check and settings.
const open = time(() => {
  const m = new TenantManager(dataDir);
  m.get('bench');
  m.closeAll();
}, 20, 1);

const sessions = new Sessions(manager);
const admin = manager.context('bench', null).db.prepare("SELECT id, username, role FROM users WHERE username = 'admin'").get() as { id: string; username: string; role: 'admin' };
const session = sessions.open('bench', admin);
const run = (op: SessionOperation, input: unknown) => () => dispatch(op, session, input);

const cases: [string, SessionOperation, unknown][] = [
  ['report.funnel', 'reports.funnel', {}],
  ['report.source_performance', 'reports.sourcePerformance', {}],
  ['report.campaign_performance', 'reports.campaignPerformance', {}],
  ['report.booking_summary', 'reports.bookings', {}],
  ['report.customer_ledger', 'reports.customerLedger', { customer_id: BUSY_CUSTOMER }],
  ['report.milestone_timeline', 'reports.milestoneTimeline', { lead_id: BUSY_LEAD }],
  ['report.engagement_stats', 'reports.engagementStats', { lead_id: BUSY_LEAD }],
  ['report.dashboard', 'reports.dashboard', {}],
  ['list.leads_filtered_search', 'leads.list', { status: 'contacted', search: 'Sharma', limit: 50 }],
];
const results: Record<string, unknown>[] = [];
for (const [name, op, input] of cases) {
  const t = time(run(op, input));
  results.push({ name, ...t, postgres_p50_ms: null, ratio_vs_postgres: null });
  log(`  ${name}: p50 ${t.p50_ms} ms, p95 ${t.p95_ms} ms`);
}
let n = 0;
const write = time(() => dispatch('milestones.create', session, { lead_id: `lead-${1 + (n++ % (scale.leads - 1))}`, milestone_type: 'contacted', milestone_date: today, notes: 'bench' }), 200, 5);
results.push({ name: 'write.milestone', ...write, postgres_p50_ms: null, ratio_vs_postgres: null });

// Correctness at any scale: the reports agree with the rows generated.
const dashboard = dispatch('reports.dashboard', session, {}).data as { total_leads: number };
const funnelAll = dispatch('reports.funnel', session, { from: '2000-01-01' }).data as { total_leads: number }[];
const timeline = dispatch('reports.milestoneTimeline', session, { lead_id: BUSY_LEAD }).data as unknown[];
const stats = dispatch('reports.engagementStats', session, { lead_id: BUSY_LEAD }).data as { total_engagements: number };
const checks = {
  dashboard_counts_every_lead: dashboard.total_leads === scale.leads,
  funnel_counts_every_lead: funnelAll.reduce((a, r) => a + r.total_leads, 0) === scale.leads,
  busy_lead_has_500_engagements: stats.total_engagements === 500,
  busy_lead_timeline_is_complete: timeline.length > 0,
};
manager.closeAll();

const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
const out = {
  scale: { name: scaleName, ...gen.rows },
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
  results,
  bulk_rows_per_s: gen.rowsPerSecond,
  open_ms: open.p50_ms,
  open_p95_ms: open.p95_ms,
  peak_rss_mb: peakRssMb,
  checks,
};
console.log(`\n| measure | p50 ms | p95 ms |\n|---|---|---|\n${results.map((r) => `| ${String(r.name)} | ${String(r.p50_ms)} | ${String(r.p95_ms)} |`).join('\n')}`);
console.log(`| open tenant | ${open.p50_ms} | ${open.p95_ms} |`);
console.log(`\nbulk load ${gen.rowsPerSecond ?? '(reused data)'} rows/s · peak RSS ${peakRssMb} MB`);
console.log(`checks: ${Object.entries(checks).map(([k, v]) => `${k}=${v ? 'ok' : 'FAILED'}`).join(', ')}`);
if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(out, null, 2)}\n`);
if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
if (Object.values(checks).some((ok) => !ok)) process.exitCode = 1;
