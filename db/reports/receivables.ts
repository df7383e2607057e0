import { tidyName } from '../../main/domain/names.js';
import { addMonths, daysBetween, monthOf } from '../../main/domain/dates.js';
import { allocate, type Instalment, type Receipt } from '../../main/domain/allocation.js';
import { fromMinor, percent } from '../../main/domain/money.js';
import { all, one, onSqlite, type ReportPlan } from './plan.js';
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
export function* agingPlan(p: { as_of: string; project_name?: string | null; buckets?: readonly number[]; customer_id?: string | null; kept?: ReceivablesKept }): ReportPlan<AgingRow[]> {
  const bounds = p.buckets ?? DEFAULT_BUCKETS;
  const buckets = bucketsOf(bounds);
  if (p.kept?.current && p.kept.agingAsOf === p.as_of && !p.customer_id && bounds.join() === DEFAULT_BUCKETS.join()) {
    const kept = yield* one<{ rows: string }>(KEPT_AGING, { project_key: p.project_name ? agingKey(tidyName(p.project_name).toLowerCase()) : '' });
    return agingWithTotal((JSON.parse(kept.rows) as unknown[][]).map(keptRow), buckets);
  }
  const receivables = yield* receivablesPlan(p);
  const customers = yield* all<{ id: string; customer_code: string; name: string; phone: string | null; contract_value: number }>(CUSTOMERS, {
    as_of: p.as_of, customer: p.customer_id ?? null, project: p.project_name ? tidyName(p.project_name) : null,
  });
  const rows: AgingRow[] = customers.map((c) => ({
    customer_id: c.id, customer_code: c.customer_code, name: c.name, phone: c.phone,
    ...agingFigures(c.contract_value, receivables.get(c.id) ?? { instalments: [], received: 0, advance: 0 }, p.as_of, buckets),
  }) as unknown as AgingRow);
  return agingWithTotal(rows, buckets);
}

// The kept aging of today (rcv_aging), in the report's order: one JSON array of rows
// made by SQLite, since turning 5,000 rows of 20 columns into JavaScript values one by
// one costs more than the whole report should.
const KEPT_AGING = `
  SELECT json_group_array(json_array(c.id, c.customer_code, c.name, c.phone, a.contract_value, a.due_to_date, a.received, a.received_against_due, a.outstanding_due,
         a.advance, a.not_due, a.d0_30, a.d31_60, a.d61_90, a.d91_180, a.d181_plus, a.overdue_total, a.oldest_overdue_date, a.next_due_date, a.next_due_amount) ORDER BY c.name, c.id) AS rows
  FROM rcv_aging a JOIN sales_customers c ON c.id = a.customer_id AND c.deleted_at IS NULL
  WHERE a.project_key = @project_key`;
const KEPT_COLUMNS = ['customer_id', 'customer_code', 'name', 'phone', 'contract_value', 'due_to_date', 'received', 'received_against_due', 'outstanding_due',
  'advance', 'not_due', 'd0_30', 'd31_60', 'd61_90', 'd91_180', 'd181_plus', 'overdue_total', 'oldest_overdue_date', 'next_due_date', 'next_due_amount'] as const;
// One row object from one array, with a fixed shape.
const keptRow = new Function('r', `return { ${KEPT_COLUMNS.map((k, i) => `${k}: r[${i}]`).join(', ')} };`) as (r: unknown[]) => AgingRow;

/** One customer's aging figures as of a day (minor units), in the report's column order. */
export function agingFigures(contractValue: number, r: Pick<CustomerReceivables, 'instalments' | 'received' | 'advance'>, asOf: string, buckets: ReturnType<typeof bucketsOf>): Record<string, number | string | null> {
  const due = r.instalments.filter((i) => i.due_date !== null && i.due_date <= asOf);
  const row: Record<string, number | string | null> = {
    contract_value: contractValue,
    due_to_date: due.reduce((a, i) => a + i.amount, 0),
    received: r.received,
    received_against_due: due.reduce((a, i) => a + i.paid, 0),
    outstanding_due: due.reduce((a, i) => a + i.outstanding_due, 0),
    advance: r.advance,
    // Everything not due yet: dated later, or waiting on a stage not complete.
    not_due: r.instalments.filter((i) => i.due_date === null || i.due_date > asOf).reduce((a, i) => a + i.amount - i.paid, 0),
  };
  for (const b of buckets) row[b.key] = r.instalments.filter((i) => i.overdue > 0 && i.days_overdue >= b.min && (b.max === null || i.days_overdue <= b.max)).reduce((a, i) => a + i.overdue, 0);
  row.overdue_total = r.instalments.reduce((a, i) => a + i.overdue, 0);
  const late = r.instalments.filter((i) => i.overdue > 0).map((i) => i.due_date!).sort();
  row.oldest_overdue_date = late[0] ?? null;
  const coming = r.instalments.filter((i) => i.due_date !== null && i.due_date > asOf && i.amount > i.paid).sort((a, b) => (a.due_date! < b.due_date! ? -1 : 1));
  row.next_due_date = coming[0]?.due_date ?? null;
  row.next_due_amount = coming.filter((i) => i.due_date === coming[0]?.due_date).reduce((a, i) => a + i.amount - i.paid, 0);
  return row;
}

/** The rows and their total row, money made decimals. */
function agingWithTotal(rows: AgingRow[], buckets: ReturnType<typeof bucketsOf>): AgingRow[] {
  const money = ['contract_value', 'due_to_date', 'received', 'received_against_due', 'outstanding_due', 'advance', 'not_due', ...buckets.map((b) => b.key), 'overdue_total', 'next_due_amount'];
  const total: Record<string, number | string | null> = { customer_id: null, customer_code: 'TOTAL', name: `${rows.length} customer${rows.length === 1 ? '' : 's'}`, phone: null };
  for (const k of money) total[k] = rows.reduce((a, r) => a + (r[k] as number), 0);
  const dates = (k: string) => rows.map((r) => r[k] as string | null).filter((d): d is string => d !== null).sort();
  total.oldest_overdue_date = dates('oldest_overdue_date')[0] ?? null;
  total.next_due_date = dates('next_due_date')[0] ?? null;
  total.next_due_amount = rows.filter((r) => r.next_due_date === total.next_due_date).reduce((a, r) => a + (r.next_due_amount as number), 0);
  // The rows are this report's own objects: their money made decimals in place.
  const out = [...rows, total as AgingRow];
  for (const r of out) for (const k of money) r[k] = fromMinor(r[k] as number);
  return out;
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
export function* collectionsPlan(p: { as_of: string; from?: string | null; to?: string | null; kept?: ReceivablesKept }): ReportPlan<CollectionsRow[]> {
  const to = p.to ?? p.as_of;
  const from = p.from ?? `${addMonths(monthOf(to), -11)}-01`;
  const due = new Map<string, { n: number; amount: number; paid: number }>();
  if (p.kept?.current) {
    for (const r of yield* all<{ month: string; n: number; amount: number; paid: number }>(KEPT_DUE_BY_MONTH, { from, to })) due.set(r.month, r);
  } else {
    const receivables = yield* receivablesPlan({ as_of: p.as_of });
    for (const c of receivables.values()) {
      for (const i of c.instalments) {
        if (i.due_date === null || i.due_date < from || i.due_date > to) continue;
        const m = monthOf(i.due_date);
        const d = due.get(m) ?? { n: 0, amount: 0, paid: 0 };
        d.n += 1;
        d.amount += i.amount;
        d.paid += i.paid;
        due.set(m, d);
      }
    }
  }
  const receipts = yield* all<{ month: string; amount: number }>(p.kept?.current ? KEPT_RECEIPTS_BY_MONTH : RECEIPTS_BY_MONTH, { from, to });
  const inMonth = new Map(receipts.map((r) => [r.month, r.amount]));
  const rows: CollectionsRow[] = [];
  for (let m = monthOf(from); m <= monthOf(to); m = addMonths(m, 1)) {
    const d = due.get(m) ?? { n: 0, amount: 0, paid: 0 };
    rows.push({ month: m, instalments_due: d.n, amount_due: fromMinor(d.amount), received_against_due: fromMinor(d.paid), collection_efficiency: percent(d.paid, d.amount), receipts: fromMinor(inMonth.get(m) ?? 0) });
  }
  return rows;
}

const RECEIPTS_BY_MONTH = `
  SELECT substr(transaction_date, 1, 7) AS month, sum(CASE WHEN transaction_type = 'payment' THEN credit_amount ELSE -debit_amount END) AS amount
  FROM sales_account_ledgers
  WHERE transaction_type IN ('payment', 'refund') AND status = 'active' AND deleted_at IS NULL AND transaction_date BETWEEN @from AND @to
  GROUP BY substr(transaction_date, 1, 7)`;
// The same from the device's daily receipts (kept by triggers, migration 0016).
const KEPT_RECEIPTS_BY_MONTH = `
  SELECT substr(transaction_date, 1, 7) AS month, sum(amount) AS amount FROM rcv_receipts_daily
  WHERE transaction_date BETWEEN @from AND @to GROUP BY substr(transaction_date, 1, 7)`;
// Instalments by the month they fall due, with what is paid of them now.
const KEPT_DUE_BY_MONTH = `
  SELECT substr(due_date, 1, 7) AS month, sum(n) AS n, sum(amount) AS amount, sum(paid) AS paid FROM rcv_due_daily
  WHERE due_date BETWEEN @from AND @to GROUP BY substr(due_date, 1, 7)`;

/** SPEC §5's receivables on the dashboard (minor units): what is due and unpaid by as_of, of it what is overdue, and the month's collection. */
export interface DuesFigures {
  due: number;
  overdue: number;
  month_amount: number;
  month_paid: number;
}

const KEPT_DUES = `
  SELECT coalesce(sum(amount - paid), 0) AS due, coalesce(sum(CASE WHEN due_date < @as_of THEN amount - paid ELSE 0 END), 0) AS overdue
  FROM rcv_instalments WHERE paid < amount AND due_date IS NOT NULL AND due_date <= @as_of AND (@project_key IS NULL OR project_key = @project_key)`;
const KEPT_MONTH = `
  SELECT coalesce(sum(amount), 0) AS month_amount, coalesce(sum(paid), 0) AS month_paid FROM rcv_due_daily WHERE due_date BETWEEN @month_from AND @month_to`;
const KEPT_PROJECT_MONTH = `
  SELECT coalesce(sum(amount), 0) AS month_amount, coalesce(sum(paid), 0) AS month_paid FROM rcv_instalments
  WHERE project_key = @project_key AND due_date BETWEEN @month_from AND @month_to`;

/**
 * The dashboard's dues as of a day (of one project's bookings when asked): instalments
 * due on or before as_of less what was received against them; of that, the part past
 * its due date; and the instalments that fell due in as_of's month up to as_of with
 * what is paid of them (month to date, as the collections report's row of that month).
 */
export function* duesPlan(p: { as_of: string; project_name?: string | null; kept?: ReceivablesKept }): ReportPlan<DuesFigures> {
  // The month so far: what fell due from its first day to as_of (the collections report's row for it).
  const range = { month_from: `${monthOf(p.as_of)}-01`, month_to: p.as_of };
  const key = p.project_name ? tidyName(p.project_name).toLowerCase() : null;
  if (p.kept?.current) {
    const d = yield* one<{ due: number; overdue: number }>(KEPT_DUES, { as_of: p.as_of, project_key: key });
    const m = yield* one<{ month_amount: number; month_paid: number }>(key === null ? KEPT_MONTH : KEPT_PROJECT_MONTH, { ...range, project_key: key });
    return { ...d, ...m };
  }
  const out: DuesFigures = { due: 0, overdue: 0, month_amount: 0, month_paid: 0 };
  for (const c of (yield* receivablesPlan({ as_of: p.as_of, project_name: p.project_name })).values()) {
    for (const i of c.instalments) {
      out.due += i.outstanding_due;
      out.overdue += i.overdue;
      if (i.due_date !== null && i.due_date >= range.month_from && i.due_date <= range.month_to) {
        out.month_amount += i.amount;
        out.month_paid += i.paid;
      }
    }
  }
  return out;
}

export const agingReport = (db: Db, p: Parameters<typeof agingPlan>[0]) => onSqlite(db, agingPlan(p));
export const collectionsReport = (db: Db, p: Parameters<typeof collectionsPlan>[0]) => onSqlite(db, collectionsPlan(p));
