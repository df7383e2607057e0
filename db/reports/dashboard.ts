import { addMonths, lastDayOfMonth, monthOf } from '../../main/domain/dates.js';
import { statement } from '../statements.js';
import { fromMinor, percent, ratio } from '../../main/domain/money.js';
import { inPeriod, type AsOf, type Db, type Period } from './params.js';

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
}

const LEADS = `
  SELECT count(*) AS total, coalesce(sum(status = 'converted'), 0) AS converted, coalesce(sum(reached_rank >= 2), 0) AS qualified,
         coalesce(sum(status NOT IN ('converted', 'lost')), 0) AS active
  FROM sales_leads WHERE deleted_at IS NULL AND ${inPeriod('lead_date')}`;

const COHORT = `
  SELECT count(*) AS total, coalesce(sum(status = 'converted'), 0) AS converted
  FROM sales_leads WHERE deleted_at IS NULL AND lead_date BETWEEN @from AND @to`;

const BOOKINGS = `
  SELECT count(*) AS bookings, coalesce(sum(booking_amount), 0) AS amount, count(DISTINCT customer_id) AS customers
  FROM sales_bookings WHERE deleted_at IS NULL AND status <> 'cancelled' AND ${inPeriod('booking_date')}`;

const LEDGER = `
  SELECT coalesce(sum(CASE WHEN transaction_type = 'invoice' THEN debit_amount END), 0) AS invoiced,
         coalesce(sum(CASE WHEN transaction_type = 'payment' THEN credit_amount END), 0) AS paid,
         coalesce(sum(debit_amount - credit_amount), 0) AS outstanding
  FROM sales_account_ledgers WHERE deleted_at IS NULL AND status <> 'cancelled' AND ${inPeriod('transaction_date')}`;

const ENGAGEMENTS = `
  SELECT count(*) AS n FROM sales_lead_engagement e
  WHERE e.deleted_at IS NULL AND e.engagement_date BETWEEN @from AND @to`;

const FOLLOW_UPS = `
  SELECT count(*) AS pending, coalesce(sum(m.follow_up_date < @as_of), 0) AS overdue
  FROM sales_lead_milestones m JOIN sales_leads l ON l.id = m.lead_id AND l.deleted_at IS NULL
  WHERE m.follow_up_required = 1 AND m.follow_up_completed_at IS NULL AND m.deleted_at IS NULL`;

const CUSTOMERS = 'SELECT count(*) AS n FROM sales_customers WHERE deleted_at IS NULL';

/**
 * SPEC §5 KPI dashboard as of a date: dated records (leads, bookings, ledger
 * entries) count when dated on or before as_of and inside the optional period.
 */
export function dashboardReport(db: Db, p: Period & AsOf): Dashboard {
  const to = p.to && p.to < p.as_of ? p.to : p.as_of;
  const window = { from: p.from ?? null, to };
  const leads = statement(db, LEADS).get(window) as { total: number; converted: number; qualified: number; active: number };
  const bookings = statement(db, BOOKINGS).get(window) as { bookings: number; amount: number; customers: number };
  const ledger = statement(db, LEDGER).get(window) as { invoiced: number; paid: number; outstanding: number };
  const customerCount = (statement(db, CUSTOMERS).get() as { n: number }).n;
  const month = monthOf(p.as_of);
  const monthRange = (m: string) => ({ from: `${m}-01`, to: lastDayOfMonth(m) });
  const engagements = (statement(db, ENGAGEMENTS).get(monthRange(month)) as { n: number }).n;
  const followUps = statement(db, FOLLOW_UPS).get({ as_of: p.as_of }) as { pending: number; overdue: number };
  const cohortRate = (m: string) => {
    const c = statement(db, COHORT).get(monthRange(m)) as { total: number; converted: number };
    return percent(c.converted, c.total);
  };
  const thisMonth = cohortRate(month);
  const lastMonth = cohortRate(addMonths(month, -1));
  return {
    as_of: p.as_of,
    total_leads: leads.total,
    converted_leads: leads.converted,
    qualified_leads: leads.qualified,
    conversion_rate: percent(leads.converted, leads.total),
    lead_quality: percent(leads.qualified, leads.total),
    customer_count: customerCount,
    active_customers: bookings.customers,
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
  };
}
