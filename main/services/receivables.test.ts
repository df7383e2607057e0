import { afterEach, describe, expect, it } from 'vitest';
import { makeTenant, refusal } from '../../test/tenantFixture.js';
import { bookingService } from './bookings.js';
import { customerService } from './catalog.js';
import { createLedgerEntry } from './ledger.js';
import { createPlan } from './paymentPlans.js';
import { runReport } from './reports.js';

let t: ReturnType<typeof makeTenant>;
afterEach(() => t?.close());

/**
 * As of 31 December 2025:
 * Asha: 10,00,000 booked 1 June on 10 % at once, 40 % 30 days on (1 July), 50 % 180 days on
 *   (28 November); received 1,00,000 on 1 June and 2,50,000 on 20 July. The July instalment is
 *   1,50,000 short, 183 days late; November's 5,00,000 unpaid, 33 days late.
 * Bala: 5,00,000 booked 1 December (no plan: due that day) and 2,00,000 on 20 December due
 *   30 days on (19 January); received 6,00,000 on 5 December: December is paid, 1,00,000 is
 *   an advance, which pays half of January's instalment ahead of time.
 */
function dataset() {
  t = makeTenant({ now: '2025-12-31T10:00:00.000Z' });
  const staged = createPlan(t.ctx, { plan_code: 'P1', plan_name: '10/40/50', instalments: [
    { label: 'Booking', percent: 10, due: 'on_booking' }, { label: 'Agreement', percent: 40, due: { after_days: 30 } }, { label: 'Possession', percent: 50, due: { after_days: 180 } },
  ] });
  const later = createPlan(t.ctx, { plan_code: 'P2', plan_name: '30 days', instalments: [{ label: 'In 30 days', percent: 100, due: { after_days: 30 } }] });
  customerService.create(t.ctx, { id: 'K1', customer_code: 'K1', name: 'Asha', phone: '+919845011111' });
  customerService.create(t.ctx, { id: 'K2', customer_code: 'K2', name: 'Bala' });
  bookingService.create(t.ctx, { customer_id: 'K1', booking_date: '2025-06-01', booking_amount: 1000000, project_name: 'Green Meadows', payment_plan_id: staged.id });
  bookingService.create(t.ctx, { customer_id: 'K2', booking_date: '2025-12-01', booking_amount: 500000, project_name: 'Lakeview' });
  bookingService.create(t.ctx, { customer_id: 'K2', booking_date: '2025-12-20', booking_amount: 200000, project_name: 'Green Meadows', payment_plan_id: later.id });
  const pay = (customer_id: string, transaction_date: string, credit_amount: number) => createLedgerEntry(t.ctx, { customer_id, transaction_date, transaction_type: 'payment', credit_amount });
  pay('K1', '2025-06-01', 100000);
  pay('K1', '2025-07-20', 250000);
  pay('K2', '2025-12-05', 600000);
}

describe('receivables aging (SPEC §10)', () => {
  it('ages each customer\'s unpaid instalments, the buckets summing to the overdue total and due to date to received plus outstanding', () => {
    dataset();
    const rows = runReport(t.ctx, 'receivables-aging', {}) as Record<string, unknown>[];
    expect(rows).toEqual([
      {
        customer_id: 'K1', customer_code: 'K1', name: 'Asha', phone: '+919845011111', contract_value: 1000000,
        due_to_date: 1000000, received: 350000, received_against_due: 350000, outstanding_due: 650000, advance: 0, not_due: 0,
        d0_30: 0, d31_60: 500000, d61_90: 0, d91_180: 0, d181_plus: 150000, overdue_total: 650000,
        oldest_overdue_date: '2025-07-01', next_due_date: null, next_due_amount: 0,
      },
      {
        customer_id: 'K2', customer_code: 'K2', name: 'Bala', phone: null, contract_value: 700000,
        due_to_date: 500000, received: 600000, received_against_due: 500000, outstanding_due: 0, advance: 100000, not_due: 100000,
        d0_30: 0, d31_60: 0, d61_90: 0, d91_180: 0, d181_plus: 0, overdue_total: 0,
        oldest_overdue_date: null, next_due_date: '2026-01-19', next_due_amount: 100000,
      },
      {
        customer_id: null, customer_code: 'TOTAL', name: '2 customers', phone: null, contract_value: 1700000,
        due_to_date: 1500000, received: 950000, received_against_due: 850000, outstanding_due: 650000, advance: 100000, not_due: 100000,
        d0_30: 0, d31_60: 500000, d61_90: 0, d91_180: 0, d181_plus: 150000, overdue_total: 650000,
        oldest_overdue_date: '2025-07-01', next_due_date: '2026-01-19', next_due_amount: 100000,
      },
    ]);
    // Other buckets, one project, an earlier day.
    const weekly = runReport(t.ctx, 'receivables-aging', { buckets: '7,200' }) as Record<string, number>[];
    expect(weekly[0]).toMatchObject({ d0_7: 0, d8_200: 650000, d201_plus: 0, overdue_total: 650000 });
    const lakeview = runReport(t.ctx, 'receivables-aging', { project_name: 'lakeview' }) as Record<string, unknown>[];
    expect(lakeview.map((r) => [r.name, r.contract_value, r.due_to_date, r.received])).toEqual([['Bala', 500000, 500000, 500000], ['1 customer', 500000, 500000, 500000]]);
    const july = runReport(t.ctx, 'receivables-aging', { as_of: '2025-07-10' }) as Record<string, unknown>[];
    // 10 July: June's paid; July's 4,00,000 due 1 July is 9 days late (the 2,50,000 came on the 20th).
    expect(july[0]).toMatchObject({ due_to_date: 500000, received: 100000, d0_30: 400000, overdue_total: 400000, next_due_date: '2025-11-28' });
    expect(refusal(() => runReport(t.ctx, 'receivables-aging', { buckets: '60,30' })).details[0]!.field).toBe('buckets');
  });

  it('collections: each month\'s instalments, what was received against them, and the receipts of the month', () => {
    dataset();
    const rows = runReport(t.ctx, 'collections', { from: '2025-06-01', to: '2025-12-31' });
    expect(rows).toEqual([
      { month: '2025-06', instalments_due: 1, amount_due: 100000, received_against_due: 100000, collection_efficiency: 100, receipts: 100000 },
      { month: '2025-07', instalments_due: 1, amount_due: 400000, received_against_due: 250000, collection_efficiency: 62.5, receipts: 250000 },
      { month: '2025-08', instalments_due: 0, amount_due: 0, received_against_due: 0, collection_efficiency: 0, receipts: 0 },
      { month: '2025-09', instalments_due: 0, amount_due: 0, received_against_due: 0, collection_efficiency: 0, receipts: 0 },
      { month: '2025-10', instalments_due: 0, amount_due: 0, received_against_due: 0, collection_efficiency: 0, receipts: 0 },
      { month: '2025-11', instalments_due: 1, amount_due: 500000, received_against_due: 0, collection_efficiency: 0, receipts: 0 },
      { month: '2025-12', instalments_due: 1, amount_due: 500000, received_against_due: 500000, collection_efficiency: 100, receipts: 600000 },
    ]);
  });
});
