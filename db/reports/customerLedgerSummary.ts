import { fromMinor } from '../../main/domain/money.js';
import { statement } from '../statements.js';
import { inPeriod, periodParams, type Db, type Period } from './params.js';

export interface CustomerLedgerSummaryRow {
  customer_id: string;
  customer_code: string;
  customer_name: string;
  total_invoiced: number;
  total_paid: number;
  total_credit_notes: number;
  total_debit_notes: number;
  outstanding_balance: number;
  entry_count: number;
  last_transaction_date: string | null;
}

// SPEC §5 v_customer_ledger_summary, over non-cancelled entries. A reversed entry
// still counts: its reversal (an adjustment) is what nets it out.
const SQL = `
  SELECT c.id AS customer_id, c.customer_code, c.name AS customer_name,
         coalesce(sum(CASE WHEN e.transaction_type = 'invoice' THEN e.debit_amount END), 0) AS total_invoiced,
         coalesce(sum(CASE WHEN e.transaction_type = 'payment' THEN e.credit_amount END), 0) AS total_paid,
         coalesce(sum(CASE WHEN e.transaction_type = 'credit_note' THEN e.credit_amount END), 0) AS total_credit_notes,
         coalesce(sum(CASE WHEN e.transaction_type = 'debit_note' THEN e.debit_amount END), 0) AS total_debit_notes,
         coalesce(sum(e.debit_amount - e.credit_amount), 0) AS outstanding_balance,
         count(e.id) AS entry_count, max(e.transaction_date) AS last_transaction_date
  FROM sales_customers c
  LEFT JOIN sales_account_ledgers e ON e.customer_id = c.id AND e.status <> 'cancelled' AND e.deleted_at IS NULL
       AND ${inPeriod('e.transaction_date')}
  WHERE c.deleted_at IS NULL AND (@customer IS NULL OR c.id = @customer)
  GROUP BY c.id
  ORDER BY c.name, c.id`;

const MONEY = ['total_invoiced', 'total_paid', 'total_credit_notes', 'total_debit_notes', 'outstanding_balance'] as const;

/** One row per customer, or just the one asked for. */
export function customerLedgerSummary(db: Db, p: Period & { customer_id?: string | null }): CustomerLedgerSummaryRow[] {
  const rows = statement(db, SQL).all({ ...periodParams(p), customer: p.customer_id ?? null }) as CustomerLedgerSummaryRow[];
  return rows.map((r) => {
    const out = { ...r };
    for (const f of MONEY) out[f] = fromMinor(r[f]);
    return out;
  });
}
