import { fromMinor } from '../values/money.js';
import { inEdgeDays, inWholeMonths, monthlySplit, type Db, type Period } from './params.js';
import { all, onSqlite, type ReportPlan } from './plan.js';

export interface CustomerLedgerSummaryRow {
  customer_id: string;
  customer_code: string;
  customer_name: string;
  total_invoiced: number;
  total_paid: number;
  total_credit_notes: number;
  total_debit_notes: number;
  /** Money paid back to the customer (SPEC §3 `refund` entries). */
  total_refunds: number;
  outstanding_balance: number;
  entry_count: number;
  last_transaction_date: string | null;
}

// SPEC §5 v_customer_ledger_summary, over non-cancelled entries. A reversed entry
// still counts: its reversal (an adjustment) is what nets it out. The sums come from
// the per-customer aggregates kept by triggers (migration 0007): whole months from
// the monthly table, the days of partial months from the daily one.
const SQL = (one: boolean) => `
  WITH sums AS (
    SELECT customer_id, sum(invoiced) AS invoiced, sum(paid) AS paid, sum(credit_notes) AS credit_notes, sum(debit_notes) AS debit_notes, sum(refunds) AS refunds,
           sum(debit - credit) AS outstanding, sum(entries) AS entries, max(last_date) AS last_date
    FROM (
      SELECT customer_id, invoiced, paid, credit_notes, debit_notes, refunds, debit, credit, entries, last_date
      FROM agg_ledger_customer_monthly WHERE ${one ? 'customer_id = @customer AND ' : ''}${inWholeMonths()}
      UNION ALL
      SELECT customer_id, invoiced, paid, credit_notes, debit_notes, refunds, debit, credit, entries, CASE WHEN entries > 0 THEN transaction_date END
      FROM agg_ledger_customer_daily WHERE ${one ? 'customer_id = @customer AND ' : ''}${inEdgeDays('transaction_date')}
    ) AS by_customer
    GROUP BY customer_id
  )
  SELECT c.id AS customer_id, c.customer_code, c.name AS customer_name,
         coalesce(s.invoiced, 0) AS total_invoiced, coalesce(s.paid, 0) AS total_paid,
         coalesce(s.credit_notes, 0) AS total_credit_notes, coalesce(s.debit_notes, 0) AS total_debit_notes,
         coalesce(s.refunds, 0) AS total_refunds,
         coalesce(s.outstanding, 0) AS outstanding_balance, coalesce(s.entries, 0) AS entry_count, s.last_date AS last_transaction_date
  FROM sales_customers c LEFT JOIN sums s ON s.customer_id = c.id
  WHERE c.deleted_at IS NULL${one ? ' AND c.id = @customer' : ''}
  ORDER BY c.name, c.id`;

const ONE = SQL(true);
const EVERY = SQL(false);

const MONEY = ['total_invoiced', 'total_paid', 'total_credit_notes', 'total_debit_notes', 'total_refunds', 'outstanding_balance'] as const;

/** One row per customer, or just the one asked for. */
export function* customerLedgerPlan(p: Period & { customer_id?: string | null }): ReportPlan<CustomerLedgerSummaryRow[]> {
  const split = monthlySplit(p.from, p.to);
  const rows = yield* all<CustomerLedgerSummaryRow>(p.customer_id ? ONE : EVERY, p.customer_id ? { ...split, customer: p.customer_id } : split);
  return rows.map((r) => {
    const out = { ...r };
    for (const f of MONEY) out[f] = fromMinor(r[f]);
    return out;
  });
}

export const customerLedgerSummary = (db: Db, p: Period & { customer_id?: string | null }) => onSqlite(db, customerLedgerPlan(p));
