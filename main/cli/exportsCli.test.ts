import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/tenantFixture.js';
import { cli, readCsv, sha } from '../../test/cliFixture.js';

// `milepost demo` and `milepost export`: the same seed gives byte-identical files, the
// reports agree with the raw lists, the details go where asked; backup and restore.

const reportExports = ['funnel', 'source-performance', 'campaign-performance', 'bookings', 'customer-ledger', 'milestone-timeline', 'engagement-stats', 'dashboard'];
const listExports = ['leads', 'customers', 'milestones', 'engagements', 'booking-list', 'ledger-entries'];

describe('demo data and exports', () => {
  const dirs: string[] = [];
  const exported = new Map<string, string>();

  async function demoAndExport(seed: string) {
    const dir = tempDir();
    dirs.push(dir);
    expect((await cli('tenant', 'create', '--data-dir', dir, '--tenant', 't1', '--name', 'T', '--admin', 'admin', '--password', 'S3cret-pass', '--timezone', 'Asia/Kolkata')).code).toBe(0);
    const demo = await cli('demo', '--data-dir', dir, '--tenant', 't1', '--leads', '5000', '--seed', seed, '--today', '2025-11-25');
    expect(demo.code, demo.stderr).toBe(0);
    // A second run is refused in words, writing nothing (it would make the same projects and codes again).
    const again = await cli('demo', '--data-dir', dir, '--tenant', 't1', '--leads', '10', '--seed', seed, '--today', '2025-11-25');
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('this tenant already holds the demo data (made 20') });
    for (const name of listExports) {
      expect((await cli('export', name, '--data-dir', dir, '--tenant', 't1', '--out', path.join(dir, `${name}.csv`))).code).toBe(0);
    }
    // The busiest lead, for the per-lead reports.
    const busy = readCsv(path.join(dir, 'engagements.csv')).reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.lead_id!]: (acc[e.lead_id!] ?? 0) + 1 }), {});
    const lead = Object.entries(busy).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
    for (const name of reportExports) {
      const filter = name === 'milestone-timeline' || name === 'engagement-stats' ? ['--lead', lead] : ['--as-of', '2025-11-25'];
      const r = await cli('export', name, '--data-dir', dir, '--tenant', 't1', '--out', path.join(dir, `${name}.csv`), ...filter);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
    }
    return dir;
  }

  let first = '';
  beforeAll(async () => {
    first = await demoAndExport('7');
    for (const name of [...reportExports, ...listExports]) exported.set(name, path.join(first, `${name}.csv`));
  }, 120_000);

  it('takes the lead of a per-lead report, and the customer of the ledger, by code as by id', async () => {
    const lead = readCsv(exported.get('leads')!).find((l) => l.lead_code)!;
    const customer = readCsv(exported.get('customers')!).find((c) => c.customer_code)!;
    for (const [name, option, id, code] of [['milestone-timeline', '--lead', lead.id, lead.lead_code], ['customer-ledger', '--customer', customer.id, customer.customer_code]]) {
      const out = (as: string) => path.join(first, `${name}-${as}.csv`);
      for (const [as, ref] of [['id', id], ['code', code]]) {
        const r = await cli('export', name!, '--data-dir', first, '--tenant', 't1', '--out', out(as!), option!, ref!, '--details', 'none');
        expect(r.code, `${name} by ${as}: ${r.stderr}`).toBe(0);
      }
      expect(fs.readFileSync(out('code'), 'utf8')).toBe(fs.readFileSync(out('id'), 'utf8'));
      expect(readCsv(out('id')).length, name).toBeGreaterThan(0);
    }
  });

  it('gives byte-identical exports for the same seed', async () => {
    const b = await demoAndExport('7');
    for (const [name, file] of exported) expect(sha(path.join(b, `${name}.csv`)), name).toBe(sha(file));
  }, 120_000);

  it('writes reports whose numbers agree with the raw lists', () => {
    const leads = readCsv(exported.get('leads')!);
    expect(leads).toHaveLength(5000);
    const funnel = readCsv(exported.get('funnel')!);
    expect(funnel.map((r) => r.month)).toHaveLength(12);
    expect(funnel.at(-1)?.month).toBe('2025-11');
    for (const row of funnel) {
      const cohort = leads.filter((l) => l.lead_date!.startsWith(row.month!));
      expect(Number(row.total_leads), row.month).toBe(cohort.length);
      expect(Number(row.converted)).toBe(cohort.filter((l) => l.status === 'converted').length);
      expect(Number(row.lost)).toBe(cohort.filter((l) => l.status === 'lost').length);
      expect(Number(row.qualified)).toBe(cohort.filter((l) => Number(l.reached_rank) >= 2).length);
    }
    const dashboard = readCsv(exported.get('dashboard')!);
    expect(dashboard).toHaveLength(1);
    expect(Number(dashboard[0]!.total_leads)).toBe(5000);
    expect(Number(dashboard[0]!.converted_leads)).toBe(leads.filter((l) => l.status === 'converted').length);

    // Each customer's last running balance equals the outstanding balance of the summary.
    const entries = readCsv(exported.get('ledger-entries')!);
    const lastBalance = new Map(entries.map((e) => [e.customer_id, e.balance_after]));
    const summary = readCsv(exported.get('customer-ledger')!);
    expect(summary.length).toBeGreaterThan(50);
    for (const s of summary) expect(s.outstanding_balance).toBe(lastBalance.get(s.customer_id) ?? '0.00');
    expect(entries.every((e) => /^-?\d+\.\d{2}$/.test(e.debit_amount!) && /^-?\d+\.\d{2}$/.test(e.balance_after!))).toBe(true);

    const bookings = readCsv(exported.get('bookings')!);
    const list = readCsv(exported.get('booking-list')!);
    expect(bookings.map((b) => b.status)).toEqual(['confirmed', 'pending', 'cancelled', 'completed', 'on_hold']);
    for (const b of bookings) expect(Number(b.booking_count)).toBe(list.filter((x) => x.status === b.status).length);
    expect(Number(bookings[2]!.booking_count)).toBeGreaterThan(0);

    const stats = readCsv(exported.get('engagement-stats')!);
    expect(Number(stats[0]!.total_engagements)).toBeGreaterThan(1);
    expect(readCsv(exported.get('milestone-timeline')!).length).toBeGreaterThan(0);
  });

  it('writes the details of each export beside it by default, or in a # line, with the delimiter asked for', async () => {
    const dir = dirs[0]!;
    const funnel = readCsv(exported.get('funnel')!);
    const about = JSON.parse(fs.readFileSync(path.join(dir, 'funnel.about.json'), 'utf8')) as Record<string, unknown>;
    expect(about).toMatchObject({
      export: 'funnel', tenant_id: 't1', tenant_name: 'T', filters: { as_of: '2025-11-25' }, time_zone: 'Asia/Kolkata', source: 'this device',
      locale: 'en-IN', delimiter: ',', decimal_separator: '.', columns: Object.keys(funnel[0]!), rows: funnel.length,
    });
    expect(about.generated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:30$/);

    const out = path.join(dir, 'funnel-de.csv');
    const r = await cli('export', 'funnel', '--data-dir', dir, '--tenant', 't1', '--out', out, '--from', '2025-10-01', '--to', '2025-11-30', '--details', 'comment', '--delimiter', ';');
    expect(r.stdout.trim()).toBe(`wrote 2 rows to ${out}`);
    const [comment, header, ...rows] = fs.readFileSync(out, 'utf8').trimEnd().split('\r\n');
    expect(comment).toMatch(/^\uFEFF# Milepost export: funnel \| tenant: T \(t1\) \| filters: from=2025-10-01 to=2025-11-30 as_of=\d{4}-\d\d-\d\d \| time zone: Asia\/Kolkata \| generated: \S+\+05:30 \| source: this device$/);
    expect(header).toBe('month;total_leads;contacted;qualified;negotiation;converted;lost;conversion_rate');
    expect(rows.map((row) => row.split(';').slice(0, 2))).toEqual(funnel.filter((f) => f.month! >= '2025-10').map((f) => [f.month, f.total_leads]));
    expect(fs.existsSync(path.join(dir, 'funnel-de.about.json'))).toBe(false);

    expect(await cli('export', 'funnel', '--data-dir', dir, '--tenant', 't1', '--out', path.join(dir, 'x.csv'), '--details', 'top'))
      .toMatchObject({ code: 2, stderr: expect.stringContaining('details must be comment, side or none') });
    expect(fs.existsSync(path.join(dir, 'x.csv'))).toBe(false);
  });

  it('backs up and restores a tenant exactly, and refuses a broken backup leaving the database untouched', async () => {
    const dir = dirs[0]!;
    const backup = path.join(dir, 'backup.sqlite');
    const dump = () => {
      // Read-write, so closing removes the WAL side files again.
      const db = new Database(path.join(dir, 'tenants', 't1.sqlite'));
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
      const out = Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}"`).all().map((r) => JSON.stringify(r)).sort()]));
      db.close();
      return out;
    };
    expect((await cli('backup', '--data-dir', dir, '--tenant', 't1', '--out', backup)).code).toBe(0);
    const original = dump();
    await cli('user', 'add', '--data-dir', dir, '--tenant', 't1', '--username', 'later', '--password', 'later-pass-1', '--role', 'manager');
    expect(dump()).not.toEqual(original);
    const restored = await cli('restore', '--data-dir', dir, '--tenant', 't1', '--from', backup);
    expect(restored.code, restored.stderr).toBe(0);
    expect(dump()).toEqual(original);

    const notDb = path.join(dir, 'notes.txt');
    fs.writeFileSync(notDb, 'this is not a database, just some notes\n'.repeat(200));
    const corrupt = path.join(dir, 'corrupt.sqlite');
    const bytes = fs.readFileSync(backup);
    bytes.fill(0x5a, 8192, bytes.length - 4096); // keep the header, ruin the pages
    fs.writeFileSync(corrupt, bytes);
    const other = tempDir();
    await cli('tenant', 'create', '--data-dir', other, '--tenant', 't2', '--name', 'T2', '--admin', 'admin', '--password', 'S3cret-pass');
    const otherBackup = path.join(other, 't2.sqlite');
    await cli('backup', '--data-dir', other, '--tenant', 't2', '--out', otherBackup);

    const live = path.join(dir, 'tenants', 't1.sqlite');
    const before = sha(live);
    for (const [file, message] of [
      [notDb, 'is not a readable SQLite database'],
      [corrupt, 'corrupt'],
      [otherBackup, "is a backup of tenant 't2', not 't1'"],
      [path.join(dir, 'missing.sqlite'), 'does not exist'],
    ] as const) {
      const r = await cli('restore', '--data-dir', dir, '--tenant', 't1', '--from', file);
      expect(r.code, file).not.toBe(0);
      expect(r.stderr).toMatch(message === 'corrupt' ? /corrupt|malformed|not a database/ : new RegExp(message.replace(/[()']/g, '.')));
      expect(sha(live)).toBe(before);
    }
    expect(dump()).toEqual(original);
    // No staged copy is left behind; the restored photo folder is there (empty: demo visits have no photos).
    expect(fs.readdirSync(path.join(dir, 'tenants'))).toEqual(['t1.files', 't1.sqlite']);
    expect(fs.readdirSync(path.join(dir, 'tenants', 't1.files'))).toEqual([]);
  });
});

