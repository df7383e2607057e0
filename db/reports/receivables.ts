import { tidyName } from '../values/names.js';
import { daysBetween } from '../values/dates.js';
import { allocate, type Instalment, type Receipt } from '../values/allocation.js';
import { all, type ReportPlan } from './plan.js';

// SPEC §10 receivables, derived as of a day and never stored: each customer's net
// receipts (payments − refunds dated on or before it) pay their instalments in
// due-date order, a booking's own payments paying it first (main/domain/allocation.ts).
// An instalment is due when its due_date ≤ as_of; its unpaid part is overdue when
// due_date < as_of, aged by as_of − due_date. Receipts beyond everything due are an
// advance. The same plan runs on the device and on the central Postgres.

interface InstalmentRow extends Instalment {
  customer_id: string;
  project_name: string | null;
}

// Every instalment as it stood on as_of: of bookings made by then; a booking cancelled
// by then keeps only its forfeiture, one cancelled later still has all its instalments.
// A booking whose schedule this database has not made yet counts as one instalment of
// its whole amount on its booking date. Written twice, for everyone and for one
// customer (@customer), so that one customer's are read by index.
const instalmentsOf = (who: string) => `
  SELECT b.customer_id, s.id, s.booking_id, s.due_date, b.booking_date, s.seq, s.amount, b.project_name
  FROM sales_payment_schedule s JOIN sales_bookings b ON b.id = s.booking_id
  WHERE s.deleted_at IS NULL AND b.deleted_at IS NULL AND b.booking_date <= @as_of AND ${who}
    AND ((s.status = 'scheduled' AND (b.status <> 'cancelled' OR b.cancellation_date <= @as_of))
      -- Cancelled after as_of: as it stood then, its instalments were live and nothing was forfeited yet.
      OR (s.status = 'cancelled' AND b.status = 'cancelled' AND b.cancellation_date > @as_of))
  UNION ALL
  SELECT b.customer_id, b.id, b.id, b.booking_date, b.booking_date, 1, b.booking_amount, b.project_name
  FROM sales_bookings b
  WHERE b.deleted_at IS NULL AND b.booking_date <= @as_of AND (b.status <> 'cancelled' OR b.cancellation_date > @as_of) AND ${who}
    AND NOT EXISTS (SELECT 1 FROM sales_payment_schedule s WHERE s.booking_id = b.id AND s.deleted_at IS NULL)`;
export const INSTALMENTS = instalmentsOf('1 = 1');
export const CUSTOMER_INSTALMENTS = instalmentsOf('b.customer_id = @customer');

const receiptsOf = (who: string) => `
  SELECT customer_id, CASE WHEN transaction_type = 'payment' THEN credit_amount ELSE -debit_amount END AS amount,
         CASE WHEN reference_document_type = 'booking' THEN reference_document_id END AS booking_id, transaction_date
  FROM sales_account_ledgers
  WHERE transaction_type IN ('payment', 'refund') AND status = 'active' AND deleted_at IS NULL AND transaction_date <= @as_of AND ${who}`;
export const RECEIPTS = receiptsOf('1 = 1');
export const CUSTOMER_RECEIPTS = receiptsOf('customer_id = @customer');

export const CUSTOMERS = `
  SELECT c.id, c.customer_code, c.name, c.phone,
         coalesce((SELECT sum(b.booking_amount) FROM sales_bookings b WHERE b.customer_id = c.id AND b.deleted_at IS NULL AND b.booking_date <= @as_of
                   AND (b.status <> 'cancelled' OR b.cancellation_date > @as_of)
                   AND (@project IS NULL OR lower(b.project_name) = lower(@project))), 0) AS contract_value
  FROM sales_customers c
  WHERE c.deleted_at IS NULL AND (@customer IS NULL OR c.id = @customer)
    AND EXISTS (SELECT 1 FROM sales_bookings b WHERE b.customer_id = c.id AND b.deleted_at IS NULL AND b.booking_date <= @as_of
                AND (@project IS NULL OR lower(b.project_name) = lower(@project)))
  ORDER BY c.name, c.id`;

/**
 * What a device keeps current (db/receivablesState.ts), as its SQLite runner found it
 * for as_of; never on Postgres. `current`: the kept allocation is exactly as of as_of
 * (nobody waiting to be recomputed, as_of on or after every date that moves one);
 * `agingAsOf`: the day the kept aging rows (default buckets) are as of.
 */
export interface ReceivablesKept {
  current: boolean;
  agingAsOf: string | null;
}

/** rcv_aging's key of one project's rows ('' holds the rows of all projects; a booking may have none). */
export const agingKey = (projectKey: string) => `p:${projectKey}`;

export const DEFAULT_BUCKETS: readonly number[] = [30, 60, 90, 180];

/** One instalment as of the day: what is paid, and what of it is due and overdue (minor units). */
export interface InstalmentState {
  id: string;
  booking_id: string;
  customer_id: string;
  seq: number;
  due_date: string | null;
  amount: number;
  paid: number;
  /** Unpaid and due by as_of. */
  outstanding_due: number;
  /** Unpaid and past its due date. */
  overdue: number;
  /** as_of − due_date, when overdue. */
  days_overdue: number;
}

export interface CustomerReceivables {
  customer_id: string;
  instalments: InstalmentState[];
  /** Net receipts dated by as_of (of one project: what was paid on its instalments). */
  received: number;
  advance: number;
}


/** Every customer's instalments as of a day (of one project's bookings when asked; allocation still over all of theirs). */
export function* receivablesPlan(p: { as_of: string; project_name?: string | null; customer_id?: string | null }): ReportPlan<Map<string, CustomerReceivables>> {
  const one = p.customer_id ? { as_of: p.as_of, customer: p.customer_id } : null;
  const instalments = yield* all<InstalmentRow>(one ? CUSTOMER_INSTALMENTS : INSTALMENTS, one ?? { as_of: p.as_of });
  const receipts = yield* all<Receipt & { customer_id: string }>(one ? CUSTOMER_RECEIPTS : RECEIPTS, one ?? { as_of: p.as_of });
  const byCustomer = new Map<string, { instalments: InstalmentRow[]; receipts: Receipt[] }>();
  const of = (id: string) => {
    let c = byCustomer.get(id);
    if (!c) byCustomer.set(id, (c = { instalments: [], receipts: [] }));
    return c;
  };
  for (const i of instalments) of(i.customer_id).instalments.push(i);
  for (const r of receipts) of(r.customer_id).receipts.push(r);
  const project = p.project_name ? tidyName(p.project_name).toLowerCase() : null;
  const out = new Map<string, CustomerReceivables>();
  for (const [customer, c] of byCustomer) {
    const { paid } = allocate(c.instalments, c.receipts);
    const states = c.instalments.map((i) => instalmentState(i, customer, paid.get(i.id) ?? 0, p.as_of));
    const net = c.receipts.reduce((a, r) => a + r.amount, 0);
    if (!project) {
      out.set(customer, customerView(customer, states, net, p.as_of));
      continue;
    }
    const ofProject = new Set(c.instalments.filter((i) => (i.project_name ?? '').toLowerCase() === project).map((i) => i.id));
    out.set(customer, projectView(customer, states.filter((s) => ofProject.has(s.id))));
  }
  return out;
}

/** An instalment with what is paid of it, as of a day: its due and overdue parts. */
export function instalmentState(i: { id: string; booking_id: string; seq: number; due_date: string | null; amount: number }, customer: string, paid: number, asOf: string): InstalmentState {
  const isDue = i.due_date !== null && i.due_date <= asOf;
  const late = i.due_date !== null && i.due_date < asOf;
  return {
    id: i.id, booking_id: i.booking_id, customer_id: customer, seq: i.seq, due_date: i.due_date, amount: i.amount, paid,
    outstanding_due: isDue ? i.amount - paid : 0, overdue: late ? i.amount - paid : 0, days_overdue: late && paid < i.amount ? daysBetween(i.due_date!, asOf) : 0,
  };
}

/** A customer's receivables over all their bookings: receipts beyond what is due are an advance. */
export function customerView(customer: string, states: InstalmentState[], net: number, asOf: string): CustomerReceivables {
  const againstDue = states.filter((s) => s.due_date !== null && s.due_date <= asOf).reduce((a, s) => a + s.paid, 0);
  return { customer_id: customer, instalments: states, received: net, advance: Math.max(0, net - againstDue) };
}

/** One project's view: its instalments, and what was received against them (an advance is the customer's, not a project's). */
export const projectView = (customer: string, states: InstalmentState[]): CustomerReceivables =>
  ({ customer_id: customer, instalments: states, received: states.reduce((a, s) => a + s.paid, 0), advance: 0 });
