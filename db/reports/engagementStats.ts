import { engagementChannels, engagementTypes } from '../schema/enums.js';
import { percent, ratio } from '../values/money.js';
import { inPeriod, periodParams, type Db, type Period } from './params.js';
import { all, one, onSqlite, type ReportPlan } from './plan.js';

export interface EngagementStats {
  lead_id: string;
  total_engagements: number;
  by_type: Record<string, number>;
  by_channel: Record<string, number>;
  responses_received: number;
  response_rate: number;
  /** Mean hours from engagement_date to response_date over the answered ones. */
  avg_response_hours: number;
  total_duration_seconds: number;
  last_engagement_date: string | null;
}

const FILTER = `lead_id = @lead AND deleted_at IS NULL AND ${inPeriod('engagement_date')}`;

const TOTALS = `
  SELECT count(*) AS total, coalesce(sum(response_received), 0) AS responses,
         coalesce(sum(CASE WHEN response_received = 1 AND response_date IS NOT NULL
                      THEN julianday(response_date) - julianday(engagement_date) END), 0) AS response_days,
         coalesce(sum(CASE WHEN response_received = 1 AND response_date IS NOT NULL THEN 1 ELSE 0 END), 0) AS timed_responses,
         coalesce(sum(duration_seconds), 0) AS duration, max(engagement_date) AS last_date
  FROM sales_lead_engagement WHERE ${FILTER}`;

const BY = (column: string) => `SELECT ${column} AS key, count(*) AS n FROM sales_lead_engagement WHERE ${FILTER} GROUP BY ${column}`;

/** SPEC §5 engagement stats for one lead. */
export function* engagementStatsPlan(p: Period & { lead_id: string }): ReportPlan<EngagementStats> {
  const params = { ...periodParams(p), lead: p.lead_id };
  const t = yield* one<{ total: number; responses: number; response_days: number; timed_responses: number; duration: number; last_date: string | null }>(TOTALS, params);
  const counts = function* (column: string, keys: readonly string[]) {
    const found = new Map((yield* all<{ key: string; n: number }>(BY(column), params)).map((r) => [r.key, r.n]));
    return Object.fromEntries(keys.map((k) => [k, found.get(k) ?? 0]));
  };
  const byType = yield* counts('engagement_type', engagementTypes);
  const byChannel = yield* counts('engagement_channel', engagementChannels);
  return {
    lead_id: p.lead_id,
    total_engagements: t.total,
    by_type: byType,
    by_channel: byChannel,
    responses_received: t.responses,
    response_rate: percent(t.responses, t.total),
    avg_response_hours: ratio(Math.round(t.response_days * 24), t.timed_responses),
    total_duration_seconds: t.duration,
    last_engagement_date: t.last_date,
  };
}

export const engagementStatsReport = (db: Db, p: Period & { lead_id: string }) => onSqlite(db, engagementStatsPlan(p));
