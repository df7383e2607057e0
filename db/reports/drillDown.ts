import { addDays, addMonths, instantOf, lastDayOfMonth, monthOf } from '../../main/domain/dates.js';
import { fromMinor, percent, ratio } from '../../main/domain/money.js';
import { all, one, type Params, type ReportPlan } from './plan.js';
import { inPeriod, periodParams, type AsOf, type Period } from './params.js';
import { cutoffs, staleThresholdsPlan, staleWhere } from './staleLeads.js';
import { customerExisted } from './dashboard.js';
import { LEAD_LAST_ACTIVITY } from '../aggregates.js';

// Issue 8 drill-down: every number of the dashboard, funnel, source and campaign
// reports opens the list of exactly the records behind it. The reports read the
// aggregates kept by triggers; these lists read the records themselves, with the
// same rules written out a second time, so a drill-down that disagrees with its
// number shows an aggregate gone wrong (db/reports/drillDown.test.ts checks every
// cell on the demo data).

export type ListKind = 'leads' | 'bookings' | 'ledger' | 'customers' | 'engagements' | 'follow_ups' | 'instalments';

/** A set of records: the list a count (its length) or an amount (its sum, in minor units) is taken over. */
export interface Measure {
  list: ListKind;
  /** What the list holds, for its heading: "converted leads". */
  label: string;
  /** SQL condition on the list's records (aliases of LISTS below). */
  where: string;
  params: Params;
  /** SQL giving each record's share of the number in minor units; absent when the number counts the records. */
  amount?: string;
}

/** A figure that is not a list: an attribute of the row's record (a campaign's budget, minor units). */
export interface Scalar {
  label: string;
  scalar: string;
  params: Params;
}

export type Part = Measure | Scalar;

/** A rate or ratio of two parts. */
export interface Rate {
  num: Part;
  den: Part;
  of: (num: number, den: number) => number;
  /** Which part the cell's list is: the one a user means by clicking the rate. */
  opens: 'num' | 'den';
}

export type Cell = Measure | Rate;
export const isRate = (c: Cell): c is Rate => 'of' in c;

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

const measure = (list: ListKind, label: string, where: string, params: Params, amount?: string): Measure => ({ list, label, where, params, ...(amount ? { amount } : {}) });
const rate = (num: Rate['num'], den: Rate['den'], of: Rate['of'], opens: Rate['opens'] = 'num'): Rate => ({ num, den, of, opens });

// Lead rules shared by the reports (SPEC §4 ranks: contacted 1, qualified 2, negotiation 3).
const leadCells = (scope: string, params: Params) => {
  const leads = (label: string, extra?: string) => measure('leads', label, extra ? `${scope} AND ${extra}` : scope, params);
  return {
    total: leads('leads'),
    contacted: leads('leads that reached contacted', 'l.reached_rank >= 1'),
    qualified: leads('leads that reached qualified', 'l.reached_rank >= 2'),
    negotiation: leads('leads that reached negotiation', 'l.reached_rank >= 3'),
    converted: leads('converted leads', "l.status = 'converted'"),
    lost: leads('lost leads', "l.status = 'lost'"),
    active: leads('active leads', "l.status NOT IN ('converted', 'lost')"),
  };
};

const LEAD_IN_PERIOD = inPeriod('l.lead_date');

/** Funnel: one month's cohort, within the report's period. */
function funnelCells(month: string, p: Period & AsOf): Record<string, Cell> {
  const from = p.from ?? `${addMonths(monthOf(p.as_of), -11)}-01`;
  const to = p.to ?? p.as_of;
  const start = `${month}-01` > from ? `${month}-01` : from;
  const end = lastDayOfMonth(month) < to ? lastDayOfMonth(month) : to;
  const l = leadCells('l.lead_date BETWEEN @from AND @to', { from: start, to: end });
  return {
    total_leads: l.total, contacted: l.contacted, qualified: l.qualified, negotiation: l.negotiation, converted: l.converted, lost: l.lost,
    conversion_rate: rate(l.converted, l.total, percent),
  };
}

/** Source performance: one source's leads ('' for leads without one), over all time or the period. */
function sourceCells(sourceId: string, p: Period): Record<string, Cell> {
  const scope = `coalesce(l.source_id, '') = @source${p.from || p.to ? ` AND ${LEAD_IN_PERIOD}` : ''}`;
  const l = leadCells(scope, { source: sourceId, ...periodParams(p) });
  return {
    total_leads: l.total, qualified_leads: l.qualified, converted_leads: l.converted, lost_leads: l.lost,
    conversion_rate: rate(l.converted, l.total, percent),
  };
}

/** Campaign performance: one campaign's leads by lead date, and the live bookings of those leads. */
function campaignCells(campaignId: string, p: Period): Record<string, Cell> {
  const params = { campaign: campaignId, ...periodParams(p) };
  const l = leadCells(`l.campaign_id = @campaign AND ${LEAD_IN_PERIOD}`, params);
  const booked = measure(
    'bookings', 'live bookings of the campaign\'s leads',
    `b.status <> 'cancelled' AND l.deleted_at IS NULL AND l.campaign_id = @campaign AND ${LEAD_IN_PERIOD}`, params, 'b.booking_amount',
  );
  const budget: Scalar = { label: 'budget', scalar: 'SELECT budget AS n FROM sales_campaigns WHERE id = @campaign', params: { campaign: campaignId } };
  return {
    total_leads: l.total, converted_leads: l.converted, booked_amount: booked,
    conversion_rate: rate(l.converted, l.total, percent),
    cost_per_lead: rate(budget, l.total, (b, n) => ratio(b, n * 100), 'den'),
    actual_roi: rate(booked, budget, (amount, b) => percent(amount - b, b)),
  };
}

/** Dashboard: the KPIs as of a day, within the optional period (SPEC §5, db/reports/dashboard.ts). */
function* dashboardCells(p: Period & AsOf & { timezone?: string }): ReportPlan<Record<string, Cell>> {
  const to = p.to && p.to < p.as_of ? p.to : p.as_of;
  const w = periodParams({ from: p.from, to });
  const l = leadCells(LEAD_IN_PERIOD, w);
  const liveBookings = measure('bookings', 'bookings (not cancelled)', `b.status <> 'cancelled' AND ${inPeriod('b.booking_date')}`, w);
  const ledger = (label: string, where: string, amount: string) => measure('ledger', label, `${where} AND ${inPeriod('e.transaction_date')}`, w, amount);
  // SPEC §5: invoiced net of credit notes (debit notes add), paid net of refunds.
  const invoiced = ledger(
    'invoices, debit notes and credit notes', "e.transaction_type IN ('invoice', 'debit_note', 'credit_note')",
    "CASE WHEN e.transaction_type = 'credit_note' THEN -e.credit_amount ELSE e.debit_amount END",
  );
  const paid = ledger('payments and refunds', "e.transaction_type IN ('payment', 'refund')", "CASE WHEN e.transaction_type = 'refund' THEN -e.debit_amount ELSE e.credit_amount END");
  // As of the day (issue 16): customers made by its end; follow-ups recorded by then and not completed by then.
  const after = instantOf(addDays(p.as_of, 1), '00:00', p.timezone ?? 'UTC').toISOString();
  const customers = measure('customers', 'customers that existed on the day', customerExisted('cu'), { after, as_of: p.as_of });
  const pendingThen = 'm.milestone_date <= @as_of AND (m.follow_up_completed_at IS NULL OR m.follow_up_completed_at >= @after)';
  const month = monthOf(p.as_of);
  const engagements = measure('engagements', `engagements in ${month}`, 'g.engagement_date BETWEEN @from AND @to', { from: `${month}-01`, to: lastDayOfMonth(month) });
  const cohort = (m: string) => leadCells('l.lead_date BETWEEN @from AND @to', { from: `${m}-01`, to: lastDayOfMonth(m) });
  const thisMonth = cohort(month);
  const lastMonth = cohort(addMonths(month, -1));
  const days = yield* staleThresholdsPlan();
  const stale = measure('leads', 'stale leads', staleWhere('l.status', LEAD_LAST_ACTIVITY), cutoffs(p.as_of, days));
  return {
    total_leads: l.total, converted_leads: l.converted, qualified_leads: l.qualified, active_leads: l.active,
    conversion_rate: rate(l.converted, l.total, percent),
    lead_quality: rate(l.qualified, l.total, percent),
    customer_count: customers,
    active_customers: measure(
      'customers', 'customers with a live booking',
      `EXISTS (SELECT 1 FROM sales_bookings b WHERE b.customer_id = cu.id AND b.deleted_at IS NULL AND b.status <> 'cancelled' AND ${inPeriod('b.booking_date')})`, w,
    ),
    customer_ltv: rate(invoiced, customers, (i, n) => ratio(i, n * 100)),
    payment_collection: rate(paid, invoiced, percent),
    total_invoiced: invoiced,
    total_paid: paid,
    total_bookings: liveBookings,
    booked_amount: { ...liveBookings, amount: 'b.booking_amount' },
    booking_rate: rate(liveBookings, l.converted, percent),
    engagements_this_month: engagements,
    engagement_rate: rate(engagements, l.active, ratio),
    pending_follow_ups: measure('follow_ups', 'pending follow-ups', pendingThen, { as_of: p.as_of, after }),
    overdue_follow_ups: measure('follow_ups', 'overdue follow-ups', `${pendingThen} AND m.follow_up_date < @as_of`, { as_of: p.as_of, after }),
    outstanding_balance: ledger('ledger entries', '1 = 1', 'e.debit_amount - e.credit_amount'),
    conversion_rate_this_month: rate({ ...thisMonth.converted, label: `converted leads of ${month}` }, thisMonth.total, percent),
    conversion_rate_last_month: rate({ ...lastMonth.converted, label: `converted leads of ${addMonths(month, -1)}` }, lastMonth.total, percent),
    stale_leads: stale,
    ...duesCells(p.as_of),
  };
}

/** The dashboard's dues (SPEC §10): unpaid parts of instalments due by the day, of those past due, and the month's collection. */
export function duesCells(asOf: string): Record<'due_to_date' | 'overdue_amount' | 'collection_efficiency', Cell> {
  const month = monthOf(asOf);
  const inMonth = { from: `${month}-01`, to: asOf };
  const dueInMonth = (amount: string) => measure('instalments', `instalments due in ${month} up to ${asOf}`, 'r.due_date BETWEEN @from AND @to', inMonth, amount);
  return {
    due_to_date: measure('instalments', 'instalments due and unpaid', 'r.paid < r.amount AND r.due_date <= @as_of', { as_of: asOf }, 'r.amount - r.paid'),
    overdue_amount: measure('instalments', 'instalments overdue', 'r.paid < r.amount AND r.due_date < @as_of', { as_of: asOf }, 'r.amount - r.paid'),
    collection_efficiency: rate(dueInMonth('r.paid'), dueInMonth('r.amount'), percent, 'den'),
  };
}

/** Whether a drill-down cell lists instalments (it needs the device's kept receivables). */
export const listsInstalments = (c: Cell): boolean => (isRate(c) ? [c.num, c.den].some((x) => 'list' in x && x.list === 'instalments') : c.list === 'instalments');

/**
 * Receivables aging (SPEC §10): one customer's row ('' for the total row), of one
 * project's bookings when asked. Instalments as the device keeps them (the drill-down
 * service lists them only for a day the kept allocation holds); buckets by days late.
 */
function agingCells(customer: string, p: AsOf & { project_key?: string | null; buckets?: readonly number[] }): Record<string, Cell> {
  const who = `${customer ? 'r.customer_id = @customer' : 'cu.deleted_at IS NULL'}${p.project_key ? ' AND r.project_key = @project_key' : ''}`;
  const params = { as_of: p.as_of, customer, project_key: p.project_key ?? null };
  const instalments = (label: string, where: string, amount: string, extra: Params = {}) => measure('instalments', label, `${who} AND ${where}`, { ...params, ...extra }, amount);
  const unpaid = 'r.paid < r.amount';
  const cells: Record<string, Cell> = {
    contract_value: measure('bookings', 'live bookings',
      `b.status <> 'cancelled' AND ${customer ? 'b.customer_id = @customer' : 'cu.deleted_at IS NULL'}${p.project_key ? ' AND lower(b.project_name) = @project_key' : ''}`, params, 'b.booking_amount'),
    due_to_date: instalments('instalments due', 'r.due_date <= @as_of', 'r.amount'),
    received_against_due: instalments('instalments due, with what is paid of each', 'r.due_date <= @as_of', 'r.paid'),
    outstanding_due: instalments('instalments due and unpaid', `${unpaid} AND r.due_date <= @as_of`, 'r.amount - r.paid'),
    not_due: instalments('instalments falling due later or waiting on a stage', `${unpaid} AND (r.due_date IS NULL OR r.due_date > @as_of)`, 'r.amount - r.paid'),
    overdue_total: instalments('instalments overdue', `${unpaid} AND r.due_date < @as_of`, 'r.amount - r.paid'),
  };
  const bounds = p.buckets ?? [30, 60, 90, 180];
  bounds.forEach((max, i) => {
    const min = i === 0 ? 1 : bounds[i - 1]! + 1;
    cells[`d${i === 0 ? 0 : min}_${max}`] = instalments(`instalments ${min}–${max} days late`, `${unpaid} AND r.due_date BETWEEN @late_from AND @late_to`, 'r.amount - r.paid',
      { late_from: addDays(p.as_of, -max), late_to: addDays(p.as_of, -min) });
  });
  const last = bounds[bounds.length - 1]! + 1;
  cells[`d${last}_plus`] = instalments(`instalments ${last} days late or more`, `${unpaid} AND r.due_date <= @late_to`, 'r.amount - r.paid', { late_to: addDays(p.as_of, -last) });
  // A project's received is what was paid against its instalments; everyone's, the net receipts.
  cells.received = p.project_key
    ? instalments('instalments with what is paid of each', '1 = 1', 'r.paid')
    : measure('ledger', 'payments and refunds', `e.status = 'active' AND e.transaction_type IN ('payment', 'refund') AND e.transaction_date <= @as_of${customer ? ' AND e.customer_id = @customer'
      : ' AND cu.deleted_at IS NULL AND EXISTS (SELECT 1 FROM sales_bookings b WHERE b.customer_id = e.customer_id AND b.deleted_at IS NULL)'}`,
      params, "CASE WHEN e.transaction_type = 'refund' THEN -e.debit_amount ELSE e.credit_amount END");
  return cells;
}

/** Collections (SPEC §10): one month's instalments due (within the period) and its receipts. */
function collectionsCells(month: string, p: Period & AsOf): Record<string, Cell> {
  const to = p.to ?? p.as_of;
  const from = p.from ?? `${addMonths(monthOf(to), -11)}-01`;
  const range = { from: `${month}-01` > from ? `${month}-01` : from, to: lastDayOfMonth(month) < to ? lastDayOfMonth(month) : to };
  const due = (amount?: string) => measure('instalments', `instalments due in ${month}`, 'r.due_date BETWEEN @from AND @to', range, amount);
  return {
    instalments_due: due(),
    amount_due: due('r.amount'),
    received_against_due: due('r.paid'),
    collection_efficiency: rate(due('r.paid'), due('r.amount'), percent, 'den'),
    receipts: measure('ledger', `payments and refunds of ${month}`, "e.status = 'active' AND e.transaction_type IN ('payment', 'refund') AND e.transaction_date BETWEEN @from AND @to", range,
      "CASE WHEN e.transaction_type = 'refund' THEN -e.debit_amount ELSE e.credit_amount END"),
  };
}

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
