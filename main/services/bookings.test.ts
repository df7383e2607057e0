import { afterEach, describe, expect, it } from 'vitest';
import { makeTenant, refusal, snapshot } from '../../test/tenantFixture.js';
import { bookingService, bookUnit, cancelBooking, listInventory } from './bookings.js';
import { customerService, unitInventoryService } from './catalog.js';
import { customerLedger } from './ledger.js';
import { leadService } from './leads.js';
import { listMilestones } from './milestones.js';

let t: ReturnType<typeof makeTenant>;
afterEach(() => t?.close());


describe('book a unit (SPEC §4 workflow)', () => {
  it('creates the customer from the lead, the booking, a booking milestone and an invoice, and converts the lead', () => {
    t = makeTenant();
    leadService.create(t.ctx, { id: 'lead-123', name: 'Kabir Rao', email: 'kabir@example.com', phone: '+91 98450 00000', status: 'negotiation', lead_date: '2025-11-01' });
    const r = bookUnit(t.ctx, 'lead-123', { booking_code: 'BOOK-2025-001', booking_date: '2025-11-25', booking_amount: 500000, unit_type: 'apartment', delivery_date: '2026-06-30' });
    expect(r.customer_created).toBe(true);
    expect(customerService.get(t.ctx, r.customer_id)).toMatchObject({ name: 'Kabir Rao', email: 'kabir@example.com', lead_id: 'lead-123' });
    expect(leadService.get(t.ctx, 'lead-123')).toMatchObject({ status: 'converted', customer_id: r.customer_id, reached_rank: 4 });
    expect(r.booking).toMatchObject({ booking_code: 'BOOK-2025-001', booking_amount: 500000, status: 'confirmed', unit_count: 1, units_booked: 1, lead_id: 'lead-123' });
    expect(r.milestone).toMatchObject({ milestone_type: 'booking', milestone_date: '2025-11-25', metadata: { booking_id: r.booking.id, booking_code: 'BOOK-2025-001' } });
    expect(r.ledger_entry).toMatchObject({ transaction_type: 'invoice', debit_amount: 500000, credit_amount: 0, balance_after: 500000, reference_document_type: 'booking', reference_document_id: r.booking.id });
  });

  it("uses the customer already made from the lead rather than making a second", () => {
    t = makeTenant();
    leadService.create(t.ctx, { id: 'lead-123', name: 'Kabir Rao', lead_date: '2025-11-01' });
    customerService.create(t.ctx, { id: 'cust-123', name: 'Kabir Rao', lead_id: 'lead-123' });
    const r = bookUnit(t.ctx, 'lead-123', { booking_amount: 100 });
    expect(r).toMatchObject({ customer_id: 'cust-123', customer_created: false });
    expect(leadService.get(t.ctx, 'lead-123').customer_id).toBe('cust-123');
    expect(customerService.list(t.ctx, {}).items).toHaveLength(1);
  });

  it('writes nothing at all when any step fails (duplicate booking code)', () => {
    t = makeTenant();
    leadService.create(t.ctx, { id: 'lead-1', name: 'A', lead_date: '2025-11-01' });
    leadService.create(t.ctx, { id: 'lead-2', name: 'B', lead_date: '2025-11-01' });
    bookUnit(t.ctx, 'lead-1', { booking_code: 'B-1', booking_amount: 100 });
    const before = snapshot(t.ctx);
    const e = refusal(() => bookUnit(t.ctx, 'lead-2', { booking_code: 'B-1', booking_amount: 100 }));
    expect(e.code).toBe('conflict');
    expect(e.details).toEqual([{ field: 'booking_code', message: "booking_code 'B-1' already exists" }]);
    expect(snapshot(t.ctx)).toEqual(before);
  });

  it('refuses a booking beyond the unit inventory with 409, and derives units_available', () => {
    t = makeTenant();
    unitInventoryService.create(t.ctx, { project_name: 'Green Meadows', unit_type: 'Villa', total_units: 3 });
    customerService.create(t.ctx, { id: 'c1', name: 'C' });
    bookingService.create(t.ctx, { customer_id: 'c1', booking_amount: 1000, project_name: 'Green Meadows', unit_type: 'Villa', unit_count: 2, units_booked: 2 });
    const before = snapshot(t.ctx);
    const e = refusal(() => bookingService.create(t.ctx, { customer_id: 'c1', booking_amount: 1000, project_name: 'Green Meadows', unit_type: 'Villa', unit_count: 2, units_booked: 2 }));
    expect(e.code).toBe('conflict');
    expect(e.extra).toEqual({ units_available: 1 });
    expect(snapshot(t.ctx)).toEqual(before);
    const last = bookingService.create(t.ctx, { customer_id: 'c1', booking_amount: 1000, project_name: 'Green Meadows', unit_type: 'Villa', units_available: 99 });
    expect(last.units_available).toBe(0); // derived, not the 99 given
    expect(listInventory(t.ctx, {}).items).toMatchObject([{ unit_type: 'Villa', total_units: 3, units_available: 0 }]);
    // Without an inventory row the given unit fields are kept.
    const free = bookingService.create(t.ctx, { customer_id: 'c1', booking_amount: 1000, unit_type: 'apartment', units_available: 2 });
    expect(free.units_available).toBe(2);
  });
});

describe('cancel a booking (SPEC §4 workflow)', () => {
  it('cancels with date, reason and refund, records a cancellation milestone and a credit note, and frees the units', () => {
    t = makeTenant();
    unitInventoryService.create(t.ctx, { unit_type: '2BHK', total_units: 1 });
    leadService.create(t.ctx, { id: 'lead-1', name: 'Diya', lead_date: '2025-11-01' });
    const { booking, customer_id } = bookUnit(t.ctx, 'lead-1', { booking_date: '2025-11-10', booking_amount: 200000, unit_type: '2BHK' });
    const r = cancelBooking(t.ctx, booking.id, { cancellation_date: '2025-11-20', cancellation_reason: 'Loan not approved', refund_amount: 50000 });
    expect(r.booking).toMatchObject({ status: 'cancelled', cancellation_date: '2025-11-20', cancellation_reason: 'Loan not approved', refund_amount: 50000 });
    expect(r.milestone).toMatchObject({ milestone_type: 'cancellation', milestone_date: '2025-11-20' });
    expect(r.ledger_entry).toMatchObject({ transaction_type: 'credit_note', credit_amount: 50000, balance_after: 150000 });
    expect(leadService.get(t.ctx, 'lead-1').status).toBe('lost');
    expect(customerLedger(t.ctx, { customer_id }).summary?.outstanding_balance).toBe(150000);
    expect(listInventory(t.ctx, {}).items[0]?.units_available).toBe(1);
    expect(listMilestones(t.ctx, { lead_id: 'lead-1' }).items.map((m) => m.milestone_type)).toEqual(['booking', 'cancellation']);
  });

  it('refuses a refund above the booking amount, a missing reason and a second cancellation, changing nothing', () => {
    t = makeTenant();
    leadService.create(t.ctx, { id: 'lead-1', name: 'Diya', lead_date: '2025-11-01' });
    const { booking } = bookUnit(t.ctx, 'lead-1', { booking_date: '2025-11-10', booking_amount: 1000 });
    const before = snapshot(t.ctx);
    expect(refusal(() => cancelBooking(t.ctx, booking.id, { cancellation_reason: 'x', refund_amount: 1000.01 })).details[0]?.field).toBe('refund_amount');
    expect(refusal(() => cancelBooking(t.ctx, booking.id, { refund_amount: 10 })).details).toEqual([{ field: 'cancellation_reason', message: 'is required' }]);
    expect(snapshot(t.ctx)).toEqual(before);
    cancelBooking(t.ctx, booking.id, { cancellation_reason: 'Changed mind' });
    expect(refusal(() => cancelBooking(t.ctx, booking.id, { cancellation_reason: 'again' })).code).toBe('conflict');
    expect(refusal(() => bookingService.update(t.ctx, booking.id, { status: 'confirmed' })).code).toBe('conflict');
  });

  it('requires a cancellation date and reason on a booking created as cancelled', () => {
    t = makeTenant();
    customerService.create(t.ctx, { id: 'c1', name: 'C' });
    const e = refusal(() => bookingService.create(t.ctx, { customer_id: 'c1', booking_amount: 10, status: 'cancelled' }));
    expect(e.details).toEqual([{ field: 'cancellation_date', message: 'is required for a cancelled booking' }]);
  });
});
