import { percent } from '../values/money.js';
import { all, onSqlite, type ReportPlan } from './plan.js';
import { inPeriod, periodParams, type Db, type Period } from './params.js';

// Site visits (and revisits) per staff member over a period, by milestone
// date: how many carried a GPS fix, how many could be judged against a project site,
// and how many of those were off site.

export interface SiteVisitsRow {
  visited_by: string | null;
  visits: number;
  located: number;
  judged: number;
  off_site: number;
  /** Off-site visits as a percentage of the judged ones. */
  off_site_share: number;
  /** Mean accuracy of the fixes, in metres (null without any). */
  mean_accuracy_m: number | null;
  positive: number;
}

const SQL = `
  SELECT m.visited_by, count(*) AS visits,
         sum(CASE WHEN m.location_latitude IS NOT NULL THEN 1 ELSE 0 END) AS located,
         sum(CASE WHEN m.off_site IS NOT NULL THEN 1 ELSE 0 END) AS judged,
         sum(CASE WHEN m.off_site = 1 THEN 1 ELSE 0 END) AS off_site,
         avg(m.location_accuracy_m) AS mean_accuracy_m,
         sum(CASE WHEN m.outcome = 'positive' THEN 1 ELSE 0 END) AS positive
  FROM sales_lead_milestones m JOIN sales_leads l ON l.id = m.lead_id AND l.deleted_at IS NULL
  WHERE m.deleted_at IS NULL AND m.milestone_type IN ('site_visit', 'revisit') AND ${inPeriod('m.milestone_date')}
  GROUP BY m.visited_by
  ORDER BY count(*) DESC, coalesce(m.visited_by, '')`;

export function* siteVisitsPlan(p: Period): ReportPlan<SiteVisitsRow[]> {
  const rows = yield* all<Omit<SiteVisitsRow, 'off_site_share'>>(SQL, periodParams(p));
  return rows.map((r) => ({
    visited_by: r.visited_by,
    visits: r.visits,
    located: r.located,
    judged: r.judged,
    off_site: r.off_site,
    off_site_share: percent(r.off_site, r.judged),
    mean_accuracy_m: r.mean_accuracy_m === null ? null : Math.round(Number(r.mean_accuracy_m) * 10) / 10,
    positive: r.positive,
  }));
}

export const siteVisitsReport = (db: Db, p: Period) => onSqlite(db, siteVisitsPlan(p));
