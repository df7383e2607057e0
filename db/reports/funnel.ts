import { addMonths, monthOf, monthsBetween } from '../values/dates.js';
import { percent } from '../values/money.js';
import { inEdgeDays, inWholeMonths, monthlySplit, type AsOf, type Db, type Period } from './params.js';
import { all, onSqlite, type ReportPlan } from './plan.js';

export interface FunnelRow {
  month: string;
  total_leads: number;
  contacted: number;
  qualified: number;
  negotiation: number;
  converted: number;
  lost: number;
  conversion_rate: number;
}

// SPEC §5 v_lead_funnel_analysis: monthly cohorts by lead_date; contacted/qualified/
// negotiation count leads that *reached* the rank (kept on the lead as reached_rank),
// converted/lost count the current status.
// It reads the aggregates kept by triggers (migrations 0003, 0007), not the leads:
// whole months from the monthly table, the days of a partial month from the day totals.
const SQL = `
  SELECT month, sum(n) AS total_leads, sum(contacted) AS contacted, sum(qualified) AS qualified, sum(negotiation) AS negotiation,
         sum(converted) AS converted, sum(lost) AS lost
  FROM (
    SELECT month, n, contacted, qualified, negotiation, converted, lost FROM agg_leads_monthly WHERE ${inWholeMonths()}
    UNION ALL
    SELECT substr(lead_date, 1, 7), n, contacted, qualified, negotiation, converted, lost
    FROM agg_leads_daily_totals WHERE ${inEdgeDays('lead_date')}
  ) AS counts
  GROUP BY month`;

/** One row per month, empty months included; the last 12 months up to as_of by default. */
export function* funnelPlan(p: Period & AsOf): ReportPlan<FunnelRow[]> {
  const to = p.to ?? p.as_of;
  const from = p.from ?? `${addMonths(monthOf(p.as_of), -11)}-01`;
  if (from > to) return [];
  const byMonth = new Map((yield* all<Omit<FunnelRow, 'conversion_rate'>>(SQL, monthlySplit(from, to))).map((r) => [r.month, r]));
  return monthsBetween(from, to).map((month) => {
    const r = byMonth.get(month) ?? { month, total_leads: 0, contacted: 0, qualified: 0, negotiation: 0, converted: 0, lost: 0 };
    return { ...r, conversion_rate: percent(r.converted, r.total_leads) };
  });
}

export const funnelReport = (db: Db, p: Period & AsOf) => onSqlite(db, funnelPlan(p));
