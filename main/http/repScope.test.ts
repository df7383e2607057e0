import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApi } from '../../test/apiFixture.js';
import { rebuildReceivables, refreshReceivables } from '../../db/receivablesState.js';
import { dispatch } from '../api/dispatch.js';
import type { Session } from '../api/session.js';
import { today } from '../domain/context.js';
import { runDemo } from '../demo/demoData.js';
import { exportNames } from '../services/exports.js';
import type { SyncRuntime } from '../sync/runtime.js';
import { tenantFile } from '../tenants.js';

// SPEC §11 rep_scope = own, acceptance 1 of issue 17: everything a rep lists, reads,
// reports, drills into and exports equals the same asked by an admin of a tenant that
// holds only that rep's leads and what hangs off them. Tenant t1 holds the demo data of
// five reps; t2 is given a copy of asha.k's share only (made here with plain SQL, not
// with the code under test), and every answer of asha.k on t1 is compared with the
// admin's on t2. Units are the tenant's stock, the same for everyone: a unit another
// rep sold still reads as sold to asha.k (a rep must not offer it).

const REP = 'asha.k';
let api: Awaited<ReturnType<typeof makeApi>>;
let rep: Record<string, string>;
let admin: Record<string, string>;
let adminT1: Record<string, string>;

/** Copy the rep's share of t1 into t2: their leads, all that hangs off them, and the tenant's catalogue (sources, campaigns, units, plans). */
function copyShare() {
  const y = api.manager.get('t2').db;
  y.prepare('ATTACH DATABASE ? AS x').run(tenantFile(api.dataDir, 't1'));
  const leads = `SELECT id FROM x.sales_leads WHERE assigned_to = '${REP}'`;
  const customers = `SELECT customer_id FROM x.sales_leads WHERE id IN (${leads}) AND customer_id IS NOT NULL
    UNION SELECT id FROM x.sales_customers WHERE lead_id IN (${leads}) UNION SELECT customer_id FROM x.sales_bookings WHERE lead_id IN (${leads}) AND deleted_at IS NULL`;
  const share: [string, string][] = [
    ['sales_lead_sources', '1'], ['sales_campaigns', '1'], ['sales_units', '1'], ['sales_unit_inventory', '1'], ['sales_payment_plans', '1'],
    ['sales_construction_stages', '1'], ['sales_stage_settings', '1'],
    ['sales_customers', `id IN (${customers})`],
    ['sales_leads', `id IN (${leads})`],
    ['sales_lead_status_history', `lead_id IN (${leads})`],
    ['sales_lead_milestones', `lead_id IN (${leads})`],
    ['sales_milestone_photos', `milestone_id IN (SELECT id FROM x.sales_lead_milestones WHERE lead_id IN (${leads}))`],
    ['sales_lead_engagement', `lead_id IN (${leads})`],
    ['sales_unit_holds', `lead_id IN (${leads})`],
    ['sales_bookings', `customer_id IN (${customers})`],
    ['sales_payment_schedule', `booking_id IN (SELECT id FROM x.sales_bookings WHERE customer_id IN (${customers}))`],
    ['sales_account_ledgers', `customer_id IN (${customers})`],
  ];
  y.transaction(() => {
    y.pragma('defer_foreign_keys = ON');
    for (const [table, where] of share) y.exec(`INSERT OR REPLACE INTO main.${table} SELECT * FROM x.${table} WHERE ${where}`);
  })();
  y.exec('DETACH DATABASE x');
  rebuildReceivables(y);
  refreshReceivables(y, today(api.manager.context('t2', null)), true);
  return y;
}

beforeAll(async () => {
  api = await makeApi();
  const ctx = api.manager.context('t1', null);
  runDemo(ctx, { leads: 600, seed: 21, repPassword: 'asha-pass-1' });
  adminT1 = await api.login('admin', 't1');
  expect((await api.request('PUT', '/api/v1/settings', { headers: adminT1, body: { rep_scope: 'own' } })).status).toBe(200);
  const y = copyShare();
  // A customer of two reps' leads would make the shares overlap; the demo makes one customer per lead.
  expect(y.prepare('SELECT count(*) FROM sales_bookings b WHERE b.lead_id IS NOT NULL AND b.lead_id NOT IN (SELECT id FROM sales_leads)').pluck().get()).toBe(0);
  rep = await api.login(REP, 't1', 'asha-pass-1');
  admin = await api.login('admin', 't2');
}, 180_000);
afterAll(() => api?.close());

const S = '/api/v1/sales';
async function both(path: string) {
  const [mine, share] = await Promise.all([api.request('GET', path, { headers: rep }), api.request('GET', path, { headers: admin })]);
  return { mine, share };
}
/** The rep's answer equals the share's; `status`: what both must answer (200 unless said). */
async function expectSame(path: string, status: number | null = 200) {
  const { mine, share } = await both(path);
  if (status !== null) expect(mine.status, `${path}: ${mine.text.slice(0, 300)}`).toBe(status);
  expect(mine.status, path).toBe(share.status);
  expect(mine.body ?? mine.text, path).toEqual(share.body ?? share.text);
  return mine;
}

describe('a sales rep under rep_scope = own', () => {
  it('has a share worth comparing: leads, bookings, money', async () => {
    const y = api.manager.get('t2').db;
    const count = (table: string) => y.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    expect(count('sales_leads')).toBeGreaterThan(40);
    expect(count('sales_leads')).toBeLessThan((api.manager.get('t1').db.prepare('SELECT count(*) FROM sales_leads').pluck().get() as number) / 2);
    expect(count('sales_bookings')).toBeGreaterThan(3);
    expect(count('sales_account_ledgers')).toBeGreaterThan(5);
    expect(count('sales_lead_milestones')).toBeGreaterThan(20);
  });

  it('lists only their leads and what hangs off them, the same as a tenant of their leads alone', async () => {
    const leads = await expectSame(`${S}/leads?limit=500`);
    expect(leads.body.data.items.length).toBeGreaterThan(40);
    expect(new Set(leads.body.data.items.map((l: { assigned_to: string }) => l.assigned_to))).toEqual(new Set([REP]));
    for (const path of ['customers?limit=500', 'bookings?limit=500', 'follow-ups?limit=500', 'follow-ups?status=overdue&limit=500', 'leads/stale', 'receivables/overdue?limit=500']) {
      await expectSame(`${S}/${path}`);
    }
    const customers = (await both(`${S}/customers?limit=500`)).mine.body.data.items as { id: string }[];
    const someLeads = (leads.body.data.items as { id: string }[]).slice(0, 6);
    for (const l of someLeads) {
      for (const path of [`leads/${l.id}`, `leads/${l.id}/status-history`, `leads/${l.id}/holds`, `leads/${l.id}/stages`, `milestones/lead/${l.id}`, `engagement/${l.id}`,
        `reports/milestone-timeline/${l.id}`, `reports/engagement-stats/${l.id}`]) await expectSame(`${S}/${path}`);
    }
    for (const c of customers.slice(0, 6)) {
      for (const path of [`customers/${c.id}`, `ledger/${c.id}`, `reports/customer-ledger/${c.id}`]) await expectSame(`${S}/${path}`);
    }
    const bookings = (await both(`${S}/bookings?limit=500`)).mine.body.data.items as { id: string; status: string }[];
    for (const b of bookings.slice(0, 6)) await expectSame(`${S}/bookings/${b.id}/schedule`);
  });

  it('sees another rep\'s lead, customer and booking as not there', async () => {
    const t1 = api.manager.get('t1').db;
    const other = t1.prepare(`SELECT l.id AS lead, b.id AS booking, b.customer_id AS customer FROM sales_leads l JOIN sales_bookings b ON b.lead_id = l.id
      WHERE l.assigned_to <> ? LIMIT 1`).get(REP) as { lead: string; booking: string; customer: string };
    for (const path of [`leads/${other.lead}`, `customers/${other.customer}`, `ledger/${other.customer}`, `bookings/${other.booking}/schedule`, `reports/milestone-timeline/${other.lead}`,
      `customers/${other.customer}/statement`]) {
      const res = await api.request('GET', `${S}/${path}`, { headers: rep });
      expect(res.status, path).toBe(404);
    }
    // Named by its code, it is as unknown: the answer names the code asked for, never the record's id.
    const code = t1.prepare('SELECT lead_code FROM sales_leads WHERE id = ?').pluck().get(other.lead) as string;
    const byCode = await api.request('GET', `${S}/leads/${code}`, { headers: rep });
    expect([byCode.status, byCode.body.error.message]).toEqual([404, `lead '${code}' not found`]);
    const asXlsx = await api.request('GET', `${S}/reports/milestone-timeline/${code}?format=xlsx`, { headers: rep });
    expect([asXlsx.status, asXlsx.body.error.message]).toEqual([404, `lead '${code}' not found`]);
    // Nor can they post a payment to that customer, or link them to a lead of theirs.
    const pay = await api.request('POST', `${S}/ledger`, { headers: rep, body: { customer_id: other.customer, transaction_type: 'payment', credit_amount: 100, transaction_date: '2026-01-05' } });
    expect([pay.status, pay.body.error.details[0].field]).toEqual([404, 'customer_id']);
    const mine = t1.prepare('SELECT id FROM sales_leads WHERE assigned_to = ? AND customer_id IS NULL LIMIT 1').pluck().get(REP) as string;
    const link = await api.request('PATCH', `${S}/leads/${mine}`, { headers: rep, body: { customer_id: other.customer } });
    expect([link.status, link.body.error.details[0].field]).toEqual([404, 'customer_id']);
    // The admin of the same tenant sees them.
    expect((await api.request('GET', `${S}/leads/${other.lead}`, { headers: adminT1 })).status).toBe(200);
  });

  it('gets every report figure computed on their share, and every drill-down behind it', async () => {
    for (const report of ['funnel', 'source-performance', 'campaign-performance', 'bookings', 'dashboard', 'stage-timing', 'site-visits', 'receivables-aging', 'collections']) {
      await expectSame(`${S}/reports/${report}`);
      await expectSame(`${S}/reports/${report}?format=csv&details=none`);
    }
    await expectSame(`${S}/reports/funnel?from=2025-01-01&to=2025-12-31`);
    await expectSame(`${S}/reports/bookings?project_name=Lakeview%20Towers`);
    const dashboard = (await both(`${S}/reports/dashboard`)).mine.body.data as Record<string, unknown>;
    expect(Object.keys(dashboard).length).toBeGreaterThan(8);
    let lists = 0;
    for (const column of Object.keys(dashboard)) {
      const res = await expectSame(`${S}/reports/drill/dashboard?column=${column}&limit=500`, null);
      if (res.status === 200) lists++;
    }
    expect(lists).toBeGreaterThan(5);
    const funnel = (await both(`${S}/reports/funnel`)).mine.body.data as { month: string; total_leads: number }[];
    for (const row of funnel.filter((r) => r.total_leads > 0).slice(-3)) {
      for (const column of ['total_leads', 'contacted', 'qualified', 'converted', 'lost']) await expectSame(`${S}/reports/drill/funnel?row=${row.month}&column=${column}&limit=500`);
    }
    for (const column of ['outstanding_due', 'overdue_total', 'd0_30', 'not_due']) await expectSame(`${S}/reports/drill/receivables-aging?row=&column=${column}&limit=500`);
  });

  it('sees the units as they are for sale, and what their own bookings sold for', async () => {
    const mine = (await api.request('GET', `${S}/reports/inventory`, { headers: rep })).body.data as Record<string, number | string>[];
    const everyone = (await api.request('GET', `${S}/reports/inventory`, { headers: adminT1 })).body.data as Record<string, number | string>[];
    const share = (await api.request('GET', `${S}/reports/inventory`, { headers: admin })).body.data as Record<string, number | string>[];
    const stock = (rows: Record<string, number | string>[]) => rows.map(({ sales_value: _v, ...counts }) => counts);
    expect(stock(mine)).toEqual(stock(everyone));
    expect(mine.map((r) => r.sales_value)).toEqual(share.map((r) => r.sales_value));
    expect(mine.reduce((a, r) => a + Number(r.sales_value), 0)).toBeLessThan(everyone.reduce((a, r) => a + Number(r.sales_value), 0));
  });

  it('exports the same files as a tenant of their leads alone', () => {
    const sessionOf = (tenantId: string, username: string, role: 'admin' | 'sales_rep'): Session => {
      const ctx = api.manager.context(tenantId, null);
      const id = ctx.db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as string;
      return { tenantId, user: { id, username, role }, ctx: { ...ctx, actor: id }, sync: {} as SyncRuntime };
    };
    const mine = sessionOf('t1', REP, 'sales_rep');
    const share = sessionOf('t2', 'admin', 'admin');
    for (const name of exportNames.filter((n) => n !== 'inventory' && n !== 'units' && n !== 'milestone-timeline' && n !== 'engagement-stats' && n !== 'customer-ledger')) {
      const input = { name, details: 'none' };
      const a = dispatch('exports.csv', mine, input).data as { csv: string };
      const b = dispatch('exports.csv', share, input).data as { csv: string };
      expect(a.csv, name).toEqual(b.csv);
    }
  });
});
