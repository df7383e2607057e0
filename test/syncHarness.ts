import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { numberTypes } from '../db/pg/reports.js';
import { SYNCED_TABLES } from '../db/schema/sync.js';
import { main } from '../main/cli/main.js';
import { exportFilters, exportNames, type ExportName } from '../main/services/exports.js';
import { reportNames } from '../main/services/reports.js';
import { tempDir } from './tenantFixture.js';

// The realistic sync suite's hands: real `milepost` processes (the README's commands,
// spawned; a wrong device clock through faketime), `milepost serve` for the API, and
// the comparisons each case ends with — every synced table and every export on every
// device, and every report on the central database (`export --pg`).

const BIN = path.resolve(import.meta.dirname, '../bin/milepost.js');

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  dataDir: string;
  /** A faketime offset for the device clock: '+2h', '-3h'. */
  faketime?: string;
  /** Kill the process with SIGKILL after this many ms. */
  killAfterMs?: number;
}

/** libfaketime (Debian's faketime package), preloaded into the process itself so that signals reach it. */
function libfaketime(): string {
  for (const dir of ['/usr/lib/x86_64-linux-gnu/faketime', '/usr/lib/aarch64-linux-gnu/faketime', '/usr/lib/faketime']) {
    const file = path.join(dir, 'libfaketimeMT.so.1');
    if (fs.existsSync(file)) return file;
  }
  throw new Error('libfaketime is not installed (apt-get install faketime)');
}

function command(args: string[], o: SpawnOptions): { file: string; argv: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { ...process.env, MILEPOST_DATA_DIR: o.dataDir, FORCE_COLOR: '0' };
  if (o.faketime) Object.assign(env, { LD_PRELOAD: libfaketime(), FAKETIME: o.faketime, FAKETIME_NO_CACHE: '1' });
  return { file: process.execPath, argv: [BIN, ...args], env };
}

/** `milepost ARGS` as its own process, as a user runs it. */
export function milepost(args: string[], o: SpawnOptions): Promise<Run> {
  const { file, argv, env } = command(args, o);
  if (process.env.MILEPOST_TRACE) process.stderr.write(`> ${o.faketime ?? ''} milepost ${args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = o.killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), o.killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `milepost ARGS`, failing the test with its output unless it exits 0. */
export async function ok(args: string[], o: SpawnOptions): Promise<Run> {
  const r = await milepost(args, o);
  if (r.code !== 0) throw new Error(`milepost ${args.join(' ')} exited ${r.code ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** A device: its own data folder, and the commands a user types there. */
export function device(name: string, faketime?: string) {
  const dataDir = tempDir(`milepost-${name}-`);
  return {
    name,
    dataDir,
    faketime,
    run: (...args: string[]) => milepost(args, { dataDir, faketime }),
    ok: (...args: string[]) => ok(args, { dataDir, faketime }),
    /** The same device with its clock set some other way (or right: undefined). */
    withClock: (clock: string | undefined) => ({ ok: (...args: string[]) => ok(args, { dataDir, faketime: clock }) }),
  };
}
export type Device = ReturnType<typeof device>;

/** `milepost serve` on a device, signed in over HTTP as a user would be from the app. */
export async function serve(d: { dataDir: string; faketime?: string }, tenant: string, username: string, password: string) {
  const { file, argv, env } = command(['serve', '--port', '0'], { dataDir: d.dataDir, faketime: d.faketime });
  const child: ChildProcess = spawn(file, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (x) => (errors += x));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (x) => {
      out += x;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('close', (code) => reject(new Error(`serve exited ${code}: ${out}${errors}`)));
  });
  const signIn = async (user: string, pw: string) =>
    fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant_id: tenant, username: user, password: pw }) });
  const login = await signIn(username, password);
  if (login.status !== 200) throw new Error(`sign-in as ${username} failed: ${login.status} ${await login.text()}`);
  const token = ((await login.json()) as { data: { token: string } }).data.token;
  return {
    url,
    signIn,
    /** One operation of the contract; its data, or an error carrying the refusal. */
    op: async <T = any>(name: string, input: unknown = {}): Promise<T> => { // eslint-disable-line @typescript-eslint/no-explicit-any
      if (process.env.MILEPOST_TRACE) process.stderr.write(`> api ${name}\n`);
      const res = await fetch(`${url}/api/v1/rpc/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-tenant-id': tenant },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as { data?: T; error?: unknown };
      if (res.status >= 300) throw new Error(`${name}: ${res.status} ${JSON.stringify(body)}`);
      return body.data as T;
    },
    stop: async () => {
      const closed = new Promise((r) => child.once('close', r));
      child.kill('SIGTERM');
      await closed;
    },
  };
}

const tenantFile = (d: { dataDir: string }, tenant: string) => path.join(d.dataDir, 'tenants', `${tenant}.sqlite`);

/** Read a device's database (no process of it running). */
export function onDevice<T>(d: { dataDir: string }, tenant: string, read: (db: Database.Database) => T): T {
  const db = new Database(tenantFile(d, tenant), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Every synced table's rows, as JSON, in id order. */
export const deviceRows = (d: { dataDir: string }, tenant: string): Record<string, string[]> =>
  onDevice(d, tenant, (db) => Object.fromEntries(SYNCED_TABLES.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY id`).all().map((r) => JSON.stringify(r))])));

export async function serverRows(adminUrl: string, tenant: string): Promise<Record<string, string[]>> {
  const c = new pg.Client({ connectionString: adminUrl, types: numberTypes });
  await c.connect();
  try {
    await c.query("SELECT set_config('milepost.tenant', $1, false)", [tenant]);
    const out: Record<string, string[]> = {};
    for (const t of SYNCED_TABLES) out[t] = (await c.query(`SELECT * FROM milepost."${t}" ORDER BY id`)).rows.map((r) => JSON.stringify(r));
    return out;
  } finally {
    await c.end();
  }
}

export const counts = (rows: Record<string, string[]>) => Object.fromEntries(Object.entries(rows).map(([t, r]) => [t, r.length]));

/** The CLI run in this process (the same `main` the binary runs): for the many exports a comparison makes. */
async function cliHere(args: string[]): Promise<void> {
  let err = '';
  const code = await main(args, { write: () => {} }, { write: (s: string) => (err += s) });
  if (code !== 0) throw new Error(`milepost ${args.join(' ')}: ${err}`);
}

/** The filters an export takes: the as-of date, and a lead where a report is about one lead. */
function exportArgs(name: ExportName, asOf: string, lead: string | undefined): string[] {
  const f = exportFilters(name);
  const perLead = name === 'milestone-timeline' || name === 'engagement-stats';
  return [...(f.includes('as_of') ? ['--as-of', asOf] : []), ...(perLead && lead ? ['--lead', lead] : [])];
}

/** The lead with the most milestones: what the per-lead reports are compared on. */
const busiestLead = (d: { dataDir: string }, tenant: string) =>
  onDevice(d, tenant, (db) => (db.prepare('SELECT lead_id AS id FROM sales_lead_milestones WHERE deleted_at IS NULL GROUP BY lead_id ORDER BY count(*) DESC, lead_id LIMIT 1').get() as { id: string } | undefined)?.id);

const needsLead = (name: string) => name === 'milestone-timeline' || name === 'engagement-stats';

/** `milepost export` of each name into CSV text by name; the per-lead reports for the device's busiest lead. */
async function exportEach(names: readonly ExportName[], d: { dataDir: string }, tenant: string, asOf: string, from: string[]): Promise<Record<string, string>> {
  const lead = busiestLead(d, tenant);
  const out: Record<string, string> = {};
  const dir = tempDir('milepost-exports-');
  for (const name of names) {
    if (needsLead(name) && !lead) continue;
    const file = path.join(dir, `${name}.csv`);
    await cliHere(['export', name, '--tenant', tenant, '--out', file, '--details', 'none', ...from, ...exportArgs(name, asOf, lead)]);
    out[name] = fs.readFileSync(file, 'utf8');
  }
  return out;
}

/** Every export of the device (every report and raw list), as CSV text by name. */
export const deviceExports = (d: { dataDir: string }, tenant: string, asOf: string) => exportEach(exportNames, d, tenant, asOf, ['--data-dir', d.dataDir]);

/** Every report over the central database (head office's `export --pg`), as CSV text by name. */
export const serverReports = (adminUrl: string, tenant: string, asOf: string, d: { dataDir: string }) =>
  exportEach(reportNames, d, tenant, asOf, ['--data-dir', tempDir(), '--pg', adminUrl]);

/** The reports among a device's exports. */
export const reportsOnly = (all: Record<string, string>) => Object.fromEntries(Object.entries(all).filter(([k]) => (reportNames as string[]).includes(k)));
