import { percent } from '../values/money.js';
import { inEdgeDays, inWholeMonths, monthlySplit, type Db, type Period } from './params.js';
import { all, onSqlite, type ReportPlan } from './plan.js';

export interface SourcePerformanceRow {
  source_id: string | null;
  source_name: string;
  source_type: string | null;
  subsource_name: string | null;
  channel: string | null;
  total_leads: number;
  qualified_leads: number;
  converted_leads: number;
  lost_leads: number;
  conversion_rate: number;
}

// SPEC §5 v_lead_source_performance. Every live source has a row (0 leads included);
// leads without a source form one row with source_id null. Counts come from the
// aggregates kept by triggers (migrations 0006, 0007).
// Every live source with its counts (0 leads included), and the leads of no source as one
// row; `counts` holds a source's totals by source_id (null: no source).
const bySource = (counts: string) => `
  WITH counts AS (${counts})
  SELECT s.id AS source_id, s.source_name, s.source_type, s.subsource_name, s.channel,
         coalesce(c.total_leads, 0) AS total_leads, coalesce(c.qualified_leads, 0) AS qualified_leads,
         coalesce(c.converted_leads, 0) AS converted_leads, coalesce(c.lost_leads, 0) AS lost_leads
  FROM sales_lead_sources s LEFT JOIN counts c ON c.source_id = s.id
  WHERE s.deleted_at IS NULL OR c.total_leads > 0
  UNION ALL
  SELECT NULL, '(no source)', NULL, NULL, NULL, total_leads, qualified_leads, converted_leads, lost_leads
  FROM counts WHERE source_id IS NULL
  ORDER BY total_leads DESC, source_name`;

// Over all time (the report's default): the per-source totals, one row each ('' stands for no source).
const ALL_TIME_SQL = bySource(`
    SELECT nullif(source_key, '') AS source_id, n AS total_leads, qualified AS qualified_leads, converted AS converted_leads, lost AS lost_leads
    FROM agg_leads_source_totals WHERE n > 0`);

// Over a period: whole months and the days at its ends, each grouped on its own (the
// monthly table in key order).
const BY_PERIOD_SQL = bySource(`
    SELECT nullif(source_key, '') AS source_id, sum(n) AS total_leads, sum(qualified) AS qualified_leads,
           sum(converted) AS converted_leads, sum(lost) AS lost_leads
    FROM (
      SELECT source_key, sum(n) AS n, sum(qualified) AS qualified, sum(converted) AS converted, sum(lost) AS lost
      FROM agg_leads_source_monthly WHERE ${inWholeMonths()} GROUP BY source_key
      UNION ALL
      SELECT source_key, sum(n), sum(CASE WHEN reached_rank >= 2 THEN n ELSE 0 END), sum(CASE WHEN status = 'converted' THEN n ELSE 0 END),
             sum(CASE WHEN status = 'lost' THEN n ELSE 0 END)
      FROM agg_leads_source_daily WHERE ${inEdgeDays('lead_date')} GROUP BY source_key
    ) AS by_source
    GROUP BY source_key HAVING sum(n) > 0`);

export function* sourcePerformancePlan(p: Period): ReportPlan<SourcePerformanceRow[]> {
  const period = Boolean(p.from || p.to);
  const rows = yield* all<Omit<SourcePerformanceRow, 'conversion_rate'>>(period ? BY_PERIOD_SQL : ALL_TIME_SQL, period ? monthlySplit(p.from, p.to) : {});
  return rows.map((r) => ({
    ...r,
    conversion_rate: percent(r.converted_leads, r.total_leads),
  }));
}

export const sourcePerformanceReport = (db: Db, p: Period) => onSqlite(db, sourcePerformancePlan(p));
