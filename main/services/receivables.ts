import { statement } from '../../db/statements.js';
import { allocate, type Instalment, type Receipt } from '../domain/allocation.js';
import { z } from 'zod';
import { INSTALMENTS, RECEIPTS, receivablesPlan } from '../../db/reports/receivables.js';
import { onSqlite } from '../../db/reports/plan.js';
import { today, type ServiceContext } from '../domain/context.js';
import { fromMinor } from '../domain/money.js';
import { localDate, parseInput } from '../domain/validation.js';

// SPEC §10 receivables for one customer: their instalments and what their receipts
// have paid of each. A booking whose schedule has not been made on this device yet
// (it arrived from a device on an older version) counts as one instalment of its
// whole amount, due on its booking date, as its schedule will say.

// Now: every instalment and receipt, as the receivables report reads them as of a day.
const NOW = '9999-12-31';

/** The customer's scheduled instalments (a cancelled booking's are cancelled; its forfeiture stays due). */
export const customerInstalments = (ctx: ServiceContext, customerId: string): Instalment[] =>
  statement(ctx.db, INSTALMENTS).all({ as_of: NOW, customer: customerId }) as Instalment[];

/** Net receipts dated on or before `asOf`: active payments (positive) and refunds (negative), with the booking each references. */
export const customerReceipts = (ctx: ServiceContext, customerId: string, asOf = NOW): Receipt[] =>
  statement(ctx.db, RECEIPTS).all({ as_of: asOf, customer: customerId }) as Receipt[];

/** What the customer's receipts have paid on one booking (minor units). */
export function receivedOnBooking(ctx: ServiceContext, booking: { id: string; customer_id: string }): number {
  const instalments = customerInstalments(ctx, booking.customer_id);
  const { paid } = allocate(instalments, customerReceipts(ctx, booking.customer_id));
  return instalments.filter((i) => i.booking_id === booking.id).reduce((sum, i) => sum + paid.get(i.id)!, 0);
}

export const overdueInput = z.strictObject({
  /** One person's customers (the username their leads are assigned to); everyone's when absent. */
  assigned_to: z.string().max(64).optional(),
  as_of: localDate().optional(),
  limit: z.number().int().min(1).max(500).optional(),
});

/**
 * SPEC §10 in Today: the instalments overdue as of a day, most overdue first — a sales
 * rep's own customers (those whose booking came from a lead assigned to them), or
 * everyone's. Receipts are allocated per customer exactly as the aging report does.
 */
export function overdueInstalments(ctx: ServiceContext, input: unknown) {
  const q = parseInput(overdueInput, input);
  const asOf = q.as_of ?? today(ctx);
  const customers = q.assigned_to === undefined
    ? null
    : (statement(ctx.db, `SELECT DISTINCT b.customer_id FROM sales_bookings b JOIN sales_leads l ON l.id = b.lead_id
        WHERE l.assigned_to = ? AND b.deleted_at IS NULL AND l.deleted_at IS NULL`).all(q.assigned_to) as { customer_id: string }[]).map((r) => r.customer_id);
  const states = customers === null
    ? [...onSqlite(ctx.db, receivablesPlan({ as_of: asOf })).values()]
    : customers.flatMap((c) => [...onSqlite(ctx.db, receivablesPlan({ as_of: asOf, customer_id: c })).values()]);
  const late = states.flatMap((c) => c.instalments.filter((i) => i.overdue > 0)).sort((a, b) => b.days_overdue - a.days_overdue || b.overdue - a.overdue).slice(0, q.limit ?? 100);
  if (!late.length) return [];
  const about = statement(ctx.db, `SELECT s.id, s.label, b.booking_code, b.id AS booking_id, c.id AS customer_id, c.name, c.phone FROM sales_payment_schedule s
      JOIN sales_bookings b ON b.id = s.booking_id JOIN sales_customers c ON c.id = b.customer_id WHERE s.id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(late.map((i) => i.id))) as { id: string; label: string; booking_code: string; booking_id: string; customer_id: string; name: string; phone: string | null }[];
  const byId = new Map(about.map((a) => [a.id, a]));
  return late.map((i) => {
    const a = byId.get(i.id);
    return {
      instalment_id: i.id, booking_id: i.booking_id, booking_code: a?.booking_code ?? null, customer_id: i.customer_id, customer_name: a?.name ?? null, phone: a?.phone ?? null,
      label: a?.label ?? 'Full amount', due_date: i.due_date, amount: fromMinor(i.amount), overdue: fromMinor(i.overdue), days_overdue: i.days_overdue,
    };
  });
}
