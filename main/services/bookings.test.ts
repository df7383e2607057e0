import { afterEach, describe, expect, it } from 'vitest';
import { makeTenant, refusal, snapshot } from '../../test/tenantFixture.js';
import { bookingService, bookUnit, listInventory } from './bookings.js';
import { cancelBooking, cancelPreview } from './cancellations.js';
import { customerService } from './customers.js';
import { unitInventoryService } from './catalog.js';
import { createLedgerEntry, customerLedger } from './ledger.js';
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
  it('cancels with date, reason and refund, records a cancellation milestone and the rule\'s entries, and frees the units', () => {
    t = makeTenant();
    unitInventoryService.create(t.ctx, { unit_type: '2BHK', total_units: 1 });
    leadService.create(t.ctx, { id: 'lead-1', name: 'Diya', lead_date: '2025-11-01' });
    // The flat: booked for ₹62,40,000, ₹6,24,000 received, cancelled with all of it paid back.
    const { booking, customer_id } = bookUnit(t.ctx, 'lead-1', { booking_date: '2025-11-10', booking_amount: 6240000, unit_type: '2BHK' });
    createLedgerEntry(t.ctx, { customer_id, transaction_date: '2025-11-12', transaction_type: 'payment', credit_amount: 624000 });
    expect(cancelPreview(t.ctx, booking.id, {})).toMatchObject({ booking_amount: 6240000, received: 624000, max_refund: 624000, balance_after: -624000 });
    const r = cancelBooking(t.ctx, booking.id, { cancellation_date: '2025-11-20', cancellation_reason: 'Loan not approved', refund_amount: 624000 });
    expect(r.booking).toMatchObject({ status: 'cancelled', cancellation_date: '2025-11-20', cancellation_reason: 'Loan not approved', refund_amount: 624000, forfeiture_amount: 0 });
    expect(r.milestone).toMatchObject({ milestone_type: 'cancellation', milestone_date: '2025-11-20' });
    // 62,40,000 − 6,24,000 = 56,16,000 owed; the credit note of 62,40,000 leaves −6,24,000; the refund brings it to 0.
    expect(r.ledger_entries).toMatchObject([
      { transaction_type: 'credit_note', credit_amount: 6240000, balance_after: -624000, reference_document_id: booking.id },
      { transaction_type: 'refund', debit_amount: 624000, balance_after: 0, reference_document_id: booking.id },
    ]);
    expect(r.balance_after).toBe(0);
    expect(leadService.get(t.ctx, 'lead-1').status).toBe('lost');
    expect(customerLedger(t.ctx, { customer_id }).summary).toMatchObject({ outstanding_balance: 0, total_refunds: 624000, total_credit_notes: 6240000 });
    expect(listInventory(t.ctx, {}).items[0]?.units_available).toBe(1);
    expect(listMilestones(t.ctx, { lead_id: 'lead-1' }).items.map((m) => m.milestone_type)).toEqual(['booking', 'cancellation']);
  });

  it('keeps a forfeiture, and shows a smaller refund as still owed until a refund entry settles it', () => {
    t = makeTenant();
    leadService.create(t.ctx, { id: 'lead-1', name: 'Diya', lead_date: '2025-11-01' });
    const { booking, customer_id } = bookUnit(t.ctx, 'lead-1', { booking_date: '2025-11-10', booking_amount: 6240000 });
    createLedgerEntry(t.ctx, { customer_id, transaction_date: '2025-11-12', transaction_type: 'payment', credit_amount: 624000.5 });
    // Received 6,24,000.50, forfeit 1,00,000: at most 5,24,000.50 back; 3,00,000 now leaves 2,24,000.50 owed to the buyer.
    const r = cancelBooking(t.ctx, booking.id, { cancellation_date: '2025-11-20', cancellation_reason: 'Changed mind', forfeiture_amount: 100000, refund_amount: 300000 });
    expect(r.ledger_entries.map((e) => [e.transaction_type, e.credit_amount || e.debit_amount])).toEqual([['credit_note', 6140000], ['refund', 300000]]);
    // Described in the tenant's money, as a buyer reads it on the statement.
    expect(r.ledger_entries[0]!.description).toBe(`Cancellation of booking ${booking.booking_code} (₹1,00,000.00 forfeited)`);
    expect(r.balance_after).toBe(-224000.5);
    expect(customerLedger(t.ctx, { customer_id }).summary?.outstanding_balance).toBe(-224000.5);
    createLedgerEntry(t.ctx, { customer_id, transaction_date: '2025-11-25', transaction_type: 'refund', debit_amount: 224000.5, reference_document_type: 'booking', reference_document_id: booking.id });
    expect(customerLedger(t.ctx, { customer_id }).summary).toMatchObject({ outstanding_balance: 0, total_refunds: 524000.5 });
  });

  it('refuses a forfeiture above the booking amount, a refund above what was received less forfeiture, a missing reason and a second cancellation, changing nothing', () => {
    t = makeTenant();
    leadService.create(t.ctx, { id: 'lead-1', name: 'Diya', lead_date: '2025-11-01' });
    const { booking, customer_id } = bookUnit(t.ctx, 'lead-1', { booking_date: '2025-11-10', booking_amount: 1000 });
    createLedgerEntry(t.ctx, { customer_id, transaction_date: '2025-11-11', transaction_type: 'payment', credit_amount: 400 });
    const before = snapshot(t.ctx);
    expect(refusal(() => cancelBooking(t.ctx, booking.id, { cancellation_reason: 'x', forfeiture_amount: 1000.01 })).details[0]?.field).toBe('forfeiture_amount');
    const tooMuch = refusal(() => cancelBooking(t.ctx, booking.id, { cancellation_reason: 'x', forfeiture_amount: 100, refund_amount: 300.01 }));
    expect(tooMuch.details).toEqual([{ field: 'refund_amount', message: 'must not exceed 300.00' }]);
    expect(tooMuch.extra).toEqual({ max_refund: 300, received: 400 });
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

describe('cancellations made before SPEC §10\'s money rule', () => {
  it('are brought to it when the tenant is opened: the old refund credit note reversed, the rule\'s entries added, a full refund leaving 0', async () => {
    t = makeTenant();
    const { eventId } = await import('../domain/context.js');
    leadService.create(t.ctx, { id: 'lead-1', name: 'Diya', lead_date: '2025-11-01' });
    leadService.create(t.ctx, { id: 'lead-2', name: 'Esha', lead_date: '2025-11-01' });
    const full = bookUnit(t.ctx, 'lead-1', { booking_date: '2025-11-10', booking_amount: 6240000 });
    const none = bookUnit(t.ctx, 'lead-2', { booking_date: '2025-11-10', booking_amount: 100000 });
    createLedgerEntry(t.ctx, { customer_id: full.customer_id, transaction_date: '2025-11-12', transaction_type: 'payment', credit_amount: 624000 });
    // As the old workflow left them: cancelled, a credit note of the refund only (or none), no forfeiture recorded.
    const db = t.ctx.db;
    const old = (b: typeof full.booking, refund: number) => {
      db.prepare("UPDATE sales_bookings SET status = 'cancelled', cancellation_date = '2025-11-20', cancellation_reason = 'Loan not approved', refund_amount = ? WHERE id = ?").run(refund * 100, b.id);
      if (refund > 0) createLedgerEntry(t.ctx, { id: eventId('cancellation-credit-note', b.id), customer_id: b.customer_id, transaction_date: '2025-11-20', transaction_type: 'credit_note', credit_amount: refund, reference_document_type: 'booking', reference_document_id: b.id });
    };
    old(full.booking, 624000);
    old(none.booking, 0);
    // The figure: the ledger says ₹49,92,000 still owed after a full refund.
    expect(customerLedger(t.ctx, { customer_id: full.customer_id }).summary?.outstanding_balance).toBe(4992000);
    t.manager.closeAll();
    const ctx = t.manager.context('t1', null);
    expect(customerLedger(ctx, { customer_id: full.customer_id }).summary).toMatchObject({ outstanding_balance: 0, total_refunds: 624000 });
    expect(customerLedger(ctx, { customer_id: none.customer_id }).summary?.outstanding_balance).toBe(0);
    const entries = customerLedger(ctx, { customer_id: full.customer_id }).entries.items.map((e) => [e.transaction_type, e.status, e.debit_amount || -e.credit_amount]);
    expect(entries.slice(0, 3)).toEqual([['invoice', 'active', 6240000], ['payment', 'active', -624000], ['credit_note', 'reversed', -624000]]);
    // Made in one instant on the cancellation date: their order among themselves is by id.
    expect(entries.slice(3).sort()).toEqual([['adjustment', 'active', 624000], ['credit_note', 'active', -6240000], ['refund', 'active', 624000]]);
    // Opened again: nothing more to do.
    const n = ctx.db.prepare('SELECT count(*) FROM sales_account_ledgers').pluck().get();
    t.manager.closeAll();
    const again = t.manager.context('t1', null);
    expect(again.db.prepare('SELECT count(*) FROM sales_account_ledgers').pluck().get()).toBe(n);
    expect(again.db.prepare('SELECT forfeiture_amount FROM sales_bookings ORDER BY booking_date, id').pluck().all()).toEqual([0, 0]);
  });
});
