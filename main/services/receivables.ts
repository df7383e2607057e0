import { prepareCached } from '../../db/statements.js';
import { allocate, type Instalment, type Receipt } from '../../db/values/allocation.js';
import { z } from 'zod';
import { CUSTOMER_INSTALMENTS, CUSTOMER_RECEIPTS, receivablesPlan, type InstalmentState } from '../../db/reports/receivables.js';
import { receivablesKept, refreshReceivables } from '../../db/receivablesState.js';
import { addDays, daysBetween } from '../../db/values/dates.js';
import { onSqlite } from '../../db/reports/plan.js';
import { today, type ServiceContext } from '../domain/context.js';
import { fromMinor } from '../../db/values/money.js';
import { localDate, pagination, parsing } from '../domain/validation.js';

// SPEC §10 receivables for one customer: their instalments and what their receipts
// have paid of each. A booking whose schedule has not been made on this device yet
// (it arrived from a device on an older version) counts as one instalment of its
// whole amount, due on its booking date, as its schedule will say.

// Now: every instalment and receipt, as the receivables report reads them as of a day.
const NOW = '9999-12-31';

/** The customer's scheduled instalments (a cancelled booking's are cancelled; its forfeiture stays due). */
export const customerInstalments = (ctx: ServiceContext, customerId: string): Instalment[] =>
  prepareCached(ctx.db, CUSTOMER_INSTALMENTS).all({ as_of: NOW, customer: customerId }) as Instalment[];

/** Net receipts dated on or before `asOf`: active payments (positive) and refunds (negative), with the booking each references. */
export const customerReceipts = (ctx: ServiceContext, customerId: string, asOf = NOW): Receipt[] =>
  prepareCached(ctx.db, CUSTOMER_RECEIPTS).all({ as_of: asOf, customer: customerId }) as Receipt[];

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
  limit: pagination.limit,
});

/** The customers of one person's leads (null: everyone's). */
const customersOf = (ctx: ServiceContext, assignedTo: string | undefined): string[] | null =>
  assignedTo === undefined
    ? null
    : (prepareCached(ctx.db, `SELECT DISTINCT b.customer_id FROM sales_bookings b JOIN sales_leads l ON l.id = b.lead_id
        WHERE l.assigned_to = ? AND b.deleted_at IS NULL AND l.deleted_at IS NULL`).all(assignedTo) as { customer_id: string }[]).map((r) => r.customer_id);

type Unpaid = Pick<InstalmentState, 'id' | 'booking_id' | 'customer_id' | 'due_date' | 'amount'> & { unpaid: number };

// Kept (db/receivablesState.ts): what is unpaid of instalments due in a range of days, most overdue first.
const KEPT_UNPAID = `
  SELECT id, booking_id, customer_id, due_date, amount, amount - paid AS unpaid FROM rcv_instalments
  WHERE paid < amount AND due_date IS NOT NULL AND due_date BETWEEN @from AND @to
    AND (@customers IS NULL OR customer_id IN (SELECT value FROM json_each(@customers)))
  ORDER BY due_date, amount - paid DESC, id
  LIMIT @limit`;
const KEPT_UNPAID_SUMMARY = `
  SELECT coalesce(sum(CASE WHEN due_date = @as_of THEN 1 ELSE 0 END), 0) AS today_count, coalesce(sum(CASE WHEN due_date = @as_of THEN amount - paid ELSE 0 END), 0) AS today_amount,
         coalesce(sum(CASE WHEN due_date < @as_of THEN 1 ELSE 0 END), 0) AS overdue_count, coalesce(sum(CASE WHEN due_date < @as_of THEN amount - paid ELSE 0 END), 0) AS overdue_amount
  FROM rcv_instalments
  WHERE paid < amount AND due_date IS NOT NULL AND due_date <= @as_of AND (@customers IS NULL OR customer_id IN (SELECT value FROM json_each(@customers)))`;

/** Instalments due from `from` to `to` with something unpaid as of `asOf`, most overdue first (then the larger, then by id). */
function unpaidInstalments(ctx: ServiceContext, asOf: string, from: string, to: string, customers: string[] | null, limit = -1): Unpaid[] {
  if (keptAsOf(ctx, asOf)) {
    return prepareCached(ctx.db, KEPT_UNPAID).all({ from, to, customers: customers === null ? null : JSON.stringify(customers), limit }) as Unpaid[];
  }
  const states = customers === null
    ? [...onSqlite(ctx.db, receivablesPlan({ as_of: asOf })).values()]
    : customers.flatMap((c) => [...onSqlite(ctx.db, receivablesPlan({ as_of: asOf, customer_id: c })).values()]);
  return states.flatMap((c) => c.instalments)
    .filter((i) => i.due_date !== null && i.due_date >= from && i.due_date <= to && i.paid < i.amount)
    .map((i) => ({ id: i.id, booking_id: i.booking_id, customer_id: i.customer_id, due_date: i.due_date, amount: i.amount, unpaid: i.amount - i.paid }))
    .sort((a, b) => (a.due_date! < b.due_date! ? -1 : a.due_date! > b.due_date! ? 1 : b.unpaid - a.unpaid || (a.id < b.id ? -1 : 1)))
    .slice(0, limit < 0 ? undefined : limit);
}

/** The device's kept receivables, brought up to date, hold as of the day. */
const keptAsOf = (ctx: ServiceContext, asOf: string) => {
  refreshReceivables(ctx.db, today(ctx));
  return receivablesKept(ctx.db, asOf)?.current === true;
};

/**
 * SPEC §10 in Today: the instalments overdue as of a day, most overdue first — a sales
 * rep's own customers (those whose booking came from a lead assigned to them), or
 * everyone's. Receipts are allocated per customer exactly as the aging report does.
 */
export const overdueInstalments = parsing(overdueInput, (ctx: ServiceContext, filters) => {
  const asOf = filters.as_of ?? today(ctx);
  const late = unpaidInstalments(ctx, asOf, '0000-01-01', addDays(asOf, -1), customersOf(ctx, filters.assigned_to), filters.limit ?? 100);
  if (!late.length) return [];
  const about = prepareCached(ctx.db, `SELECT s.id, s.label, b.booking_code, b.id AS booking_id, c.id AS customer_id, c.name, c.phone FROM sales_payment_schedule s
      JOIN sales_bookings b ON b.id = s.booking_id JOIN sales_customers c ON c.id = b.customer_id WHERE s.id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(late.map((i) => i.id))) as { id: string; label: string; booking_code: string; booking_id: string; customer_id: string; name: string; phone: string | null }[];
  const byId = new Map(about.map((aging) => [aging.id, aging]));
  return late.map((i) => {
    const aging = byId.get(i.id);
    return {
      instalment_id: i.id, booking_id: i.booking_id, booking_code: aging?.booking_code ?? null, customer_id: i.customer_id, customer_name: aging?.name ?? null, phone: aging?.phone ?? null,
      label: aging?.label ?? 'Full amount', due_date: i.due_date, amount: fromMinor(i.amount), overdue: fromMinor(i.unpaid), days_overdue: daysBetween(i.due_date!, asOf),
    };
  });
});

/** For the desktop's morning reminder: instalments falling due today and those overdue, unpaid (count and amount, minor units). */
export function duesToday(ctx: ServiceContext, assignedTo?: string): { today: { count: number; amount: number }; overdue: { count: number; amount: number } } {
  const asOf = today(ctx);
  const customers = customersOf(ctx, assignedTo);
  if (keptAsOf(ctx, asOf)) {
    const summary = prepareCached(ctx.db, KEPT_UNPAID_SUMMARY).get({ as_of: asOf, customers: customers === null ? null : JSON.stringify(customers) }) as Record<string, number>;
    return { today: { count: summary.today_count!, amount: summary.today_amount! }, overdue: { count: summary.overdue_count!, amount: summary.overdue_amount! } };
  }
  const unpaid = unpaidInstalments(ctx, asOf, '0000-01-01', asOf, customers);
  const sum = (list: Unpaid[]) => ({ count: list.length, amount: list.reduce((a, i) => a + i.unpaid, 0) });
  return { today: sum(unpaid.filter((i) => i.due_date === asOf)), overdue: sum(unpaid.filter((i) => i.due_date! < asOf)) };
}
