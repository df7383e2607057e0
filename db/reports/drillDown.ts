import { fromMinor } from '../values/money.js';
import { all, one, type ReportPlan } from './plan.js';
import { type AsOf, type Period } from './params.js';
import { agingCells, campaignCells, collectionsCells, dashboardCells, funnelCells, isRate, sourceCells, type Cell, type ListKind, type Measure, type Part } from './drillCells.js';

// Drill-down: every number of the dashboard, funnel, source and campaign
// reports opens the list of exactly the records behind it. The reports read the
// aggregates kept by triggers; these lists read the records themselves, with the
// same rules written out a second time, so a drill-down that disagrees with its
// number shows an aggregate gone wrong (db/reports/drillDown.test.ts checks every
// cell on the demo data).
// The lists: their records (live ones only) and the fields shown for each.
const LISTS: Record<ListKind, { from: string; fields: string; order: string }> = {
  leads: {
    from: `sales_leads l LEFT JOIN sales_lead_sources s ON s.id = l.source_id LEFT JOIN sales_campaigns c ON c.id = l.campaign_id
           WHERE l.deleted_at IS NULL`,
    fields: `l.id, l.lead_code, l.name, l.company, l.status, l.lead_date, s.source_name, c.campaign_code, l.assigned_to`,
    order: 'l.lead_date, l.id',
  },
  bookings: {
    from: `sales_bookings b JOIN sales_customers cu ON cu.id = b.customer_id LEFT JOIN sales_leads l ON l.id = b.lead_id
           WHERE b.deleted_at IS NULL`,
    fields: `b.id, b.booking_code, b.booking_date, b.status, cu.name AS customer_name, l.name AS lead_name, b.project_name,
             b.units_booked, b.booking_amount AS amount_minor`,
    order: 'b.booking_date, b.id',
  },
  ledger: {
    from: `sales_account_ledgers e JOIN sales_customers cu ON cu.id = e.customer_id
           WHERE e.deleted_at IS NULL AND e.status <> 'cancelled'`,
    fields: `e.id, e.ledger_code, e.transaction_date, e.transaction_type, cu.name AS customer_name, e.description,
             e.debit_amount AS debit_minor, e.credit_amount AS credit_minor`,
    order: 'e.transaction_date, e.id',
  },
  customers: {
    from: 'sales_customers cu WHERE cu.deleted_at IS NULL',
    fields: 'cu.id, cu.customer_code, cu.name, cu.email, cu.phone',
    order: 'cu.customer_code, cu.id',
  },
  engagements: {
    from: 'sales_lead_engagement g JOIN sales_leads l ON l.id = g.lead_id WHERE g.deleted_at IS NULL',
    fields: 'g.id, g.engagement_date, g.engagement_type, g.engagement_channel, g.subject, g.lead_id, l.name AS lead_name',
    order: 'g.engagement_date, g.id',
  },
  // Instalments with what is paid of each, as the device keeps them (db/receivablesState.ts):
  // the drill-down service lists them only for a day the kept allocation holds.
  instalments: {
    from: `rcv_instalments r JOIN sales_bookings b ON b.id = r.booking_id JOIN sales_customers cu ON cu.id = r.customer_id
           LEFT JOIN sales_payment_schedule s ON s.id = r.id WHERE 1 = 1`,
    fields: `r.id, r.due_date, cu.name AS customer_name, b.booking_code, coalesce(s.label, 'Full amount') AS label, b.project_name,
             r.amount AS amount_minor, r.paid AS paid_minor`,
    order: 'r.due_date, r.id',
  },
  follow_ups: {
    from: `sales_lead_milestones m JOIN sales_leads l ON l.id = m.lead_id
           WHERE m.deleted_at IS NULL AND l.deleted_at IS NULL AND m.follow_up_required = 1`,
    fields: 'm.id, m.lead_id, l.name AS lead_name, m.milestone_type, m.milestone_date, m.follow_up_date, m.visited_by',
    order: "coalesce(m.follow_up_date, '9999-12-31'), m.id",
  },
};

/** Whether a drill-down cell lists instalments (it needs the device's kept receivables). */
export const listsInstalments = (c: Cell): boolean => (isRate(c) ? [c.num, c.den].some((x) => 'list' in x && x.list === 'instalments') : c.list === 'instalments');

export const DRILL_REPORTS = ['dashboard', 'funnel', 'source-performance', 'campaign-performance', 'receivables-aging', 'collections'] as const;
export type DrillReport = (typeof DRILL_REPORTS)[number];

/** Each report's row key (absent for the dashboard's one row) and the columns that are figures but not drillable. */
export const DRILL_ROWS: Record<DrillReport, { key: string | null; fixed: readonly string[] }> = {
  dashboard: { key: null, fixed: ['conversion_rate_trend'] },
  funnel: { key: 'month', fixed: [] },
  'source-performance': { key: 'source_id', fixed: [] },
  'campaign-performance': { key: 'campaign_id', fixed: ['budget', 'expected_roi'] },
  // The advance is received less what it paid of instalments due; the next due is one day's.
  'receivables-aging': { key: 'customer_id', fixed: ['advance', 'next_due_amount'] },
  collections: { key: 'month', fixed: [] },
};

/** The reports whose cells list instalments: as the device keeps them. */
export const RECEIVABLES_DRILLS: readonly DrillReport[] = ['receivables-aging', 'collections'];

/** The cells of one row of a report: column → what it is made of. */
export function* drillCellsPlan(report: DrillReport, row: string | null, p: Period & AsOf & { timezone?: string; project_key?: string | null; buckets?: readonly number[] }): ReportPlan<Record<string, Cell>> {
  switch (report) {
    case 'receivables-aging': return agingCells(row ?? '', p);
    case 'collections': return collectionsCells(row ?? '', p);
    case 'dashboard': return yield* dashboardCells(p);
    case 'funnel': return funnelCells(row ?? '', p);
    case 'source-performance': return sourceCells(row ?? '', p);
    case 'campaign-performance': return campaignCells(row ?? '', p);
  }
}

/** A part's figure: the records' count, the sum of their amounts, or the attribute (minor units). */
export function* measurePlan(m: Part): ReportPlan<number> {
  if ('scalar' in m) return Number((yield* one<{ n: number } | undefined>(m.scalar, m.params))?.n ?? 0);
  const { from } = LISTS[m.list];
  const sql = `SELECT ${m.amount ? `coalesce(sum(${m.amount}), 0)` : 'count(*)'} AS n FROM ${from} AND ${m.where}`;
  return Number((yield* one<{ n: number }>(sql, m.params)).n);
}

/** The cell's figure worked out from the records, as the report shows it (money in major units). */
export function* cellValuePlan(cell: Cell): ReportPlan<number> {
  if (isRate(cell)) return cell.of(yield* measurePlan(cell.num), yield* measurePlan(cell.den));
  const n = yield* measurePlan(cell);
  return cell.amount ? fromMinor(n) : n;
}

export interface DrillPage {
  list: ListKind;
  label: string;
  /** How many records the list holds, and their amounts' sum (major units) when the number is an amount. */
  total: number;
  amount: number | null;
  rows: Record<string, unknown>[];
  next_offset: number | null;
}

/** One page of a measure's records, with the list's size (and sum). */
export function* listPlan(m: Measure, offset: number, limit: number): ReportPlan<DrillPage> {
  const { from, fields, order } = LISTS[m.list];
  const total = Number((yield* one<{ n: number }>(`SELECT count(*) AS n FROM ${from} AND ${m.where}`, m.params)).n);
  const amount = m.amount ? fromMinor(yield* measurePlan(m)) : null;
  const rows = yield* all<Record<string, unknown>>(
    `SELECT ${fields}${m.amount ? `, ${m.amount} AS share_minor` : ''} FROM ${from} AND ${m.where} ORDER BY ${order}
     LIMIT CAST(@limit AS INTEGER) OFFSET CAST(@offset AS INTEGER)`,
    { ...m.params, limit: String(limit), offset: String(offset) },
  );
  return {
    list: m.list,
    label: m.label,
    total,
    amount,
    rows: rows.map(majorUnits),
    next_offset: offset + rows.length < total ? offset + rows.length : null,
  };
}

/** `*_minor` fields of a list row as money in major units (SPEC §2 outside). */
function majorUnits(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => (k.endsWith('_minor') ? [k.slice(0, -6), fromMinor(Number(v))] : [k, v])));
}
