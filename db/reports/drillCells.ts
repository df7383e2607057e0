import { addDays, addMonths, instantOf, lastDayOfMonth, monthOf } from '../values/dates.js';
import { percent, ratio } from '../values/money.js';
import { type Params, type ReportPlan } from './plan.js';
import { inPeriod, periodParams, type AsOf, type Period } from './params.js';
import { cutoffs, LEAD_LAST_ACTIVITY, staleThresholdsPlan, staleWhere } from './staleLeads.js';
import { customerExisted } from './dashboard.js';

// What each cell of a drillable report is made of: the records behind a count
// or an amount, or a rate of two such, written out with the same rules as the reports.

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

export const measure = (list: ListKind, label: string, where: string, params: Params, amount?: string): Measure => ({ list, label, where, params, ...(amount ? { amount } : {}) });
export const rate = (num: Rate['num'], den: Rate['den'], of: Rate['of'], opens: Rate['opens'] = 'num'): Rate => ({ num, den, of, opens });

// Lead rules shared by the reports (SPEC §4 ranks: contacted 1, qualified 2, negotiation 3).
export const leadCells = (scope: string, params: Params) => {
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

export const LEAD_IN_PERIOD = inPeriod('l.lead_date');

/** Funnel: one month's cohort, within the report's period. */
export function funnelCells(month: string, p: Period & AsOf): Record<string, Cell> {
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
export function sourceCells(sourceId: string, p: Period): Record<string, Cell> {
  const scope = `coalesce(l.source_id, '') = @source${p.from || p.to ? ` AND ${LEAD_IN_PERIOD}` : ''}`;
  const l = leadCells(scope, { source: sourceId, ...periodParams(p) });
  return {
    total_leads: l.total, qualified_leads: l.qualified, converted_leads: l.converted, lost_leads: l.lost,
    conversion_rate: rate(l.converted, l.total, percent),
  };
}

/** Campaign performance: one campaign's leads by lead date, and the live bookings of those leads. */
export function campaignCells(campaignId: string, p: Period): Record<string, Cell> {
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
export function* dashboardCells(p: Period & AsOf & { timezone?: string }): ReportPlan<Record<string, Cell>> {
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
  // As of the day: customers made by its end; follow-ups recorded by then and not completed by then.
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

/**
 * Receivables aging (SPEC §10): one customer's row ('' for the total row), of one
 * project's bookings when asked. Instalments as the device keeps them (the drill-down
 * service lists them only for a day the kept allocation holds); buckets by days late.
 */
export function agingCells(customer: string, p: AsOf & { project_key?: string | null; buckets?: readonly number[] }): Record<string, Cell> {
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
export function collectionsCells(month: string, p: Period & AsOf): Record<string, Cell> {
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
