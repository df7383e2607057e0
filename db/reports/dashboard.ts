import { addMonths, lastDayOfMonth, monthOf } from '../../main/domain/dates.js';
import { fromMinor, percent, ratio } from '../../main/domain/money.js';
import { inEdgeDays, inPeriod, inWholeMonths, monthlySplit, type AsOf, type Db, type Period } from './params.js';
import { one, onSqlite, type ReportPlan } from './plan.js';
import { staleCountPlan } from './staleLeads.js';

export interface Dashboard {
  as_of: string;
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
  conversion_rate_this_month: number;
  conversion_rate_last_month: number;
  conversion_rate_trend: number;
  /** Leads in an open stage with no activity for longer than the stage allows (issue 8). */
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

const FOLLOW_UPS = `
  SELECT coalesce(sum(n), 0) AS pending, coalesce(sum(CASE WHEN follow_up_date <> '' AND follow_up_date < @as_of THEN n ELSE 0 END), 0) AS overdue
  FROM agg_follow_ups_daily`;

const CUSTOMERS = 'SELECT count(*) AS n FROM sales_customers WHERE deleted_at IS NULL';

/**
 * SPEC §5 KPI dashboard as of a date: dated records (leads, bookings, ledger
 * entries) count when dated on or before as_of and inside the optional period.
 */
export function* dashboardPlan(p: Period & AsOf): ReportPlan<Dashboard> {
  const to = p.to && p.to < p.as_of ? p.to : p.as_of;
  const window = { from: p.from ?? null, to };
  const split = monthlySplit(window.from, window.to);
  const leads = yield* one<{ total: number; converted: number; qualified: number; active: number }>(LEADS, split);
  const bookings = yield* one<{ bookings: number; amount: number }>(BOOKINGS, split);
  const activeCustomers = (yield* (window.from === null ? one<{ n: number }>(ACTIVE_CUSTOMERS_SINCE_EVER, { to }) : one<{ n: number }>(ACTIVE_CUSTOMERS, window))).n;
  const ledger = yield* one<{ invoiced: number; paid: number; outstanding: number }>(LEDGER, split);
  const customerCount = (yield* one<{ n: number }>(CUSTOMERS)).n;
  const month = monthOf(p.as_of);
  const monthRange = (m: string) => ({ from: `${m}-01`, to: lastDayOfMonth(m) });
  const engagements = (yield* one<{ n: number }>(ENGAGEMENTS, monthRange(month))).n;
  const followUps = yield* one<{ pending: number; overdue: number }>(FOLLOW_UPS, { as_of: p.as_of });
  const cohortRate = function* (m: string) {
    const c = yield* one<{ total: number; converted: number }>(COHORT, { month: m });
    return percent(c.converted, c.total);
  };
  const staleLeads = yield* staleCountPlan(p.as_of);
  const thisMonth = yield* cohortRate(month);
  const lastMonth = yield* cohortRate(addMonths(month, -1));
  return {
    as_of: p.as_of,
    total_leads: leads.total,
    converted_leads: leads.converted,
    qualified_leads: leads.qualified,
    conversion_rate: percent(leads.converted, leads.total),
    lead_quality: percent(leads.qualified, leads.total),
    customer_count: customerCount,
    active_customers: activeCustomers,
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
    conversion_rate_this_month: thisMonth,
    conversion_rate_last_month: lastMonth,
    conversion_rate_trend: Math.round((thisMonth - lastMonth) * 100) / 100,
    stale_leads: staleLeads,
  };
}

export const dashboardReport = (db: Db, p: Period & AsOf) => onSqlite(db, dashboardPlan(p));
