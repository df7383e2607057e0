import { z } from 'zod';
import { statement } from '../../db/statements.js';
import { nowIso, type ServiceContext } from '../domain/context.js';
import { UNIT_STATUS_SQL } from './units.js';
import { validationError } from '../domain/errors.js';
import { fromMinor } from '../domain/money.js';
import { localDate, parseInput, recordId } from '../domain/validation.js';
import type { CsvShape } from '../csv/csvWriter.js';

// The raw lists of SPEC §6 export (`leads`, `customers`, ...): every live row of a
// table, streamed in a stable order, money as decimals.

interface RawList {
  sql: string;
  money: readonly string[];
  /** Booleans stored as 0/1 that should read true/false. */
  flags?: readonly string[];
}

const dated = (column: string) => `(@from IS NULL OR ${column} >= @from) AND (@to IS NULL OR ${column} <= @to)`;

export const rawLists = {
  leads: {
    sql: `SELECT * FROM sales_leads WHERE deleted_at IS NULL AND ${dated('lead_date')} ORDER BY lead_date, created_at, id`,
    money: [],
  },
  customers: {
    sql: 'SELECT * FROM sales_customers WHERE deleted_at IS NULL AND (@customer IS NULL OR id = @customer) ORDER BY customer_code, id',
    money: [],
  },
  milestones: {
    sql: `SELECT * FROM sales_lead_milestones WHERE deleted_at IS NULL AND (@lead IS NULL OR lead_id = @lead) AND ${dated('milestone_date')}
          ORDER BY milestone_date, coalesce(milestone_time, ''), created_at, id`,
    money: [],
    flags: ['follow_up_required'],
  },
  engagements: {
    sql: `SELECT * FROM sales_lead_engagement WHERE deleted_at IS NULL AND (@lead IS NULL OR lead_id = @lead) AND ${dated('engagement_date')}
          ORDER BY engagement_date, created_at, id`,
    money: [],
    flags: ['response_received'],
  },
  'booking-list': {
    sql: `SELECT * FROM sales_bookings WHERE deleted_at IS NULL AND (@customer IS NULL OR customer_id = @customer)
          AND (@lead IS NULL OR lead_id = @lead) AND ${dated('booking_date')} ORDER BY booking_date, created_at, id`,
    money: ['booking_amount', 'refund_amount'],
  },
  'ledger-entries': {
    // The running balance is over all of a customer's entries, then the period applies.
    sql: `SELECT * FROM (
            SELECT e.*, sum(CASE WHEN status <> 'cancelled' THEN debit_amount - credit_amount ELSE 0 END)
                     OVER (PARTITION BY customer_id ORDER BY transaction_date, created_at, id ROWS UNBOUNDED PRECEDING) AS balance_after
            FROM sales_account_ledgers e WHERE deleted_at IS NULL AND (@customer IS NULL OR customer_id = @customer)
          ) WHERE ${dated('transaction_date')} ORDER BY customer_id, transaction_date, created_at, id`,
    money: ['debit_amount', 'credit_amount', 'balance_after'],
  },
  // Issue 15: every live unit with its status now (a project's counts are the `inventory` report).
  units: {
    sql: `SELECT u.id, u.project_name, u.tower, u.floor, u.unit_number, u.unit_type, u.carpet_area_sqft, u.list_price, u.blocked, ${UNIT_STATUS_SQL} AS status
          FROM sales_units u WHERE u.deleted_at IS NULL ORDER BY u.project_name, u.tower, u.floor, length(u.unit_number), u.unit_number`,
    money: ['list_price'],
    flags: ['blocked'],
  },
} satisfies Record<string, RawList>;

export type RawListName = keyof typeof rawLists;
export const rawListNames = Object.keys(rawLists) as RawListName[];

export const rawListFilters = z.strictObject({
  from: localDate().optional(),
  to: localDate().optional(),
  lead_id: recordId().optional(),
  customer_id: recordId().optional(),
});

/** The list's CSV shape and a lazy iterator over its rows. */
export function rawListRows(ctx: ServiceContext, name: RawListName, input: unknown): { shape: CsvShape; rows: Iterable<Record<string, unknown>> } {
  const q = parseInput(rawListFilters, input);
  if (q.from && q.to && q.to < q.from) throw validationError('to', 'must be on or after from');
  const list: RawList = rawLists[name];
  const stmt = statement(ctx.db, list.sql);
  const params = { from: q.from ?? null, to: q.to ?? null, lead: q.lead_id ?? null, customer: q.customer_id ?? null, now: nowIso(ctx) };
  const used = Object.fromEntries(Object.entries(params).filter(([k]) => list.sql.includes(`@${k}`)));
  const columns = stmt.columns().map((c) => c.name);
  function* rows() {
    for (const row of stmt.iterate(used) as Iterable<Record<string, unknown>>) {
      for (const m of list.money) if (typeof row[m] === 'number') row[m] = fromMinor(row[m] as number);
      for (const f of list.flags ?? []) row[f] = Boolean(row[f]);
      yield row;
    }
  }
  return { shape: { columns, money: list.money }, rows: rows() };
}
