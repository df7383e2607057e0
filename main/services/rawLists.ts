import { z } from 'zod';
import { prepareCached } from '../../db/statements.js';
import { nowIso, type ServiceContext } from '../domain/context.js';
import { UNIT_STATUS_SQL } from '../../db/reports/inventory.js';
import { validationError } from '../domain/errors.js';
import { fromMinor } from '../../db/values/money.js';
import { localDate, parseInput, recordId, text } from '../domain/validation.js';
import type { CsvShape } from '../csv/csvWriter.js';
import { countryOfLocale, phoneHasDigits, phoneSearchDigits } from '../domain/phone.js';

// The raw lists of SPEC §6 export (`leads`, `customers`, ...): every live row of a
// table, streamed in a stable order, money as decimals.

interface RawList {
  sql: string;
  money: readonly string[];
  /** Booleans stored as 0/1 that should read true/false. */
  flags?: readonly string[];
  /** The filters the list takes (a filter it does not take is refused, not ignored). */
  filters: readonly RawFilter[];
}

const dated = (column: string) => `(@from IS NULL OR ${column} >= @from) AND (@to IS NULL OR ${column} <= @to)`;
/** A search as the screen's: any of the columns contains the text. */
const searched = (...columns: string[]) => `(@search IS NULL OR ${columns.map((c) => `${c} LIKE @search ESCAPE '\\'`).join(' OR ')}`
  // A phone number matches by its digits, however it was typed, as on the screen.
  + `${columns.some((c) => c.endsWith('.phone')) ? ` OR (@digits IS NOT NULL AND ${phoneHasDigits(columns.find((c) => c.endsWith('.phone'))!, '@digits')})` : ''})`;
const equal = (column: string, param: string) => `(@${param} IS NULL OR ${column} = @${param})`;
// The names a reader needs beside each id — who made the row, its lead, its customer.
const byUser = (alias: string) => `LEFT JOIN users cu ON cu.id = ${alias}.created_by`;
const ofLead = (alias: string) => `LEFT JOIN sales_leads ld ON ld.id = ${alias}.lead_id`;
const ofCustomer = (alias: string) => `LEFT JOIN sales_customers cs ON cs.id = ${alias}.customer_id`;

export const rawLists = {
  leads: {
    sql: `SELECT l.*, s.source_name, s.source_type, c.campaign_code, c.campaign_name, c.campaign_type, cu.username AS created_by_username
          FROM sales_leads l LEFT JOIN sales_lead_sources s ON s.id = l.source_id LEFT JOIN sales_campaigns c ON c.id = l.campaign_id ${byUser('l')}
          WHERE l.deleted_at IS NULL AND ${dated('l.lead_date')} AND ${equal('l.status', 'status')} AND ${equal('l.assigned_to', 'assigned_to')}
            AND ${equal('l.source_id', 'source_id')} AND ${equal('l.campaign_id', 'campaign_id')}
            AND ${searched('l.name', 'l.email', 'l.phone', 'l.company', 'l.lead_code')}
          ORDER BY l.lead_date, l.created_at, l.id`,
    money: [],
    filters: ['from', 'to', 'search', 'status', 'assigned_to', 'source_id', 'campaign_id'],
  },
  customers: {
    sql: `SELECT c.*, ld.name AS lead_name, ld.lead_code, cu.username AS created_by_username
          FROM sales_customers c ${ofLead('c')} ${byUser('c')}
          WHERE c.deleted_at IS NULL AND (@customer IS NULL OR c.id = @customer) AND ${searched('c.name', 'c.customer_code', 'c.email', 'c.phone')}
          ORDER BY c.customer_code, c.id`,
    money: [],
    filters: ['customer_id', 'search'],
  },
  milestones: {
    sql: `SELECT m.*, ld.name AS lead_name, ld.lead_code, cu.username AS created_by_username
          FROM sales_lead_milestones m ${ofLead('m')} ${byUser('m')}
          WHERE m.deleted_at IS NULL AND (@lead IS NULL OR m.lead_id = @lead) AND ${dated('m.milestone_date')}
          ORDER BY m.milestone_date, coalesce(m.milestone_time, ''), m.created_at, m.id`,
    money: [],
    flags: ['follow_up_required'],
    filters: ['from', 'to', 'lead_id'],
  },
  engagements: {
    sql: `SELECT e.*, ld.name AS lead_name, ld.lead_code, cu.username AS created_by_username
          FROM sales_lead_engagement e ${ofLead('e')} ${byUser('e')}
          WHERE e.deleted_at IS NULL AND (@lead IS NULL OR e.lead_id = @lead) AND ${dated('e.engagement_date')}
          ORDER BY e.engagement_date, e.created_at, e.id`,
    money: [],
    flags: ['response_received'],
    filters: ['from', 'to', 'lead_id'],
  },
  'booking-list': {
    sql: `SELECT b.*, cs.customer_code, cs.name AS customer_name, ld.name AS lead_name, ld.lead_code, cu.username AS created_by_username
          FROM sales_bookings b ${ofCustomer('b')} ${ofLead('b')} ${byUser('b')}
          WHERE b.deleted_at IS NULL AND (@customer IS NULL OR b.customer_id = @customer) AND (@lead IS NULL OR b.lead_id = @lead)
            AND ${dated('b.booking_date')} AND ${equal('b.status', 'status')} AND ${searched('b.booking_code', 'b.project_name', 'b.notes', 'cs.name', 'cs.customer_code')}
          ORDER BY b.booking_date, b.created_at, b.id`,
    money: ['booking_amount', 'refund_amount', 'forfeiture_amount'],
    filters: ['from', 'to', 'customer_id', 'lead_id', 'status', 'search'],
  },
  'ledger-entries': {
    // The running balance is over all of a customer's entries, then the period applies.
    sql: `SELECT x.*, cs.customer_code, cs.name AS customer_name, cu.username AS created_by_username FROM (
            SELECT e.*, sum(CASE WHEN status <> 'cancelled' THEN debit_amount - credit_amount ELSE 0 END)
                     OVER (PARTITION BY customer_id ORDER BY transaction_date, created_at, id ROWS UNBOUNDED PRECEDING) AS balance_after
            FROM sales_account_ledgers e WHERE deleted_at IS NULL AND (@customer IS NULL OR customer_id = @customer)
          ) x ${ofCustomer('x')} ${byUser('x')}
          WHERE ${dated('x.transaction_date')} ORDER BY x.customer_id, x.transaction_date, x.created_at, x.id`,
    money: ['debit_amount', 'credit_amount', 'balance_after'],
    filters: ['from', 'to', 'customer_id'],
  },
  // Every live unit with its status now (a project's counts are the `inventory` report).
  units: {
    sql: `SELECT u.id, u.project_name, u.tower, u.floor, u.unit_number, u.unit_type, u.carpet_area_sqft, u.list_price, u.blocked, ${UNIT_STATUS_SQL} AS status
          FROM sales_units u WHERE u.deleted_at IS NULL AND (@project IS NULL OR u.project_name = @project) AND ${equal(UNIT_STATUS_SQL, 'status')}
          ORDER BY u.project_name, u.tower, u.floor, length(u.unit_number), u.unit_number`,
    money: ['list_price'],
    flags: ['blocked'],
    filters: ['project_name', 'status'],
  },
} satisfies Record<string, RawList>;

export type RawListName = keyof typeof rawLists;
export const rawListNames = Object.keys(rawLists) as RawListName[];

export const rawListFilters = z.strictObject({
  from: localDate().optional(),
  to: localDate().optional(),
  lead_id: recordId().optional(),
  customer_id: recordId().optional(),
  /** As the screen's search box: any of the list's text columns contains it. */
  search: text(200).optional(),
  status: text(40).optional(),
  assigned_to: text(200).optional(),
  source_id: recordId().optional(),
  campaign_id: recordId().optional(),
  project_name: text(200).optional(),
});
type RawFilter = keyof z.infer<typeof rawListFilters>;

/** Which filters a raw list takes. */
export const rawListFilterNames = (name: RawListName): readonly string[] => rawLists[name].filters;

/** A list's columns with each name right after the id it names (source_name after source_id, …). */
function besideIds(columns: string[]): string[] {
  const after: Record<string, string> = {
    source_name: 'source_id', source_type: 'source_name', campaign_code: 'campaign_id', campaign_name: 'campaign_code', campaign_type: 'campaign_name', lead_name: 'lead_id', customer_code: 'customer_id',
    customer_name: 'customer_code', created_by_username: 'created_by',
  };
  const out = columns.filter((c) => !(c in after) || !columns.includes(after[c]!));
  for (const c of Object.keys(after)) {
    if (!columns.includes(c) || !columns.includes(after[c]!)) continue;
    out.splice(out.indexOf(after[c]!) + 1, 0, c);
  }
  // A list's own lead_code (a milestone's lead) sits beside lead_name.
  if (columns.includes('lead_name') && columns.includes('lead_code') && columns.indexOf('lead_code') > columns.indexOf('lead_id')) {
    out.splice(out.indexOf('lead_code'), 1);
    out.splice(out.indexOf('lead_name'), 0, 'lead_code');
  }
  return out;
}

/** The list's CSV shape and a lazy iterator over its rows. */
export function rawListRows(ctx: ServiceContext, name: RawListName, input: unknown): { shape: CsvShape; rows: Iterable<Record<string, unknown>> } {
  const filters = parseInput(rawListFilters, input);
  if (filters.from && filters.to && filters.to < filters.from) throw validationError('to', 'must be on or after from');
  const list: RawList = rawLists[name];
  const stmt = prepareCached(ctx.db, list.sql);
  const params: Record<string, string | null> = {
    from: filters.from ?? null, to: filters.to ?? null, lead: filters.lead_id ?? null, customer: filters.customer_id ?? null, now: nowIso(ctx),
    search: filters.search?.trim() ? `%${filters.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null,
    digits: filters.search ? ((d) => (d ? `%${d}%` : null))(phoneSearchDigits(filters.search, countryOfLocale(ctx.settings.locale))) : null,
    status: filters.status ?? null, assigned_to: filters.assigned_to ?? null, source_id: filters.source_id ?? null, campaign_id: filters.campaign_id ?? null, project: filters.project_name ?? null,
  };
  const used = Object.fromEntries(Object.entries(params).filter(([k]) => new RegExp(`@${k}\\b`).test(list.sql)));
  const columns = besideIds(stmt.columns().map((c) => c.name));
  function* rows() {
    for (const row of stmt.iterate(used) as Iterable<Record<string, unknown>>) {
      for (const m of list.money) if (typeof row[m] === 'number') row[m] = fromMinor(row[m] as number);
      for (const f of list.flags ?? []) row[f] = Boolean(row[f]);
      yield row;
    }
  }
  return { shape: { columns, money: list.money }, rows: rows() };
}
