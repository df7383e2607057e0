import { prepareCached } from '../../db/statements.js';
import { z } from 'zod';
import { bookings, leads, ledgerEntries } from '../../db/schema/index.js';
import { eventId, today, type ServiceContext } from '../domain/context.js';
import { AppError, conflict, validationError } from '../domain/errors.js';
import { formatMinor, fromMinor, moneyText } from '../../db/values/money.js';
import { basedOn, localDate, money, parsingFor } from '../domain/validation.js';
import { presentMoney } from './entityService.js';
import { appendLedgerEntry, presentEntry, reverseLedgerEntry } from './ledger.js';
import { receivedOnBooking } from './receivables.js';
import { cancelSchedule } from './paymentPlans.js';
import { presentMilestone, recordMilestone } from './milestones.js';
import { assertCurrent, inTransaction, requireRecord, updateRecord, findRecord, idOrCode } from './records.js';
import { MONEY, type BookingRow } from './bookings.js';

// Cancelling a booking (SPEC §4, §10): what it would leave, previewed; then the booking
// cancelled with its forfeiture and refund, its ledger entries (a cancelled, refunded
// booking owes nothing), its unit freed and its lead moved back — in one transaction.

export const cancelInput = z.strictObject({
  cancellation_date: localDate().optional(),
  cancellation_reason: z.string({ error: 'is required' }).trim().min(1, { error: 'is required' }).max(10_000),
  /** SPEC §10: the part of the booking amount retained (0 by default). */
  forfeiture_amount: money().optional(),
  /** Paid back now: at most what was received on the booking less the forfeiture. */
  refund_amount: money().optional(),
  ...basedOn,
});

/** What cancelling a booking would leave (minor units): the cancel form shows it before the user commits. */
export function cancellationTerms(ctx: ServiceContext, booking: BookingRow, forfeiture = 0, refund = 0) {
  const received = receivedOnBooking(ctx, booking);
  const maxRefund = Math.max(0, received - forfeiture);
  // The customer then owes forfeiture − received + refunded on this booking (SPEC §10).
  return { booking_amount: booking.booking_amount, received, forfeiture, max_refund: maxRefund, refund, balance_after: forfeiture - received + refund };
}

/** A booking named by its id or its code (as the CLI lets a user type either). */
export function bookingIdOf(ctx: ServiceContext, ref: string): string {
  const row = findRecord(ctx, bookings, idOrCode(ctx, 'sales_bookings', 'booking_code', ref));
  if (!row) throw new AppError('not_found', `booking '${ref}' not found`, [{ field: 'booking', message: 'no booking with this id or code' }]);
  return row.id;
}

export const cancelPreviewInput = z.strictObject({ forfeiture_amount: money().optional(), refund_amount: money().optional() });

/** The cancel form's figures for a booking (money as decimals). */
export const cancelPreview = parsingFor(cancelPreviewInput, (ctx: ServiceContext, id, query) => {
  const booking = requireRecord(ctx, bookings, 'booking', id);
  const terms = cancellationTerms(ctx, booking, query.forfeiture_amount ?? 0, query.refund_amount ?? 0);
  // The same limits as cancelling: the preview says so rather than show a balance that cannot be.
  if (terms.forfeiture > booking.booking_amount) throw validationError('forfeiture_amount', `must not exceed the booking amount ${formatMinor(booking.booking_amount)}`);
  if (terms.refund > terms.max_refund) throw validationError('refund_amount', `must not exceed ${formatMinor(terms.max_refund)}`);
  return Object.fromEntries(Object.entries(terms).map(([k, v]) => [k, fromMinor(v)])) as Record<keyof typeof terms, number>;
});

/**
 * SPEC §4 cancel workflow and §10's money rule, one transaction: the booking
 * cancelled with date, reason, forfeiture and refund; a `cancellation` milestone on
 * its lead; a credit note of the booking amount less the forfeiture; a `refund`
 * entry for what is paid back now. A booking cancelled with everything received
 * paid back beyond the forfeiture leaves its customer owing nothing on it.
 */
export const cancelBooking = parsingFor(cancelInput, (ctx: ServiceContext, id, asked) => {
  return inTransaction(ctx, () => {
    const booking = requireRecord(ctx, bookings, 'booking', id);
    assertCurrent('booking', booking, asked.expected_updated_at, presentMoney(booking, MONEY));
    if (booking.status === 'cancelled') throw conflict(`booking ${booking.booking_code} is already cancelled`, 'status');
    const date = asked.cancellation_date ?? today(ctx);
    if (date < booking.booking_date) throw validationError('cancellation_date', 'must be on or after booking_date');
    const forfeiture = asked.forfeiture_amount ?? 0;
    if (forfeiture > booking.booking_amount) {
      throw validationError('forfeiture_amount', `must not exceed the booking amount ${formatMinor(booking.booking_amount)}`);
    }
    const refund = asked.refund_amount ?? 0;
    const terms = cancellationTerms(ctx, booking, forfeiture, refund);
    if (refund > terms.max_refund) {
      throw new AppError('validation_failed', `refund_amount: must not exceed ${formatMinor(terms.max_refund)}, what was received on the booking (${formatMinor(terms.received)}) less the forfeiture`, [
        { field: 'refund_amount', message: `must not exceed ${formatMinor(terms.max_refund)}` },
      ], { max_refund: fromMinor(terms.max_refund), received: fromMinor(terms.received) });
    }
    const cancelled = updateRecord(ctx, bookings, 'booking', id, {
      status: 'cancelled', cancellation_date: date, cancellation_reason: asked.cancellation_reason, refund_amount: refund, forfeiture_amount: forfeiture,
    }, 'cancel');
    const milestone = booking.lead_id && requireRecord(ctx, leads, 'lead', booking.lead_id)
      ? recordMilestone(ctx, {
          id: eventId('cancellation-milestone', booking.id),
          lead_id: booking.lead_id,
          milestone_type: 'cancellation',
          milestone_date: date,
          notes: asked.cancellation_reason,
          metadata: { booking_id: booking.id, booking_code: booking.booking_code },
        })
      : null;
    const entries = cancellationEntries(ctx, cancelled, date);
    cancelSchedule(ctx, cancelled, date);
    return {
      booking: presentMoney(cancelled, MONEY),
      milestone: milestone ? presentMilestone(milestone) : null,
      ledger_entries: entries.map(presentEntry),
      balance_after: fromMinor(terms.balance_after),
    };
  });
});

const isInvoiced = (ctx: ServiceContext, bookingId: string) => prepareCached(ctx.db, `SELECT 1 FROM sales_account_ledgers
    WHERE reference_document_type = 'booking' AND reference_document_id = ? AND transaction_type = 'invoice' AND deleted_at IS NULL`).get(bookingId) !== undefined;

/**
 * SPEC §10's entries for a cancelled booking: a credit note reversing its invoice
 * except the forfeiture, and its refund. A booking recorded without the book-a-unit
 * workflow was never invoiced: the forfeiture is then charged by a debit note, so the
 * customer owes forfeiture − received + refunded on it either way.
 */
function cancellationEntries(ctx: ServiceContext, booking: BookingRow, date: string) {
  const forfeiture = booking.forfeiture_amount ?? 0;
  const credit = booking.booking_amount - forfeiture;
  const refund = booking.refund_amount ?? 0;
  const invoiced = isInvoiced(ctx, booking.id);
  const ref = { customer_id: booking.customer_id, transaction_date: date, reference_document_type: 'booking', reference_document_id: booking.id };
  return [
    invoiced && credit > 0 && appendLedgerEntry(ctx, {
      ...ref, id: eventId('cancellation-credit', booking.id), transaction_type: 'credit_note', credit_amount: credit,
      description: `Cancellation of booking ${booking.booking_code}${forfeiture ? ` (${moneyText(ctx.settings, forfeiture)} forfeited)` : ''}`,
    }),
    !invoiced && forfeiture > 0 && appendLedgerEntry(ctx, {
      ...ref, id: eventId('cancellation-forfeiture', booking.id), transaction_type: 'debit_note', debit_amount: forfeiture,
      description: `Forfeiture on cancellation of booking ${booking.booking_code}`,
    }),
    refund > 0 && appendLedgerEntry(ctx, {
      ...ref, id: eventId('cancellation-refund', booking.id), transaction_type: 'refund', debit_amount: refund,
      description: `Refund on cancellation of booking ${booking.booking_code}`,
    }),
  ].filter((e) => e !== false);
}

/**
 * Databases from before SPEC §10's rule (run when a tenant is opened): each booking
 * cancelled the old way — invoiced, then a credit note of the refund only — gets its
 * old credit note reversed (never deleted) and the entries of the rule, dated at its
 * cancellation, with no forfeiture. Ids are fixed by the booking, so two devices
 * doing it for the same booking make the same rows.
 */
export function bringCancellationsToRule(ctx: ServiceContext): number {
  const old = prepareCached(ctx.db, `SELECT b.* FROM sales_bookings b
      WHERE b.status = 'cancelled' AND b.forfeiture_amount IS NULL AND b.deleted_at IS NULL`).all() as BookingRow[];
  let brought = 0;
  for (const booking of old) {
    inTransaction(ctx, () => {
      const invoiced = isInvoiced(ctx, booking.id);
      const date = booking.cancellation_date ?? booking.booking_date;
      if (invoiced) {
        const oldCredit = findRecord(ctx, ledgerEntries, eventId('cancellation-credit-note', booking.id), { includeDeleted: true });
        if (oldCredit?.status === 'active') reverseLedgerEntry(ctx, oldCredit.id, { transaction_date: date, description: `Old refund credit note of booking ${booking.booking_code}, replaced by the cancellation rule` });
      }
      const updated = updateRecord(ctx, bookings, 'booking', booking.id, { forfeiture_amount: 0 }, 'cancel');
      // A booking recorded as cancelled from the start was never invoiced: it owes nothing and gets no entries.
      if (invoiced) cancellationEntries(ctx, updated, date);
      brought += 1;
    });
  }
  return brought;
}
