import { duesPlan } from './collections.js';
import type { ReceivablesKept } from './receivables.js';
import { tidyName } from '../values/names.js';
import { addDays, addMonths, instantOf, lastDayOfMonth, monthOf } from '../values/dates.js';
import { fromMinor, percent, ratio } from '../values/money.js';
import { inEdgeDays, inPeriod, inWholeMonths, monthlySplit, type AsOf, type Db, type Period } from './params.js';
import { all, one, onSqlite, type ReportPlan } from './plan.js';
import { cutoffs, staleCountPlan, staleThresholdsPlan, staleWhere } from './staleLeads.js';

export interface Dashboard {
  as_of: string;
  /** The project the figures are of (as the tenant spells it), or null for the whole tenant. */
  project_name: string | null;
  total_leads: number;
  converted_leads: number;
  qualified_leads: number;
  conversion_rate: number;
  lead_quality: number;
  customer_count: number;
  active_customers: number;
  customer_ltv: number;
  payment_collection: number;
  total_invoiced: number;
  total_paid: number;
  total_bookings: number;
  booked_amount: number;
  booking_rate: number;
  engagements_this_month: number;
  active_leads: number;
  engagement_rate: number;
  pending_follow_ups: number;
  overdue_follow_ups: number;
  outstanding_balance: number;
  /** SPEC §10: instalments due on or before as_of, less what was received against them. */
  due_to_date: number;
  /** Of due_to_date, the part past its due date. */
  overdue_amount: number;
  /** Received against the instalments due in as_of's month / their amount × 100. */
  collection_efficiency: number;
  conversion_rate_this_month: number;
  conversion_rate_last_month: number;
  conversion_rate_trend: number;
  /** Leads in an open stage with no activity for longer than the stage allows. */
  stale_leads: number;
}

// Counts and sums come from the aggregates kept by triggers (migrations 0003, 0004,
// 0007); only the active customers are read from their tables, by index.
const LEADS = `
  SELECT coalesce(sum(n), 0) AS total, coalesce(sum(converted), 0) AS converted, coalesce(sum(qualified), 0) AS qualified,
         coalesce(sum(n - converted - lost), 0) AS active
  FROM (
    SELECT n, converted, qualified, lost FROM agg_leads_monthly WHERE ${inWholeMonths()}
    UNION ALL
    SELECT n, converted, qualified, lost FROM agg_leads_daily_totals WHERE ${inEdgeDays('lead_date')}
  ) AS leads`;

const COHORT = `SELECT coalesce(sum(n), 0) AS total, coalesce(sum(converted), 0) AS converted FROM agg_leads_monthly WHERE month = @month`;

const BOOKINGS = `
  SELECT coalesce(sum(n), 0) AS bookings, coalesce(sum(amount), 0) AS amount
  FROM (
    SELECT n, amount FROM agg_bookings_monthly WHERE status <> 'cancelled' AND ${inWholeMonths()}
    UNION ALL
    SELECT n, amount FROM agg_bookings_daily WHERE status <> 'cancelled' AND ${inEdgeDays('booking_date')}
  ) AS bookings`;

// Without a start date, a customer is active when its first live booking is on or
// before the end: one range count over the table kept by triggers (migration 0007).
const ACTIVE_CUSTOMERS_SINCE_EVER = 'SELECT count(*) AS n FROM agg_customer_first_booking WHERE first_date <= @to';

const ACTIVE_CUSTOMERS = `
  SELECT count(*) AS n FROM sales_customers c
  WHERE c.deleted_at IS NULL AND EXISTS (
    SELECT 1 FROM sales_bookings b WHERE b.customer_id = c.id AND b.deleted_at IS NULL AND b.status <> 'cancelled' AND ${inPeriod('b.booking_date')})`;

const LEDGER = `
  SELECT coalesce(sum(invoiced), 0) AS invoiced, coalesce(sum(paid), 0) AS paid, coalesce(sum(debit - credit), 0) AS outstanding
  FROM (
    SELECT invoiced, paid, debit, credit FROM agg_ledger_monthly WHERE ${inWholeMonths()}
    UNION ALL
    SELECT invoiced, paid, debit, credit FROM agg_ledger_daily WHERE ${inEdgeDays('transaction_date')}
  ) AS ledger`;

const ENGAGEMENTS = `SELECT coalesce(sum(n), 0) AS n FROM agg_engagements_daily WHERE engagement_date BETWEEN @from AND @to`;

// Follow-ups as of a day: those pending now (the aggregate) less the ones
// recorded after it, plus the ones completed after it that were recorded by then.
// Both corrections are short index ranges (migration 0014) when as_of is recent.
const FOLLOW_UPS = `
  SELECT coalesce(sum(n), 0) AS pending, coalesce(sum(CASE WHEN follow_up_date <> '' AND follow_up_date < @as_of THEN n ELSE 0 END), 0) AS overdue
  FROM agg_follow_ups_daily`;
const overdueCase = (m: string) => `CASE WHEN coalesce(${m}.follow_up_date, '') <> '' AND ${m}.follow_up_date < @as_of THEN 1 ELSE 0 END`;
const FOLLOW_UPS_SINCE = `
  SELECT count(*) AS pending, coalesce(sum(${overdueCase('m')}), 0) AS overdue
  FROM sales_lead_milestones m JOIN sales_leads l ON l.id = m.lead_id AND l.deleted_at IS NULL
  WHERE m.follow_up_required = 1 AND m.follow_up_completed_at IS NULL AND m.deleted_at IS NULL AND m.milestone_date > @as_of`;
const FOLLOW_UPS_DONE_SINCE = `
  SELECT count(*) AS pending, coalesce(sum(${overdueCase('m')}), 0) AS overdue
  FROM sales_lead_milestones m JOIN sales_leads l ON l.id = m.lead_id AND l.deleted_at IS NULL
  WHERE m.follow_up_required = 1 AND m.follow_up_completed_at >= @after AND m.deleted_at IS NULL AND m.milestone_date <= @as_of`;

// Customers that existed on as_of: made by its end (created_at is an instant; @after
// is the next day's start in the tenant's zone), or made later for a booking or a
// ledger entry dated by then (records entered after the fact). Two index ranges.
export const customerExisted = (c: string) => `(${c}.created_at < @after
  OR EXISTS (SELECT 1 FROM sales_bookings b WHERE b.customer_id = ${c}.id AND b.deleted_at IS NULL AND b.booking_date <= @as_of)
  OR EXISTS (SELECT 1 FROM sales_account_ledgers e WHERE e.customer_id = ${c}.id AND e.deleted_at IS NULL AND e.transaction_date <= @as_of))`;
const CUSTOMERS = `
  SELECT (SELECT count(*) FROM sales_customers c WHERE c.deleted_at IS NULL AND c.created_at < @after)
       + (SELECT count(*) FROM sales_customers c WHERE c.deleted_at IS NULL AND c.created_at >= @after AND ${customerExisted('c')}) AS n`;

// One project's dashboard. Leads carry no project: a lead is the
// project's once it holds or books one of its units (a booking of it dated by the
// end, a hold made by then). Its customers are those with a booking of the project,
// and its money is their ledgers (a customer of two projects counts under both;
// the receivables allocate receipts to bookings). Read from the project's
// bookings (sales_bookings_project_idx), its leads by key and the per-customer ledger
// aggregates, in three queries; names matched as SPEC §3 matches them.
const SPELLING = `
  SELECT project_name FROM sales_unit_inventory WHERE lower(project_name) = lower(@project) AND deleted_at IS NULL
  UNION ALL
  SELECT project_name FROM sales_bookings WHERE lower(project_name) = lower(@project) AND deleted_at IS NULL
  LIMIT 1`;

const PROJECT_BOOKINGS = `
  project_bookings AS (
    SELECT customer_id, lead_id, status, booking_date, booking_amount FROM sales_bookings
    WHERE deleted_at IS NULL AND lower(project_name) = lower(@project) AND booking_date <= @to
  )`;

// Everything about the project's leads in one statement, so their set is made once.
const P_LEADS = `WITH ${PROJECT_BOOKINGS},
  project_leads AS MATERIALIZED (
    SELECT l.id, l.lead_date, l.status, l.reached_rank FROM sales_leads l
    WHERE l.deleted_at IS NULL AND l.id IN (
      SELECT lead_id FROM project_bookings WHERE lead_id IS NOT NULL
      UNION
      SELECT h.lead_id FROM sales_units u JOIN sales_unit_holds h ON h.unit_id = u.id
      WHERE u.deleted_at IS NULL AND h.deleted_at IS NULL AND lower(u.project_name) = lower(@project) AND substr(h.held_at, 1, 10) <= @to)
  ),
  counts AS (
    SELECT coalesce(sum(CASE WHEN ${inPeriod('lead_date')} THEN 1 ELSE 0 END), 0) AS total,
           coalesce(sum(CASE WHEN ${inPeriod('lead_date')} AND status = 'converted' THEN 1 ELSE 0 END), 0) AS converted,
           coalesce(sum(CASE WHEN ${inPeriod('lead_date')} AND reached_rank >= 2 THEN 1 ELSE 0 END), 0) AS qualified,
           coalesce(sum(CASE WHEN ${inPeriod('lead_date')} AND status NOT IN ('converted', 'lost') THEN 1 ELSE 0 END), 0) AS active,
           coalesce(sum(CASE WHEN substr(lead_date, 1, 7) = @month THEN 1 ELSE 0 END), 0) AS this_total,
           coalesce(sum(CASE WHEN substr(lead_date, 1, 7) = @month AND status = 'converted' THEN 1 ELSE 0 END), 0) AS this_converted,
           coalesce(sum(CASE WHEN substr(lead_date, 1, 7) = @last_month THEN 1 ELSE 0 END), 0) AS last_total,
           coalesce(sum(CASE WHEN substr(lead_date, 1, 7) = @last_month AND status = 'converted' THEN 1 ELSE 0 END), 0) AS last_converted
    FROM project_leads
  ),
  engagements AS (
    SELECT count(*) AS engagements FROM sales_lead_engagement g
    WHERE g.lead_id IN (SELECT id FROM project_leads) AND g.deleted_at IS NULL AND g.engagement_date BETWEEN @month_from AND @month_to
  ),
  follow_ups AS (
    SELECT count(*) AS pending, coalesce(sum(${overdueCase('m')}), 0) AS overdue
    FROM sales_lead_milestones m
    WHERE m.follow_up_required = 1 AND (m.follow_up_completed_at IS NULL OR m.follow_up_completed_at >= @after) AND m.deleted_at IS NULL
      AND m.milestone_date <= @as_of AND m.lead_id IN (SELECT id FROM project_leads)
  ),
  stale AS (
    SELECT count(*) AS stale FROM agg_lead_activity a WHERE a.lead_id IN (SELECT id FROM project_leads) AND ${staleWhere('a.status', 'a.activity_date')}
  )
  SELECT * FROM counts, engagements, follow_ups, stale`;

const P_BOOKINGS = `WITH ${PROJECT_BOOKINGS}
  SELECT coalesce(sum(CASE WHEN b.status <> 'cancelled' AND ${inPeriod('b.booking_date')} THEN 1 ELSE 0 END), 0) AS bookings,
         coalesce(sum(CASE WHEN b.status <> 'cancelled' AND ${inPeriod('b.booking_date')} THEN b.booking_amount ELSE 0 END), 0) AS amount,
         count(DISTINCT b.customer_id) AS customers,
         count(DISTINCT CASE WHEN b.status <> 'cancelled' AND ${inPeriod('b.booking_date')} THEN b.customer_id END) AS active_customers
  FROM project_bookings b JOIN sales_customers c ON c.id = b.customer_id AND c.deleted_at IS NULL`;

const P_LEDGER = `WITH ${PROJECT_BOOKINGS}
  SELECT coalesce(sum(invoiced + debit_notes - credit_notes), 0) AS invoiced, coalesce(sum(paid - refunds), 0) AS paid,
         coalesce(sum(debit - credit), 0) AS outstanding
  FROM (
    SELECT invoiced, paid, credit_notes, debit_notes, refunds, debit, credit FROM agg_ledger_customer_monthly
    WHERE customer_id IN (SELECT customer_id FROM project_bookings) AND ${inWholeMonths()}
    UNION ALL
    SELECT invoiced, paid, credit_notes, debit_notes, refunds, debit, credit FROM agg_ledger_customer_daily
    WHERE customer_id IN (SELECT customer_id FROM project_bookings) AND ${inEdgeDays('transaction_date')}
  ) AS ledger`;

interface Figures {
  leads: { total: number; converted: number; qualified: number; active: number };
  bookings: { bookings: number; amount: number };
  activeCustomers: number;
  ledger: { invoiced: number; paid: number; outstanding: number };
  customerCount: number;
  engagements: number;
  followUps: { pending: number; overdue: number };
  staleLeads: number;
  thisMonth: number;
  lastMonth: number;
}

const monthRange = (m: string) => ({ from: `${m}-01`, to: lastDayOfMonth(m) });

/** The start of the day after `asOf` in the tenant's zone, as stored instants are written. */
const dayAfter = (asOf: string, timezone: string) => instantOf(addDays(asOf, 1), '00:00', timezone).toISOString();

/** The whole tenant's figures, from the aggregates kept by triggers. */
function* tenantFigures(p: AsOf & { timezone: string }, window: { from: string | null; to: string }): ReportPlan<Figures> {
  const split = monthlySplit(window.from, window.to);
  const month = monthOf(p.as_of);
  const after = dayAfter(p.as_of, p.timezone);
  const cohortRate = function* (m: string) {
    const c = yield* one<{ total: number; converted: number }>(COHORT, { month: m });
    return percent(c.converted, c.total);
  };
  return {
    leads: yield* one<Figures['leads']>(LEADS, split),
    bookings: yield* one<Figures['bookings']>(BOOKINGS, split),
    activeCustomers: (yield* (window.from === null ? one<{ n: number }>(ACTIVE_CUSTOMERS_SINCE_EVER, { to: window.to }) : one<{ n: number }>(ACTIVE_CUSTOMERS, window))).n,
    ledger: yield* one<Figures['ledger']>(LEDGER, split),
    customerCount: (yield* one<{ n: number }>(CUSTOMERS, { after, as_of: p.as_of })).n,
    engagements: (yield* one<{ n: number }>(ENGAGEMENTS, monthRange(month))).n,
    followUps: yield* followUpsAsOf(p.as_of, after),
    staleLeads: yield* staleCountPlan(p.as_of),
    thisMonth: yield* cohortRate(month),
    lastMonth: yield* cohortRate(addMonths(month, -1)),
  };
}

function* followUpsAsOf(asOf: string, after: string): ReportPlan<Figures['followUps']> {
  const now = yield* one<Figures['followUps']>(FOLLOW_UPS, { as_of: asOf });
  const since = yield* one<Figures['followUps']>(FOLLOW_UPS_SINCE, { as_of: asOf });
  const done = yield* one<Figures['followUps']>(FOLLOW_UPS_DONE_SINCE, { as_of: asOf, after });
  return { pending: now.pending - since.pending + done.pending, overdue: now.overdue - since.overdue + done.overdue };
}

/** One project's figures, from its records. */
function* projectFigures(project: string, p: AsOf & { timezone: string }, window: { from: string | null; to: string }): ReportPlan<Figures> {
  const month = monthOf(p.as_of);
  const { from: month_from, to: month_to } = monthRange(month);
  const q = { project, from: window.from, to: window.to, as_of: p.as_of, after: dayAfter(p.as_of, p.timezone) };
  const days = yield* staleThresholdsPlan();
  type LeadFigures = Figures['leads'] & Figures['followUps'] & {
    this_total: number; this_converted: number; last_total: number; last_converted: number; engagements: number; stale: number;
  };
  const l = yield* one<LeadFigures>(P_LEADS, { ...q, month, last_month: addMonths(month, -1), month_from, month_to, ...cutoffs(p.as_of, days) });
  const b = yield* one<{ bookings: number; amount: number; customers: number; active_customers: number }>(P_BOOKINGS, q);
  return {
    leads: { total: l.total, converted: l.converted, qualified: l.qualified, active: l.active },
    bookings: { bookings: b.bookings, amount: b.amount },
    activeCustomers: b.active_customers,
    ledger: yield* one<Figures['ledger']>(P_LEDGER, { ...q, ...monthlySplit(window.from, window.to) }),
    customerCount: b.customers,
    engagements: l.engagements,
    followUps: { pending: l.pending, overdue: l.overdue },
    staleLeads: l.stale,
    thisMonth: percent(l.this_converted, l.this_total),
    lastMonth: percent(l.last_converted, l.last_total),
  };
}

/**
 * SPEC §5 KPI dashboard as of a date: dated records (leads, bookings, ledger
 * entries) count when dated on or before as_of and inside the optional period.
 */
export function* dashboardPlan(p: Period & AsOf & { project_name?: string | null; timezone?: string; kept?: ReceivablesKept }): ReportPlan<Dashboard> {
  const to = p.to && p.to < p.as_of ? p.to : p.as_of;
  const window = { from: p.from ?? null, to };
  const project = p.project_name ? tidyName(p.project_name) : null;
  const at = { as_of: p.as_of, timezone: p.timezone ?? 'UTC' };
  const f = project ? yield* projectFigures(project, at, window) : yield* tenantFigures(at, window);
  // The project as the tenant spells it (its inventory's, else its bookings').
  const spelled = project ? (yield* all<{ project_name: string }>(SPELLING, { project }))[0]?.project_name ?? project : null;
  const { leads, bookings, ledger, customerCount, engagements, followUps, thisMonth, lastMonth } = f;
  const dues = yield* duesPlan({ as_of: p.as_of, project_name: project, kept: p.kept });
  return {
    as_of: p.as_of,
    project_name: spelled,
    total_leads: leads.total,
    converted_leads: leads.converted,
    qualified_leads: leads.qualified,
    conversion_rate: percent(leads.converted, leads.total),
    lead_quality: percent(leads.qualified, leads.total),
    customer_count: customerCount,
    active_customers: f.activeCustomers,
    customer_ltv: ratio(ledger.invoiced, customerCount * 100),
    payment_collection: percent(ledger.paid, ledger.invoiced),
    total_invoiced: fromMinor(ledger.invoiced),
    total_paid: fromMinor(ledger.paid),
    total_bookings: bookings.bookings,
    booked_amount: fromMinor(bookings.amount),
    booking_rate: percent(bookings.bookings, leads.converted),
    engagements_this_month: engagements,
    active_leads: leads.active,
    engagement_rate: ratio(engagements, leads.active),
    pending_follow_ups: followUps.pending,
    overdue_follow_ups: followUps.overdue,
    outstanding_balance: fromMinor(ledger.outstanding),
    due_to_date: fromMinor(dues.due),
    overdue_amount: fromMinor(dues.overdue),
    collection_efficiency: percent(dues.month_paid, dues.month_amount),
    conversion_rate_this_month: thisMonth,
    conversion_rate_last_month: lastMonth,
    conversion_rate_trend: Math.round((thisMonth - lastMonth) * 100) / 100,
    stale_leads: f.staleLeads,
  };
}

export const dashboardReport = (db: Db, p: Period & AsOf & { timezone?: string }) => onSqlite(db, dashboardPlan(p));
