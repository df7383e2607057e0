import { statement } from '../../db/statements.js';
import { allocate, type Instalment, type Receipt } from '../domain/allocation.js';
import type { ServiceContext } from '../domain/context.js';

// SPEC §10 receivables for one customer: their instalments and what their receipts
// have paid of each. A booking whose schedule has not been made on this device yet
// (it arrived from a device on an older version) counts as one instalment of its
// whole amount, due on its booking date, as its schedule will say.

/** The customer's scheduled instalments (a cancelled booking's are cancelled; its forfeiture stays due). */
export function customerInstalments(ctx: ServiceContext, customerId: string): Instalment[] {
  return statement(ctx.db, `SELECT s.id, s.booking_id, s.due_date, b.booking_date, s.seq, s.amount
      FROM sales_bookings b JOIN sales_payment_schedule s ON s.booking_id = b.id
      WHERE b.customer_id = @customer AND b.deleted_at IS NULL AND s.deleted_at IS NULL AND s.status = 'scheduled'
      UNION ALL
      SELECT b.id, b.id, b.booking_date, b.booking_date, 1, b.booking_amount FROM sales_bookings b
      WHERE b.customer_id = @customer AND b.deleted_at IS NULL AND b.status <> 'cancelled'
        AND NOT EXISTS (SELECT 1 FROM sales_payment_schedule s WHERE s.booking_id = b.id AND s.deleted_at IS NULL)`).all({ customer: customerId }) as Instalment[];
}

/** Net receipts dated on or before `asOf`: active payments (positive) and refunds (negative), with the booking each references. */
export function customerReceipts(ctx: ServiceContext, customerId: string, asOf = '9999-12-31'): Receipt[] {
  return statement(ctx.db, `SELECT CASE WHEN transaction_type = 'payment' THEN credit_amount ELSE -debit_amount END AS amount,
        CASE WHEN reference_document_type = 'booking' THEN reference_document_id END AS booking_id
      FROM sales_account_ledgers
      WHERE customer_id = ? AND transaction_type IN ('payment', 'refund') AND status = 'active' AND deleted_at IS NULL AND transaction_date <= ?`)
    .all(customerId, asOf) as Receipt[];
}

/** What the customer's receipts have paid on one booking (minor units). */
export function receivedOnBooking(ctx: ServiceContext, booking: { id: string; customer_id: string }): number {
  const instalments = customerInstalments(ctx, booking.customer_id);
  const { paid } = allocate(instalments, customerReceipts(ctx, booking.customer_id));
  return instalments.filter((i) => i.booking_id === booking.id).reduce((sum, i) => sum + paid.get(i.id)!, 0);
}
