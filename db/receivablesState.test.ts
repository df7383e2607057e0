import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../main/demo/demoData.js';
import { reportPlan, reportQuery, runReport, type ReportName } from '../main/services/reports.js';
import { createLedgerEntry, reverseLedgerEntry } from '../main/services/ledger.js';
import { makeTenant } from '../test/tenantFixture.js';
import { onSqlite } from './reports/plan.js';
import { receivablesKept, refreshReceivables } from './receivablesState.js';

// The receivables a device keeps current (migration 0016) must be exactly what a live
// derivation gives: on the demo data made "today", through writes of every kind that
// move an allocation, and on the days the kept state cannot answer (a past day, a
// payment dated ahead) the reports derive live instead.

const TODAY = '2025-11-25';
let t: ReturnType<typeof makeTenant>;
beforeAll(() => {
  t = makeTenant();
  runDemo(t.ctx, { leads: 400, seed: 11, today: TODAY });
}, 120_000);
afterAll(() => t.close());

const live = (name: ReportName, input: Record<string, unknown>) => onSqlite(t.ctx.db, reportPlan(name, reportQuery(name, input), TODAY, 'UTC', t.ctx.clock().toISOString()));
const INPUTS: [ReportName, Record<string, unknown>][] = [
  ['receivables-aging', {}],
  ['receivables-aging', { project_name: 'lakeview towers' }],
  ['receivables-aging', { buckets: '15,45' }],
  ['collections', {}],
  ['collections', { from: '2025-03-01', to: '2025-09-30' }],
  ['dashboard', {}],
  ['dashboard', { project_name: 'Lakeview Towers' }],
];

function expectKeptEqualsLive() {
  for (const [name, input] of INPUTS) expect(runReport(t.ctx, name, input), `${name} ${JSON.stringify(input)}`).toEqual(live(name, input));
}

describe('receivables kept on the device', () => {
  it('equal a live derivation on the demo data, and are used for today', () => {
    const aging = runReport(t.ctx, 'receivables-aging', {}) as Record<string, number>[];
    expect(aging.length).toBeGreaterThan(20);
    // Something in every bucket, so the comparison below means something.
    const total = aging.at(-1)!;
    for (const k of ['not_due', 'd0_30', 'd31_60', 'd61_90', 'd91_180', 'd181_plus', 'advance']) expect(total[k], k).toBeGreaterThan(0);
    expect(receivablesKept(t.ctx.db, TODAY)).toEqual({ current: true, agingAsOf: TODAY });
    expectKeptEqualsLive();
    const dash = runReport(t.ctx, 'dashboard', {});
    expect(dash.due_to_date).toBe(total.outstanding_due);
    expect(dash.overdue_amount).toBe(total.overdue_total);
  });

  it('follow every write that moves an allocation: a payment, a refund, a cancellation, a completed stage, a reversed entry', async () => {
    const { cancelBooking } = await import('../main/services/cancellations.js');
    const { completeStage, listStages } = await import('../main/services/paymentPlans.js');
    const late = (runReport(t.ctx, 'receivables-aging', {}) as Record<string, string | number | null>[]).filter((r) => r.customer_id && Number(r.overdue_total) > 0);
    const [a, b] = late;
    const paid = createLedgerEntry(t.ctx, { customer_id: a!.customer_id, transaction_date: '2025-11-20', transaction_type: 'payment', credit_amount: 12345.67 });
    expectKeptEqualsLive();
    expect((runReport(t.ctx, 'receivables-aging', {}) as Record<string, unknown>[]).find((r) => r.customer_id === a!.customer_id)!.overdue_total)
      .toBe(Math.max(0, Math.round((Number(a!.overdue_total) - 12345.67) * 100) / 100));
    createLedgerEntry(t.ctx, { customer_id: a!.customer_id, transaction_date: '2025-11-21', transaction_type: 'refund', debit_amount: 345.67 });
    expectKeptEqualsLive();
    reverseLedgerEntry(t.ctx, paid.id, { transaction_date: '2025-11-22' });
    expectKeptEqualsLive();
    const booking = t.ctx.db.prepare("SELECT id FROM sales_bookings WHERE customer_id = ? AND status <> 'cancelled' LIMIT 1").get(b!.customer_id) as { id: string };
    cancelBooking(t.ctx, booking.id, { cancellation_date: '2025-11-24', cancellation_reason: 'Loan refused', forfeiture_amount: 0, refund_amount: 0 });
    expectKeptEqualsLive();
    const open = listStages(t.ctx, {}).items.find((s) => s.completed_on === null)!;
    completeStage(t.ctx, open.id, { completed_on: '2025-10-01' });
    expectKeptEqualsLive();
  });

  it('derive live for a past day and while a receipt is dated beyond today, with the same figures', () => {
    expect(receivablesKept(t.ctx.db, '2025-06-30')).toBeUndefined();
    for (const input of [{ as_of: '2025-06-30' }, { as_of: '2025-06-30', project_name: 'Lakeview Towers' }]) expect(runReport(t.ctx, 'receivables-aging', input)).toEqual(live('receivables-aging', input));
    const customer = (t.ctx.db.prepare('SELECT customer_id FROM sales_bookings LIMIT 1').get() as { customer_id: string }).customer_id;
    createLedgerEntry(t.ctx, { customer_id: customer, transaction_date: '2025-12-15', transaction_type: 'payment', credit_amount: 50000 });
    refreshReceivables(t.ctx.db, TODAY);
    expect(receivablesKept(t.ctx.db, TODAY)).toBeUndefined();
    expectKeptEqualsLive();
    expect(receivablesKept(t.ctx.db, '2025-12-15')).toEqual({ current: true, agingAsOf: null });
  });
});
