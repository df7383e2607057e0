import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyTable } from '../../bench/copyToPostgres.js';
import { reportNames, reportPlan, reportQuery, type ReportName } from '../../main/services/reports.js';
import { buildSmallDataset } from '../../test/smallDataset.js';
import { startPostgres, type RunningPostgres } from '../../test/postgres.js';
import { makeTenant } from '../../test/tenantFixture.js';
import { bookingService, bookUnit } from '../../main/services/bookings.js';
import { unitInventoryService } from '../../main/services/catalog.js';
import { createUnits, updateUnit } from '../../main/services/units.js';
import { holdUnit } from '../../main/services/holds.js';
import { onSqlite } from '../reports/plan.js';
import { numberTypes, onPostgres, toPostgres } from './reports.js';
import { checkConstraints, pgSchemaFrom, schemaStatements } from './schema.js';

// The hand-worked dataset of db/reports/reports.test.ts, copied into a real Postgres
// with the schema read from SQLite: every report and every view gives the same rows.
let t: ReturnType<typeof makeTenant>;
let server: RunningPostgres;
let client: pg.Client;
let ids: { k1: string; k5: string };

beforeAll(async () => {
  t = makeTenant();
  ids = buildSmallDataset(t.ctx);
  // Units of a second project: one held, one booked, one sold, one blocked.
  unitInventoryService.create(t.ctx, { project_name: 'Lakeview', unit_type: 'Villa', total_units: 0 });
  const lv = createUnits(t.ctx, { project_name: 'Lakeview', tower: 'North', unit_type: 'Villa', floor_from: 1, floor_to: 2, units_per_floor: 3, list_price: 9000000.5 }).units;
  holdUnit(t.ctx, lv[0]!.id, { lead_id: 'L1' }); // live until 27 November, 10:00 UTC
  bookUnit(t.ctx, 'L2', { unit_id: lv[1]!.id, booking_date: '2025-11-03' });
  const sold = bookUnit(t.ctx, 'L4', { unit_id: lv[2]!.id, booking_date: '2025-10-20', booking_amount: 8750000.75 });
  bookingService.update(t.ctx, sold.booking.id, { status: 'completed' });
  updateUnit(t.ctx, lv[3]!.id, { blocked: true });
  server = await startPostgres();
  client = new pg.Client({ connectionString: server.url(), types: numberTypes });
  await client.connect();
  const schema = pgSchemaFrom(t.ctx.db);
  for (const sql of [...schema.functions, ...schema.tables]) await client.query(sql);
  for (const table of schema.tables.map((s) => /CREATE TABLE "([^"]+)"/.exec(s)![1]!)) await copyTable(t.ctx.db, client, table);
  for (const sql of [...schema.indexes, ...schema.foreignKeys, ...schema.views]) await client.query(sql);
  await client.query('ANALYZE');
}, 120_000);

afterAll(async () => {
  await client?.end();
  await server?.stop();
  t?.close();
});

/** The instant reports take as now: the hold above is live. */
const NOW = '2025-11-25T12:00:00.000Z';

const inputs: Record<ReportName, Record<string, unknown>[]> = {
  funnel: [{}, { from: '2025-09-01', to: '2025-11-30' }, { from: '2025-10-01', to: '2025-10-31' }],
  'source-performance': [{}, { from: '2025-11-01', to: '2025-11-30' }],
  'campaign-performance': [{}, { from: '2025-09-01', to: '2025-09-30' }],
  bookings: [{}, { from: '2025-11-01' }, { to: '2025-09-30' }, { project_name: 'green meadows' }, { project_name: 'Nowhere', from: '2025-10-01' }],
  'customer-ledger': [{}, { to: '2025-10-01' }],
  'milestone-timeline': [{ lead_id: 'L1' }, { lead_id: 'L3', from: '2025-09-30' }],
  'engagement-stats': [{ lead_id: 'L2' }, { lead_id: 'L2', from: '2025-11-01' }],
  'stage-timing': [{}, { from: '2025-09-01', to: '2025-09-30' }, { as_of: '2025-10-15' }],
  dashboard: [{}, { from: '2025-11-01' }, { as_of: '2025-10-31' }, { project_name: 'lakeview' }, { project_name: 'Green Meadows', from: '2025-10-01' }, { project_name: 'Lakeview', as_of: '2025-10-31' }],
  inventory: [{}, { project_name: 'LAKEVIEW' }, { project_name: 'Nowhere' }],
  'receivables-aging': [{}, { as_of: '2025-10-31' }, { project_name: 'Green Meadows', buckets: '15,45' }],
  collections: [{}, { from: '2025-09-01', to: '2025-12-31' }],
  'site-visits': [{}, { from: '2025-09-01', to: '2025-09-30' }],
};

describe('the reports on Postgres', () => {
  for (const name of reportNames) {
    it(`${name} gives the same result as on SQLite`, async () => {
      for (const input of inputs[name]) {
        const onLite = onSqlite(t.ctx.db, reportPlan(name, reportQuery(name, input), '2025-11-25', 'UTC', NOW));
        const onPg = await onPostgres(client, reportPlan(name, reportQuery(name, input), '2025-11-25', 'UTC', NOW));
        expect(onPg).toEqual(onLite);
      }
    });
  }

  it('the inventory and a project\'s dashboard have real figures on both sides (not two empty results)', async () => {
    const rows = (await onPostgres(client, reportPlan('inventory', reportQuery('inventory', { project_name: 'lakeview' }), '2025-11-25', 'UTC', NOW)));
    expect(rows).toMatchObject([{ unit_type: 'Villa', total_units: 6, available: 2, held: 1, booked: 1, sold: 1, blocked: 1, sales_value: 17750001.25 }]);
    const board = (await onPostgres(client, reportPlan('dashboard', reportQuery('dashboard', { project_name: 'Lakeview' }), '2025-11-25', 'UTC', NOW)));
    expect(board).toMatchObject({ total_leads: 3, total_bookings: 2, booked_amount: 17750001.25 });
  });

  it('the customer ledger has real sums on both sides (not two empty results)', async () => {
    const rows = (await onPostgres(client, reportPlan('customer-ledger', reportQuery('customer-ledger', { customer_id: ids.k1 }), '2025-11-25'))) as { total_paid: number }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.total_paid).toBe(100000);
  });
});

describe('the report views on Postgres', () => {
  const views = ['v_lead_funnel_analysis', 'v_lead_source_performance', 'v_campaign_performance', 'v_booking_summary', 'v_customer_ledger_summary', 'v_lead_milestone_timeline'];
  for (const view of views) {
    it(`${view} has the same rows as SQLite's`, async () => {
      const lite = t.ctx.db.prepare(`SELECT * FROM ${view}`).all();
      const rows = (await client.query(`SELECT * FROM ${view}`)).rows;
      const sorted = (r: unknown[]) => r.map((x) => JSON.stringify(x)).sort();
      expect(rows.length).toBeGreaterThan(0);
      expect(sorted(rows)).toEqual(sorted(lite));
    });
  }
});

describe('the Postgres schema', () => {
  it('carries every CHECK of the SQLite tables: Postgres refuses what SQLite refuses', async () => {
    await expect(client.query(`UPDATE sales_bookings SET status = 'lost' WHERE booking_code IS NOT NULL`)).rejects.toThrow(/sales_bookings_status_check/);
    await expect(client.query(`UPDATE sales_lead_milestones SET follow_up_date = '2000-01-01' WHERE follow_up_date IS NOT NULL`)).rejects.toThrow(/follow_up_check/);
    const { id, ...entry } = t.ctx.db.prepare('SELECT * FROM sales_account_ledgers LIMIT 1').get() as Record<string, unknown>;
    const columns = Object.keys(entry);
    await expect(client.query(`INSERT INTO sales_account_ledgers (id, ${columns.join(', ')}) VALUES ('X', ${columns.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(entry)))
      .rejects.toThrow(/sales_account_ledgers_code_unique/);
    await expect(client.query(`UPDATE sales_account_ledgers SET debit_amount = 5 WHERE credit_amount > 0`)).rejects.toThrow(/amounts_check/);
  });

  it('reads CHECK clauses with nested parentheses and quoted parentheses', () => {
    expect(checkConstraints(`CREATE TABLE t (a text, CONSTRAINT "c1" CHECK(a IN ('(', 'b') OR (a IS NULL)), CONSTRAINT "c2" CHECK("t"."a" <> ''))`)).toEqual([
      { name: 'c1', expr: `a IN ('(', 'b') OR (a IS NULL)` },
      { name: 'c2', expr: `"t"."a" <> ''` },
    ]);
  });

  it('numbers named parameters once each, as text', () => {
    expect(toPostgres('SELECT 1 WHERE (@from IS NULL OR d >= @from) AND d <= @to').text).toBe('SELECT 1 WHERE ($1::text IS NULL OR d >= $1::text) AND d <= $2::text');
  });

  it('has every table but drizzle\'s bookkeeping', () => {
    const statements = schemaStatements(pgSchemaFrom(t.ctx.db));
    expect(statements.some((s) => s.includes('"sales_account_ledgers"'))).toBe(true);
    expect(statements.some((s) => s.includes('__drizzle_migrations'))).toBe(false);
  });
});
