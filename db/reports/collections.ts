import { tidyName } from '../values/names.js';
import { addMonths, monthOf } from '../values/dates.js';
import { fromMinor, percent } from '../values/money.js';
import { all, one, onSqlite, type ReportPlan } from './plan.js';
import type { Db } from './params.js';
import { receivablesPlan, type ReceivablesKept } from './receivables.js';

// SPEC §10 collections and dues: instalments falling due month by month with what was
// received against them, and the dashboard's figures of what is due and overdue.

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

export const collectionsReport = (db: Db, p: Parameters<typeof collectionsPlan>[0]) => onSqlite(db, collectionsPlan(p));
