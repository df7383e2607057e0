import { afterEach, describe, expect, it } from 'vitest';
import { makeTenant, refusal, snapshot } from '../../test/tenantFixture.js';
import { bookUnit } from './bookings.js';
import { cancelBooking } from './cancellations.js';
import { unitInventoryService } from './catalog.js';
import { createLedgerEntry, customerLedger } from './ledger.js';
import { leadService } from './leads.js';
import { bookingSchedule, completeStage, createPlan, createStage, listPlans } from './paymentPlans.js';

let t: ReturnType<typeof makeTenant>;
afterEach(() => t?.close());

/** Green Meadows with its stages, a construction-linked plan and a lead. */
function setUp() {
  t = makeTenant(); // today is 2025-11-25
  unitInventoryService.create(t.ctx, { project_name: 'Green Meadows', unit_type: '2BHK', total_units: 10 });
  const plinth = createStage(t.ctx, { project_name: 'green meadows', stage: 'Plinth' });
  createStage(t.ctx, { project_name: 'Green Meadows', stage: 'Roof slab' });
  const plan = createPlan(t.ctx, {
    plan_code: 'CLP-1', plan_name: 'Construction linked', project_name: 'GREEN MEADOWS',
    instalments: [
      { label: 'On booking', percent: 10, due: 'on_booking' },
      { label: 'Within 30 days', percent: 20, due: { after_days: 30 } },
      { label: 'Plinth', percent: 30, due: { stage: 'plinth' } },
      { label: 'Roof slab', percent: 40, due: { stage: 'Roof slab' } },
    ],
  });
  leadService.create(t.ctx, { id: 'L1', name: 'Asha', lead_date: '2025-09-01' });
  return { plan, plinth };
}

describe('payment plans, stages and schedules (SPEC §10)', () => {
  it('previews a booking\'s instalments as the booking will make them: amounts to the paisa and the dates of stages already done', async () => {
    const { plan, plinth } = setUp();
    const { previewSchedule } = await import('./paymentPlans.js');
    completeStage(t.ctx, plinth.id, { completed_on: '2025-11-01' });
    // 1,00,001 booked today: 10,000.10 / 20,000.20 / 30,000.30 and the rest, 40,000.40; plinth done 1 Nov, due 15 days on, but never before the booking.
    expect(previewSchedule(t.ctx, { plan_id: plan.id, project_name: 'Green Meadows', booking_amount: 100001 })).toEqual([
      { seq: 1, label: 'On booking', percent: 10, amount: 10000.1, due_date: '2025-11-25', stage: null },
      { seq: 2, label: 'Within 30 days', percent: 20, amount: 20000.2, due_date: '2025-12-25', stage: null },
      { seq: 3, label: 'Plinth', percent: 30, amount: 30000.3, due_date: '2025-11-25', stage: 'plinth' },
      { seq: 4, label: 'Roof slab', percent: 40, amount: 40000.4, due_date: null, stage: 'Roof slab' },
    ]);
    // Booked back on 1 October: the plinth instalment falls due on 16 November.
    expect(previewSchedule(t.ctx, { plan_id: plan.id, project_name: 'Green Meadows', booking_amount: 100001, booking_date: '2025-10-01' })[2]!.due_date).toBe('2025-11-16');
    expect(refusal(() => previewSchedule(t.ctx, { plan_id: plan.id, project_name: 'Lakeview', booking_amount: 100 })).details[0]!.field).toBe('project_name');
    unitInventoryService.create(t.ctx, { project_name: 'Lakeview', unit_type: '2BHK', total_units: 5 });
    expect(refusal(() => previewSchedule(t.ctx, { plan_id: plan.id, project_name: 'Lakeview', booking_amount: 100 })).details[0]!.field).toBe('payment_plan_id');
    expect(refusal(() => previewSchedule(t.ctx, { plan_id: plan.id, project_name: 'Green Meadows', booking_amount: 100.001 })).details[0]!.field).toBe('booking_amount');
  });

  it('makes a booking\'s schedule from its plan in the same transaction, and dates a stage\'s instalments when it completes', () => {
    const { plan, plinth } = setUp();
    expect(plan).toMatchObject({ plan_code: 'CLP-1', project_name: 'Green Meadows', active: true, instalments: [{ percent: 10, due: 'on_booking' }, { percent: 20 }, { percent: 30, due: { stage: 'plinth' } }, { percent: 40 }] });
    const booked = bookUnit(t.ctx, 'L1', { booking_date: '2025-10-01', booking_amount: 6240000, project_name: 'Green Meadows', unit_type: '2BHK', payment_plan_id: plan.id });
    // 62,40,000: 6,24,000 on booking, 12,48,000 thirty days on, 18,72,000 and 24,96,000 at the stages.
    expect(booked.schedule).toEqual([
      { seq: 1, label: 'On booking', amount: 624000, due_date: '2025-10-01', stage: null },
      { seq: 2, label: 'Within 30 days', amount: 1248000, due_date: '2025-10-31', stage: null },
      { seq: 3, label: 'Plinth', amount: 1872000, due_date: null, stage: 'plinth' },
      { seq: 4, label: 'Roof slab', amount: 2496000, due_date: null, stage: 'Roof slab' },
    ]);
    // Plinth done on 10 November: due 15 days later (the tenant's demand notice days).
    expect(completeStage(t.ctx, plinth.id, { completed_on: '2025-11-10' }).instalments_dated).toBe(1);
    const before = snapshot(t.ctx);
    expect(refusal(() => completeStage(t.ctx, plinth.id, { completed_on: '2025-11-11' }))).toMatchObject({ code: 'conflict', details: [{ field: 'completed_on' }] });
    const roof = listStagesOf('Roof slab');
    expect(refusal(() => completeStage(t.ctx, roof, { completed_on: '2025-11-26' })).details).toEqual([{ field: 'completed_on', message: 'must not be in the future' }]);
    expect(snapshot(t.ctx)).toEqual(before);

    // As of 25 November, 15,00,000 received (no booking named): it pays the due ones in order.
    createLedgerEntry(t.ctx, { customer_id: booked.customer_id, transaction_date: '2025-10-05', transaction_type: 'payment', credit_amount: 1500000 });
    const s = bookingSchedule(t.ctx, booked.booking.id, { as_of: '2025-11-25' });
    expect(s.items.map((i) => [i.seq, i.due_date, i.paid, i.due, i.overdue, i.days_overdue])).toEqual([
      [1, '2025-10-01', 624000, 0, 0, 0],
      [2, '2025-10-31', 876000, 372000, 372000, 25], // 15,00,000 − 6,24,000 = 8,76,000 of 12,48,000
      [3, '2025-11-25', 0, 1872000, 0, 0], // due today: due, not yet overdue
      [4, null, 0, 0, 0, 0],
    ]);
    expect(s.totals).toEqual({ amount: 6240000, paid: 1500000, due: 2244000, overdue: 372000 });
  });

  it('refuses percents that do not sum to 100, a third decimal, an unknown due or stage, and a code taken, writing nothing', () => {
    setUp();
    const before = snapshot(t.ctx);
    const plan = (instalments: unknown, extra = {}) => refusal(() => createPlan(t.ctx, { plan_code: 'P-2', plan_name: 'x', project_name: 'Green Meadows', instalments, ...extra })).details[0];
    expect(plan([{ label: 'a', percent: 50, due: 'on_booking' }, { label: 'b', percent: 49.99, due: 'on_booking' }]))
      .toEqual({ field: 'instalments', message: 'percents must sum to exactly 100 (they sum to 99.99)' });
    expect(plan([{ label: 'a', percent: 33.333, due: 'on_booking' }])).toEqual({ field: 'instalments.0.percent', message: 'must have at most 2 decimals' });
    expect(plan([{ label: 'a', percent: 100, due: 'monthly' }])!.field).toBe('instalments.0.due');
    expect(plan([{ label: 'a', percent: 60, due: 'on_booking' }, { label: 'b', percent: 40, due: { stage: 'Terrace' } }]))
      .toEqual({ field: 'instalments.1.due', message: "no construction stage 'Terrace' in Green Meadows: add it first, or use on_booking or after_days" });
    expect(plan([{ label: 'a', percent: 100, due: 'on_booking' }], { plan_code: 'CLP-1' })).toMatchObject({ field: 'plan_code' });
    expect(plan([{ label: 'a', percent: 100, due: 'on_booking' }], { project_name: 'Nowhere' })).toMatchObject({ field: 'project_name' });
    expect(refusal(() => createStage(t.ctx, { project_name: 'Green Meadows', stage: 'PLINTH' })).details[0]!.field).toBe('stage');
    expect(snapshot(t.ctx)).toEqual(before);
    expect(listPlans(t.ctx, { project_name: 'green meadows' }).items.map((p) => p.plan_code)).toEqual(['CLP-1']);
    expect(refusal(() => listPlans(t.ctx, { limit: 501 })).details[0]!.field).toBe('limit');
  });

  it('gives a booking without a plan one instalment of the whole amount, refuses a plan of another project, and on cancellation keeps only the forfeiture due', () => {
    const { plan } = setUp();
    unitInventoryService.create(t.ctx, { project_name: 'Lakeview', unit_type: 'Villa', total_units: 2 });
    leadService.create(t.ctx, { id: 'L2', name: 'Bala', lead_date: '2025-09-01' });
    const plain = bookUnit(t.ctx, 'L1', { booking_date: '2025-11-01', booking_amount: 100000.5, project_name: 'Lakeview', unit_type: 'Villa' });
    expect(plain.schedule).toEqual([{ seq: 1, label: 'Full amount', amount: 100000.5, due_date: '2025-11-01', stage: null }]);
    const before = snapshot(t.ctx);
    expect(refusal(() => bookUnit(t.ctx, 'L2', { booking_amount: 500000, project_name: 'Lakeview', unit_type: 'Villa', payment_plan_id: plan.id })).details)
      .toEqual([{ field: 'payment_plan_id', message: 'CLP-1 is for Green Meadows, not Lakeview' }]);
    expect(snapshot(t.ctx)).toEqual(before);

    // Booked on the plan, 6,24,000 received, cancelled forfeiting 1,00,000 and paying back 5,24,000.
    const b = bookUnit(t.ctx, 'L2', { booking_date: '2025-10-01', booking_amount: 6240000, project_name: 'Green Meadows', unit_type: '2BHK', payment_plan_id: plan.id });
    createLedgerEntry(t.ctx, { customer_id: b.customer_id, transaction_date: '2025-10-02', transaction_type: 'payment', credit_amount: 624000, reference_document_type: 'booking', reference_document_id: b.booking.id });
    cancelBooking(t.ctx, b.booking.id, { cancellation_date: '2025-11-20', cancellation_reason: 'Job transfer', forfeiture_amount: 100000, refund_amount: 524000 });
    const s = bookingSchedule(t.ctx, b.booking.id, { as_of: '2025-11-25' });
    expect(s.items.map((i) => [i.seq, i.label, i.status, i.amount])).toEqual([
      [1, 'On booking', 'cancelled', 624000], [2, 'Within 30 days', 'cancelled', 1248000], [3, 'Plinth', 'cancelled', 1872000], [4, 'Roof slab', 'cancelled', 2496000],
      [5, 'Forfeiture on cancellation', 'scheduled', 100000],
    ]);
    // What stays is the 1,00,000 forfeited, paid by what was kept of the 6,24,000: nothing due, nothing owed.
    expect(s.totals).toEqual({ amount: 100000, paid: 100000, due: 0, overdue: 0 });
    expect(customerLedger(t.ctx, { customer_id: b.customer_id }).summary?.outstanding_balance).toBe(0);
  });
});

function listStagesOf(stage: string): string {
  return (t.ctx.db.prepare('SELECT id FROM sales_construction_stages WHERE stage = ?').get(stage) as { id: string }).id;
}

describe('plans as a user meets them (issue 16, the new-user pass)', () => {
  it('refuses a plan code taken in another case, and a plan for any project whose stage the booking\'s project lacks', () => {
    setUp();
    expect(refusal(() => createPlan(t.ctx, { plan_code: 'clp-1', plan_name: 'x', instalments: [{ label: 'a', percent: 100, due: 'on_booking' }] })).details[0]!.field).toBe('plan_code');
    unitInventoryService.create(t.ctx, { project_name: 'Lakeview', unit_type: 'Villa', total_units: 2 });
    const anywhere = createPlan(t.ctx, { plan_code: 'ANY', plan_name: 'Any project', instalments: [{ label: 'a', percent: 50, due: 'on_booking' }, { label: 'b', percent: 50, due: { stage: 'Plinth' } }] });
    const before = snapshot(t.ctx);
    expect(refusal(() => bookUnit(t.ctx, 'L1', { booking_amount: 500000, project_name: 'Lakeview', unit_type: 'Villa', payment_plan_id: anywhere.id })).details)
      .toEqual([{ field: 'payment_plan_id', message: "ANY waits on a stage 'Plinth' that Lakeview does not have" }]);
    expect(snapshot(t.ctx)).toEqual(before);
    expect(bookUnit(t.ctx, 'L1', { booking_amount: 500000, project_name: 'Green Meadows', unit_type: '2BHK', payment_plan_id: anywhere.id }).schedule).toHaveLength(2);
  });
});
