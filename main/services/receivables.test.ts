import { afterEach, describe, expect, it } from 'vitest';
import { addReps, makeTenant, refusal } from '../../test/tenantFixture.js';
import { receivablesDataset } from '../../test/receivablesDataset.js';
import { runReport } from './reports.js';

let t: ReturnType<typeof makeTenant>;
afterEach(() => t?.close());
const dataset = () => {
  t = receivablesDataset();
};

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

  it('shows a past day as it stood: a later cancellation changes nothing then, a later booking is not there yet', async () => {
    dataset();
    const before = runReport(t.ctx, 'receivables-aging', { as_of: '2025-07-10' });
    const { cancelBooking } = await import('./cancellations.js');
    const asha = (t.ctx.db.prepare("SELECT id FROM sales_bookings WHERE customer_id = 'K1'").get() as { id: string }).id;
    cancelBooking(t.ctx, asha, { cancellation_date: '2025-12-31', cancellation_reason: 'Transferred', forfeiture_amount: 100000, refund_amount: 250000 });
    expect(runReport(t.ctx, 'receivables-aging', { as_of: '2025-07-10' })).toEqual(before);
    // On 10 July Bala had not booked: Asha alone, her contract whole.
    expect((before as Record<string, unknown>[]).map((r) => [r.name, r.contract_value])).toEqual([['Asha', 1000000], ['1 customer', 1000000]]);
    // Today her booking is cancelled: only the forfeiture is left, and it is paid.
    expect((runReport(t.ctx, 'receivables-aging', {}) as Record<string, unknown>[])[0]).toMatchObject({ name: 'Asha', contract_value: 0, due_to_date: 100000, received: 100000, overdue_total: 0 });
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

describe('overdue instalments for Today (SPEC §10)', () => {
  it('lists what is late, most overdue first, everyone\'s or one person\'s customers', async () => {
    dataset();
    const { overdueInstalments } = await import('./receivables.js');
    // Asha's July instalment (1,50,000 of it, 183 days) and her November one (5,00,000, 33 days); Bala owes nothing late.
    expect(overdueInstalments(t.ctx, {}).map((i) => [i.customer_name, i.label, i.overdue, i.days_overdue, i.due_date])).toEqual([
      ['Asha', 'Agreement', 150000, 183, '2025-07-01'], ['Asha', 'Possession', 500000, 33, '2025-11-28'],
    ]);
    // Her bookings came from no lead: a rep's own list is empty until one of theirs books and does not pay.
    expect(overdueInstalments(t.ctx, { assigned_to: 'priya' })).toEqual([]);
    const { leadService } = await import('./leads.js');
    const { bookUnit } = await import('./bookings.js');
    addReps(t.ctx, 'priya');
    leadService.create(t.ctx, { id: 'L9', name: 'Kiran', lead_date: '2025-09-01', assigned_to: 'priya' });
    bookUnit(t.ctx, 'L9', { booking_date: '2025-10-01', booking_amount: 100000.5 });
    expect(overdueInstalments(t.ctx, { assigned_to: 'priya' }).map((i) => [i.customer_name, i.overdue, i.days_overdue])).toEqual([['Kiran', 100000.5, 91]]);
    expect(overdueInstalments(t.ctx, {}).map((i) => i.customer_name)).toEqual(['Asha', 'Kiran', 'Asha']);
    expect(refusal(() => overdueInstalments(t.ctx, { limit: 0 })).details[0]!.field).toBe('limit');
  });
});
