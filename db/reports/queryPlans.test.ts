import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSY_CUSTOMER, BUSY_LEAD, generate, SCALES } from '../../bench/generate.js';
import { dispatch } from '../../main/api/dispatch.js';
import type { SessionOperation } from '../../main/api/contract.js';
import { Engine } from '../../main/engine/engine.js';
import { makeTenant } from '../../test/tenantFixture.js';

// No report reads the whole of the big tables (milestones, engagements,
// ledger entries). Every statement a report runs is explained with its own parameters.

const BIG = ['sales_lead_milestones', 'sales_lead_engagement', 'sales_account_ledgers'];
let t: ReturnType<typeof makeTenant>;
const plans: { sql: string; detail: string }[] = [];

beforeAll(() => {
  t = makeTenant({ now: '2026-11-20T10:00:00.000Z' });
  generate(t.ctx.db, SCALES.small, { today: '2026-11-20' });
  // Record the plan of every statement as it runs.
  const db = t.ctx.db;
  const prepare = db.prepare.bind(db);
  (db as { prepare: Database.Database['prepare'] }).prepare = ((sql: string) => {
    const stmt = prepare(sql);
    if (!/^\s*(WITH|SELECT)/i.test(sql)) return stmt;
    const explain = prepare(`EXPLAIN QUERY PLAN ${sql}`);
    for (const method of ['all', 'get', 'iterate'] as const) {
      const original = stmt[method].bind(stmt) as (...args: unknown[]) => unknown;
      (stmt as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        for (const row of explain.all(...args) as { detail: string }[]) plans.push({ sql, detail: row.detail });
        return original(...args);
      };
    }
    return stmt;
  }) as Database.Database['prepare'];
});
afterAll(() => t.close());

/** A plan line that reads a whole big table (or all of an index of one): SCAN, not SEARCH. */
function scansBigTable({ sql, detail }: { sql: string; detail: string }): boolean {
  const m = /^SCAN (\w+)/.exec(detail);
  if (!m) return false;
  const name = m[1]!;
  return BIG.some((table) => name === table || new RegExp(`\\b${table}\\s+(AS\\s+)?${name}\\b`, 'i').test(sql));
}

const reports: [SessionOperation, unknown][] = [
  ['reports.funnel', {}], ['reports.sourcePerformance', {}], ['reports.campaignPerformance', {}], ['reports.bookings', {}],
  ['reports.customerLedger', {}], ['reports.customerLedger', { customer_id: BUSY_CUSTOMER }], ['reports.milestoneTimeline', { lead_id: BUSY_LEAD }],
  ['reports.engagementStats', { lead_id: BUSY_LEAD }], ['reports.dashboard', {}], ['reports.dashboard', { from: '2026-01-01', to: '2026-06-30' }],
];

describe('query plans of the reports', () => {
  it('the check itself catches a full scan, through an alias or an index', () => {
    plans.length = 0;
    t.ctx.db.prepare('SELECT count(*) FROM sales_account_ledgers').get();
    t.ctx.db.prepare('SELECT sum(e.debit_amount) FROM sales_account_ledgers e').get();
    t.ctx.db.prepare("SELECT count(*) FROM sales_lead_engagement WHERE lead_id = 'lead-1'").get();
    expect(plans.map(scansBigTable)).toEqual([true, true, false]);
  });

  for (const [op, input] of reports) {
    it(`${op} ${JSON.stringify(input)} never scans milestones, engagements or ledger entries`, () => {
      plans.length = 0;
      const admin = t.ctx.db.prepare("SELECT id, username, role FROM users WHERE username = 'admin'").get() as { id: string; username: string; role: 'admin' };
      dispatch(op, new Engine(t.manager).accounts.open('t1', admin), input);
      expect(plans.length).toBeGreaterThan(0);
      expect(plans.filter(scansBigTable).map((p) => p.detail)).toEqual([]);
    });
  }
});
