import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect } from 'vitest';
import { startPostgres, type RunningPostgres } from '../postgres.js';
import { tempDir } from '../tenantFixture.js';
import { counts, deviceExports, deviceRows, onDevice, ok, reportsOnly, serve, serverReports, serverRows, type Device } from '../syncHarness.js';

// What the realistic sync tests share: a central Postgres made by the
// README's own `milepost server init`, a device login per tenant, syncing to quiet, and
// the proof each case ends with.

export let adminUrl: string;
export const AS_OF = new Date().toISOString().slice(0, 10);

/** The central Postgres of one test file: started before its tests, stopped after. */
export function useCentralServer(): void {
  let central: RunningPostgres | undefined;
  beforeAll(async () => {
    central = await startPostgres();
    adminUrl = central.url();
    const init = await ok(['server', 'init', '--pg', adminUrl], { dataDir: tempDir() });
    expect(init.stdout).toMatch(/created the Milepost schema/);
  }, 180_000);
  afterAll(async () => {
    await central?.stop();
  });
}

export async function addTenant(tenant: string): Promise<string> {
  const r = await ok(['server', 'add-tenant', '--pg', adminUrl, '--tenant', tenant, '--password', `pw-${tenant}-1`], { dataDir: tempDir() });
  return /devices connect with: (\S+)/.exec(r.stdout)![1]!;
}

/** `milepost tenant create` on a device, its admin `admin` with the password S3cret-pass, as the README's first step. */
export const tenantOn = (d: Device, tenant: string, name: string, ...more: string[]) =>
  d.ok('tenant', 'create', '--tenant', tenant, '--name', name, '--admin', 'admin', '--password', 'S3cret-pass', ...more);
/** The tenant on a device with the demo's data. */
export async function demoOn(d: Device, tenant: string, name: string, leads: number, seed: number, ...more: string[]) {
  await tenantOn(d, tenant, name, ...more);
  await d.ok('demo', '--tenant', tenant, '--leads', String(leads), '--seed', String(seed));
}
export const sync = (d: Device, tenant: string, url: string, ...more: string[]) => d.ok('sync', '--tenant', tenant, '--pg', url, ...more);
export const moved = (out: string) => {
  const m = /pushed (\d+), pulled (\d+)/.exec(out)!;
  return Number(m[1]) + Number(m[2]);
};

/** Every device syncs in turn until a whole round moves nothing. */
export async function syncToQuiet(tenant: string, url: string, devices: Device[]): Promise<void> {
  for (let round = 0; round < 6; round += 1) {
    let n = 0;
    for (const d of devices) n += moved((await sync(d, tenant, url)).stdout);
    if (n === 0) return;
  }
  throw new Error('sync did not come to quiet in 6 rounds');
}

/** The proof each case ends with. */
export async function converged(tenant: string, devices: Device[], logins: { username: string; password: string }[]): Promise<void> {
  const server = await serverRows(adminUrl, tenant);
  for (const d of devices) {
    const rows = deviceRows(d, tenant);
    expect(counts(rows), `${d.name}: row counts`).toEqual(counts(server));
    for (const t of Object.keys(server)) expect(rows[t], `${d.name}: ${t}`).toEqual(server[t]);
    onDevice(d, tenant, (db) => {
      expect((db.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n, `${d.name}: pending`).toBe(0);
      expect((db.prepare('SELECT count(*) AS n FROM sync_deferred').get() as { n: number }).n, `${d.name}: waiting rows`).toBe(0);
      // Nothing doubled: one credit note and one cancellation milestone per cancelled booking, one counter-entry per reversal.
      expect(db.prepare("SELECT reference_document_id, count(*) AS n FROM sales_account_ledgers WHERE transaction_type = 'credit_note' AND reference_document_type = 'booking' GROUP BY 1 HAVING n > 1").all()).toEqual([]);
      expect(db.prepare("SELECT json_extract(metadata, '$.booking_id') AS b, count(*) AS n FROM sales_lead_milestones WHERE milestone_type = 'cancellation' AND metadata IS NOT NULL GROUP BY 1 HAVING n > 1").all()).toEqual([]);
      expect(db.prepare("SELECT reference_document_id, count(*) AS n FROM sales_account_ledgers WHERE reference_document_type = 'ledger_entry' GROUP BY 1 HAVING n > 1").all()).toEqual([]);
      expect(db.prepare("SELECT reference_document_id, count(*) AS n FROM sales_account_ledgers WHERE transaction_type = 'refund' AND description LIKE 'Refund on cancellation%' GROUP BY 1 HAVING n > 1").all()).toEqual([]);
      // Every reversed entry has its counter-entry; every cancelled booking (SPEC §10) its credit note of the amount less
      // the forfeiture when it was invoiced, and its refund entry of the refund.
      expect(db.prepare("SELECT e.ledger_code FROM sales_account_ledgers e WHERE e.status = 'reversed' AND NOT EXISTS (SELECT 1 FROM sales_account_ledgers r WHERE r.reference_document_type = 'ledger_entry' AND r.reference_document_id = e.id)").all()).toEqual([]);
      expect(db.prepare(`SELECT b.booking_code FROM sales_bookings b WHERE b.status = 'cancelled'
        AND EXISTS (SELECT 1 FROM sales_account_ledgers i WHERE i.transaction_type = 'invoice' AND i.reference_document_id = b.id)
        AND NOT EXISTS (SELECT 1 FROM sales_account_ledgers c WHERE c.transaction_type = 'credit_note' AND c.reference_document_id = b.id AND c.credit_amount = b.booking_amount - b.forfeiture_amount)`).all()).toEqual([]);
      expect(db.prepare("SELECT b.booking_code FROM sales_bookings b WHERE b.status = 'cancelled' AND b.refund_amount > 0 AND NOT EXISTS (SELECT 1 FROM sales_account_ledgers c WHERE c.transaction_type = 'refund' AND c.reference_document_id = b.id AND c.debit_amount = b.refund_amount)").all()).toEqual([]);
    });
  }
  const exports = await Promise.all(devices.map((d) => deviceExports(d, tenant, AS_OF)));
  for (let i = 1; i < devices.length; i += 1) {
    for (const name of Object.keys(exports[0]!)) expect(exports[i]![name], `${devices[i]!.name}: export ${name}`).toBe(exports[0]![name]);
  }
  const onServer = await serverReports(adminUrl, tenant, AS_OF, devices[0]!);
  const local = reportsOnly(exports[0]!);
  expect(Object.keys(onServer).sort()).toEqual(Object.keys(local).sort());
  for (const name of Object.keys(local)) expect(onServer[name], `export --pg ${name}`).toBe(local[name]);
  // Balances are their entries: the customer-ledger report's outstanding equals the entries' sum, customer by customer.
  onDevice(devices[0]!, tenant, (db) => {
    const sums = new Map((db.prepare("SELECT c.customer_code AS code, coalesce(sum(CASE WHEN e.status <> 'cancelled' AND e.deleted_at IS NULL THEN e.debit_amount - e.credit_amount END), 0) AS n FROM sales_customers c LEFT JOIN sales_account_ledgers e ON e.customer_id = c.id GROUP BY c.id").all() as { code: string; n: number }[]).map((r) => [r.code, r.n]));
    const report = parse(local['customer-ledger']!, { columns: true }) as { customer_code: string; outstanding_balance: string }[];
    expect(report.length).toBe(sums.size);
    for (const r of report) expect(Math.round(Number(r.outstanding_balance) * 100), `customer ${r.customer_code}`).toBe(sums.get(r.customer_code));
  });
  // Everyone can still sign in, on every device.
  for (const d of devices) {
    const app = await serve(d, tenant, logins[0]!.username, logins[0]!.password);
    try {
      for (const l of logins) expect((await app.signIn(l.username, l.password)).status, `${d.name}: ${l.username} / ${l.password}`).toBe(200);
    } finally {
      await app.stop();
    }
  }
}

