import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../main/demo/demoData.js';
import { cancelBooking } from '../main/services/cancellations.js';
import { leadService } from '../main/services/leads.js';
import { reverseLedgerEntry } from '../main/services/ledger.js';
import { tenantFile } from '../main/tenants.js';
import { makeTenant } from '../test/tenantFixture.js';
import { refreshReceivables } from './receivablesState.js';
import { openScoped, SCOPED_TABLES } from './scope.js';

// db/scope.ts makes every figure the triggers keep (agg_*, rcv_*) a view worked out from
// the rows. Over the whole tenant those views must hold exactly what the kept tables
// hold — the same rule written twice, checked here on the demo data after cancellations,
// a reversal and a deleted lead (a kept row whose counts fell to 0 is no row).

const TODAY = '2025-11-25';
let t: ReturnType<typeof makeTenant>;
beforeAll(() => {
  t = makeTenant();
  runDemo(t.ctx, { leads: 300, seed: 5, today: TODAY });
  const db = t.ctx.db;
  const live = db.prepare("SELECT id FROM sales_bookings WHERE status = 'confirmed' AND deleted_at IS NULL ORDER BY id LIMIT 2").pluck().all() as string[];
  for (const id of live) cancelBooking(t.ctx, id, { cancellation_date: TODAY, cancellation_reason: 'Changed plans' });
  const payment = db.prepare("SELECT id FROM sales_account_ledgers WHERE transaction_type = 'payment' AND status = 'active' ORDER BY id LIMIT 1").pluck().get() as string;
  reverseLedgerEntry(t.ctx, payment, { description: 'Cheque bounced' });
  const booked = db.prepare('SELECT lead_id FROM sales_bookings WHERE lead_id IS NOT NULL ORDER BY id LIMIT 1').pluck().get() as string;
  leadService.remove(t.ctx, booked);
  leadService.remove(t.ctx, db.prepare("SELECT id FROM sales_leads WHERE status = 'new' AND deleted_at IS NULL ORDER BY id LIMIT 1").pluck().get() as string);
  refreshReceivables(db, TODAY, true);
}, 120_000);
afterAll(() => t.close());

type Row = Record<string, unknown>;
/** The rows of a table or view, those whose figures are all 0 left out, in a stable order. */
function rowsOf(db: import('better-sqlite3').Database, schema: 'main' | 'temp', table: string, keys: Set<string>): string[] {
  return (db.prepare(`SELECT * FROM ${schema}."${table}"`).all() as Row[])
    .filter((r) => Object.entries(r).some(([k, v]) => !keys.has(k) && v !== 0 && v !== null))
    .map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k]])))
    .sort();
}

describe('the scoped views (db/scope.ts)', () => {
  it('over the whole tenant hold exactly what the kept figures hold', () => {
    const scoped = openScoped(tenantFile(t.dataDir, 't1'), 'everything');
    try {
      const kept = SCOPED_TABLES.filter((name) => /^(agg|rcv)_/.test(name));
      expect(kept.length).toBeGreaterThanOrEqual(25);
      // Every kept table of the schema has its view (a new one without is a gap in a rep's figures).
      const tables = t.ctx.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 'agg\\_%' ESCAPE '\\' OR name LIKE 'rcv\\_%' ESCAPE '\\') AND name NOT IN ('rcv_state', 'rcv_dirty')").pluck().all() as string[];
      expect(kept.sort()).toEqual(tables.sort());
      for (const table of kept) {
        const columns = t.ctx.db.prepare(`SELECT name, pk FROM pragma_table_info('${table}')`).all() as { name: string; pk: number }[];
        const keys = new Set(columns.filter((c) => c.pk > 0).map((c) => c.name));
        // Same columns, so a query reads the view as it reads the table.
        expect((scoped.prepare(`SELECT name FROM pragma_table_info('${table}', 'temp')`).pluck().all() as string[]).sort(), table).toEqual(columns.map((c) => c.name).sort());
        const expected = rowsOf(t.ctx.db, 'main', table, keys);
        expect(expected.length, `${table} has rows to compare`).toBeGreaterThan(0);
        expect(rowsOf(scoped, 'temp', table, keys), table).toEqual(expected);
      }
      // The records themselves read whole.
      for (const table of ['sales_leads', 'sales_bookings', 'sales_account_ledgers', 'sales_customers']) {
        expect(scoped.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), table).toBe(t.ctx.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get());
      }
    } finally {
      scoped.close();
    }
  });

  it('cannot write: the connection is read-only', () => {
    const scoped = openScoped(tenantFile(t.dataDir, 't1'), { rep: 'asha.k' });
    try {
      expect(() => scoped.prepare("UPDATE main.users SET role = 'admin'").run()).toThrow(/readonly/);
      expect(() => scoped.prepare("INSERT INTO sales_leads (id) VALUES ('x')").run()).toThrow();
    } finally {
      scoped.close();
    }
  });
});
