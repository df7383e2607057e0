import { tidyName } from '../../main/domain/names.js';
import { addMonths, lastDayOfMonth, monthOf } from '../../main/domain/dates.js';
import { allocate, type Instalment, type Receipt } from '../../main/domain/allocation.js';
import { fromMinor, percent } from '../../main/domain/money.js';
import { all, onSqlite, type ReportPlan } from './plan.js';
import type { Db } from './params.js';

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
// its whole amount on its booking date.
export const INSTALMENTS = `
  SELECT b.customer_id, s.id, s.booking_id, s.due_date, b.booking_date, s.seq, s.amount, b.project_name
  FROM sales_payment_schedule s JOIN sales_bookings b ON b.id = s.booking_id
  WHERE s.deleted_at IS NULL AND b.deleted_at IS NULL AND b.booking_date <= @as_of AND (@customer IS NULL OR b.customer_id = @customer)
    AND ((s.status = 'scheduled' AND (b.status <> 'cancelled' OR b.cancellation_date <= @as_of))
      -- Cancelled after as_of: as it stood then, its instalments were live and nothing was forfeited yet.
      OR (s.status = 'cancelled' AND b.status = 'cancelled' AND b.cancellation_date > @as_of))
  UNION ALL
  SELECT b.customer_id, b.id, b.id, b.booking_date, b.booking_date, 1, b.booking_amount, b.project_name
  FROM sales_bookings b
  WHERE b.deleted_at IS NULL AND b.booking_date <= @as_of AND (b.status <> 'cancelled' OR b.cancellation_date > @as_of) AND (@customer IS NULL OR b.customer_id = @customer)
    AND NOT EXISTS (SELECT 1 FROM sales_payment_schedule s WHERE s.booking_id = b.id AND s.deleted_at IS NULL)`;

export const RECEIPTS = `
  SELECT customer_id, CASE WHEN transaction_type = 'payment' THEN credit_amount ELSE -debit_amount END AS amount,
         CASE WHEN reference_document_type = 'booking' THEN reference_document_id END AS booking_id, transaction_date
  FROM sales_account_ledgers
  WHERE transaction_type IN ('payment', 'refund') AND status = 'active' AND deleted_at IS NULL AND transaction_date <= @as_of
    AND (@customer IS NULL OR customer_id = @customer)`;

const CUSTOMERS = `
  SELECT c.id, c.customer_code, c.name, c.phone,
         coalesce((SELECT sum(b.booking_amount) FROM sales_bookings b WHERE b.customer_id = c.id AND b.deleted_at IS NULL AND b.booking_date <= @as_of
                   AND (b.status <> 'cancelled' OR b.cancellation_date > @as_of)
                   AND (@project IS NULL OR lower(b.project_name) = lower(@project))), 0) AS contract_value
  FROM sales_customers c
  WHERE c.deleted_at IS NULL AND (@customer IS NULL OR c.id = @customer)
    AND EXISTS (SELECT 1 FROM sales_bookings b WHERE b.customer_id = c.id AND b.deleted_at IS NULL AND b.booking_date <= @as_of
                AND (@project IS NULL OR lower(b.project_name) = lower(@project)))
  ORDER BY c.name, c.id`;

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

const days = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** Every customer's instalments as of a day (of one project's bookings when asked; allocation still over all of theirs). */
export function* receivablesPlan(p: { as_of: string; project_name?: string | null; customer_id?: string | null }): ReportPlan<Map<string, CustomerReceivables>> {
  const q = { as_of: p.as_of, customer: p.customer_id ?? null };
  const instalments = yield* all<InstalmentRow>(INSTALMENTS, q);
  const receipts = yield* all<Receipt & { customer_id: string }>(RECEIPTS, q);
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
    const states = c.instalments.map((i): InstalmentState => {
      const got = paid.get(i.id) ?? 0;
      const isDue = i.due_date !== null && i.due_date <= p.as_of;
      const late = i.due_date !== null && i.due_date < p.as_of;
      return {
        id: i.id, booking_id: i.booking_id, customer_id: customer, seq: i.seq, due_date: i.due_date, amount: i.amount, paid: got,
        outstanding_due: isDue ? i.amount - got : 0, overdue: late ? i.amount - got : 0, days_overdue: late && got < i.amount ? days(i.due_date!, p.as_of) : 0,
      };
    });
    const net = c.receipts.reduce((a, r) => a + r.amount, 0);
    const againstDue = states.filter((s) => s.due_date !== null && s.due_date <= p.as_of).reduce((a, s) => a + s.paid, 0);
    if (!project) {
      out.set(customer, { customer_id: customer, instalments: states, received: net, advance: Math.max(0, net - againstDue) });
      continue;
    }
    // One project's view: its instalments, and what was received against them (an advance is the customer's, not a project's).
    const ofProject = new Set(c.instalments.filter((i) => (i.project_name ?? '').toLowerCase() === project).map((i) => i.id));
    const mine = states.filter((s) => ofProject.has(s.id));
    out.set(customer, { customer_id: customer, instalments: mine, received: mine.reduce((a, s) => a + s.paid, 0), advance: 0 });
  }
  return out;
}

/** The aging buckets from their upper bounds in days: 30,60,90,180 → 0–30, 31–60, 61–90, 91–180, 181+. */
export function bucketsOf(bounds: readonly number[]): { key: string; min: number; max: number | null }[] {
  const list: { key: string; min: number; max: number | null }[] = bounds.map((max, i) => ({ key: `d${i === 0 ? 0 : bounds[i - 1]! + 1}_${max}`, min: i === 0 ? 1 : bounds[i - 1]! + 1, max }));
  return [...list, { key: `d${bounds[bounds.length - 1]! + 1}_plus`, min: bounds[bounds.length - 1]! + 1, max: null }];
}

export type AgingRow = Record<string, string | number | null> & {
  customer_id: string | null;
  customer_code: string;
  name: string;
  overdue_total: number;
};

/**
 * SPEC §10 receivables aging: a row per customer with a booking (of the project when
 * asked) and a total row. Each row's overdue buckets sum to its overdue_total, and
 * due_to_date = received_against_due + outstanding_due. `not_due` is what is unpaid
 * of instalments falling due after as_of (dated ones; a stage not yet complete has no
 * date). Money as decimals.
 */
export function* agingPlan(p: { as_of: string; project_name?: string | null; buckets?: readonly number[]; customer_id?: string | null }): ReportPlan<AgingRow[]> {
  const bounds = p.buckets ?? [30, 60, 90, 180];
  const buckets = bucketsOf(bounds);
  const receivables = yield* receivablesPlan(p);
  const customers = yield* all<{ id: string; customer_code: string; name: string; phone: string | null; contract_value: number }>(CUSTOMERS, {
    as_of: p.as_of, customer: p.customer_id ?? null, project: p.project_name ? tidyName(p.project_name) : null,
  });
  const money = ['contract_value', 'due_to_date', 'received', 'received_against_due', 'outstanding_due', 'advance', 'not_due', ...buckets.map((b) => b.key), 'overdue_total', 'next_due_amount'];
  const rows: AgingRow[] = customers.map((c) => {
    const r = receivables.get(c.id) ?? { instalments: [], received: 0, advance: 0 };
    const due = r.instalments.filter((i) => i.due_date !== null && i.due_date <= p.as_of);
    const row: Record<string, number | string | null> = {
      customer_id: c.id, customer_code: c.customer_code, name: c.name, phone: c.phone, contract_value: c.contract_value,
      due_to_date: due.reduce((a, i) => a + i.amount, 0),
      received: r.received,
      received_against_due: due.reduce((a, i) => a + i.paid, 0),
      outstanding_due: due.reduce((a, i) => a + i.outstanding_due, 0),
      advance: r.advance,
      not_due: r.instalments.filter((i) => i.due_date !== null && i.due_date > p.as_of).reduce((a, i) => a + i.amount - i.paid, 0),
    };
    for (const b of buckets) row[b.key] = r.instalments.filter((i) => i.overdue > 0 && i.days_overdue >= b.min && (b.max === null || i.days_overdue <= b.max)).reduce((a, i) => a + i.overdue, 0);
    row.overdue_total = r.instalments.reduce((a, i) => a + i.overdue, 0);
    const late = r.instalments.filter((i) => i.overdue > 0).map((i) => i.due_date!).sort();
    row.oldest_overdue_date = late[0] ?? null;
    const coming = r.instalments.filter((i) => i.due_date !== null && i.due_date > p.as_of && i.amount > i.paid).sort((a, b) => (a.due_date! < b.due_date! ? -1 : 1));
    row.next_due_date = coming[0]?.due_date ?? null;
    row.next_due_amount = coming.filter((i) => i.due_date === coming[0]?.due_date).reduce((a, i) => a + i.amount - i.paid, 0);
    return row as AgingRow;
  });
  const total: Record<string, number | string | null> = { customer_id: null, customer_code: 'TOTAL', name: `${rows.length} customer${rows.length === 1 ? '' : 's'}`, phone: null };
  for (const k of money) total[k] = rows.reduce((a, r) => a + (r[k] as number), 0);
  const dates = (k: string) => rows.map((r) => r[k] as string | null).filter((d): d is string => d !== null).sort();
  total.oldest_overdue_date = dates('oldest_overdue_date')[0] ?? null;
  total.next_due_date = dates('next_due_date')[0] ?? null;
  total.next_due_amount = rows.filter((r) => r.next_due_date === total.next_due_date).reduce((a, r) => a + (r.next_due_amount as number), 0);
  return [...rows, total as AgingRow].map((r) => {
    const out = { ...r };
    for (const k of money) out[k] = fromMinor(r[k] as number);
    return out as AgingRow;
  });
}

export interface CollectionsRow {
  month: string;
  instalments_due: number;
  amount_due: number;
  received_against_due: number;
  collection_efficiency: number;
  receipts: number;
}

/**
 * SPEC §10 collections: a row per month from `from` to `to` (the 12 months to as_of
 * by default): instalments falling due in it (count, amount), what receipts dated by
 * as_of paid of them, that as a percent, and the net receipts dated in the month.
 */
export function* collectionsPlan(p: { as_of: string; from?: string | null; to?: string | null }): ReportPlan<CollectionsRow[]> {
  const to = p.to ?? p.as_of;
  const from = p.from ?? `${addMonths(monthOf(to), -11)}-01`;
  const receivables = yield* receivablesPlan({ as_of: p.as_of });
  const receipts = yield* all<{ month: string; amount: number }>(`
    SELECT substr(transaction_date, 1, 7) AS month, sum(CASE WHEN transaction_type = 'payment' THEN credit_amount ELSE -debit_amount END) AS amount
    FROM sales_account_ledgers
    WHERE transaction_type IN ('payment', 'refund') AND status = 'active' AND deleted_at IS NULL AND transaction_date BETWEEN @from AND @to
    GROUP BY substr(transaction_date, 1, 7)`, { from, to });
  const inMonth = new Map(receipts.map((r) => [r.month, r.amount]));
  const rows: CollectionsRow[] = [];
  for (let m = monthOf(from); m <= monthOf(to); m = addMonths(m, 1)) {
    const start = `${m}-01` < from ? from : `${m}-01`;
    const end = lastDayOfMonth(m) > to ? to : lastDayOfMonth(m);
    let count = 0;
    let amount = 0;
    let paid = 0;
    for (const c of receivables.values()) {
      for (const i of c.instalments) {
        if (i.due_date !== null && i.due_date >= start && i.due_date <= end) {
          count += 1;
          amount += i.amount;
          paid += i.paid;
        }
      }
    }
    rows.push({ month: m, instalments_due: count, amount_due: fromMinor(amount), received_against_due: fromMinor(paid), collection_efficiency: percent(paid, amount), receipts: fromMinor(inMonth.get(m) ?? 0) });
  }
  return rows;
}

export const agingReport = (db: Db, p: Parameters<typeof agingPlan>[0]) => onSqlite(db, agingPlan(p));
export const collectionsReport = (db: Db, p: Parameters<typeof collectionsPlan>[0]) => onSqlite(db, collectionsPlan(p));
