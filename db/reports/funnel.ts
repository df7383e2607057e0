import { addMonths, monthOf, monthsBetween } from '../../main/domain/dates.js';
import { statement } from '../statements.js';
import { percent } from '../../main/domain/money.js';
import type { AsOf, Db, Period } from './params.js';

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
// It reads the daily aggregate kept by triggers (migration 0003), not the leads.
const SQL = `
  SELECT substr(lead_date, 1, 7) AS month, sum(n) AS total_leads,
         sum(CASE WHEN reached_rank >= 1 THEN n ELSE 0 END) AS contacted, sum(CASE WHEN reached_rank >= 2 THEN n ELSE 0 END) AS qualified,
         sum(CASE WHEN reached_rank >= 3 THEN n ELSE 0 END) AS negotiation,
         sum(CASE WHEN status = 'converted' THEN n ELSE 0 END) AS converted, sum(CASE WHEN status = 'lost' THEN n ELSE 0 END) AS lost
  FROM agg_leads_daily
  WHERE lead_date >= @from AND lead_date <= @to
  GROUP BY substr(lead_date, 1, 7)`;

/** One row per month, empty months included; the last 12 months up to as_of by default. */
export function funnelReport(db: Db, p: Period & AsOf): FunnelRow[] {
  const to = p.to ?? p.as_of;
  const from = p.from ?? `${addMonths(monthOf(p.as_of), -11)}-01`;
  if (from > to) return [];
  const byMonth = new Map(
    (statement(db, SQL).all({ from, to }) as Omit<FunnelRow, 'conversion_rate'>[]).map((r) => [r.month, r]),
  );
  return monthsBetween(from, to).map((month) => {
    const r = byMonth.get(month) ?? { month, total_leads: 0, contacted: 0, qualified: 0, negotiation: 0, converted: 0, lost: 0 };
    return { ...r, conversion_rate: percent(r.converted, r.total_leads) };
  });
}
