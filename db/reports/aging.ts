import { tidyName } from '../values/names.js';
import { fromMinor } from '../values/money.js';
import { all, one, onSqlite, type ReportPlan } from './plan.js';
import type { Db } from './params.js';
import { agingKey, CUSTOMERS, DEFAULT_BUCKETS, receivablesPlan, type CustomerReceivables, type ReceivablesKept } from './receivables.js';

// SPEC §10 aging: each customer's unpaid instalments by how long they are overdue, in
// buckets of days (0–30, 31–60, …), as of a day — today's read from what the device keeps.

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

export const agingReport = (db: Db, p: Parameters<typeof agingPlan>[0]) => onSqlite(db, agingPlan(p));
