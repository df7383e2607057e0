import { addDays, daysBetween } from '../values/dates.js';
import { all, onSqlite, type ReportPlan } from './plan.js';
import type { Db } from './params.js';

/** A lead's (alias `l`) last activity: its lead date or its latest milestone or engagement (migration 0009). */
export const LEAD_LAST_ACTIVITY = `max(l.lead_date,
  coalesce((SELECT max(milestone_date) FROM sales_lead_milestones WHERE lead_id = l.id AND deleted_at IS NULL), ''),
  coalesce((SELECT max(engagement_date) FROM sales_lead_engagement WHERE lead_id = l.id AND deleted_at IS NULL), ''))`;

// Stale leads: a lead in an open stage with no milestone or engagement for
// more than that stage's number of days (per tenant, sales_stage_settings; these
// defaults otherwise). The last activity is kept per lead by triggers (migration 0009).

export const OPEN_STAGES = ['new', 'contacted', 'qualified', 'negotiation'] as const;
export type OpenStage = (typeof OPEN_STAGES)[number];
export const STALE_DEFAULTS: Record<OpenStage, number> = { new: 3, contacted: 7, qualified: 14, negotiation: 7 };

const SETTINGS = 'SELECT id, stale_after_days FROM sales_stage_settings WHERE deleted_at IS NULL';

export function* staleThresholdsPlan(): ReportPlan<Record<OpenStage, number>> {
  const set = new Map((yield* all<{ id: string; stale_after_days: number }>(SETTINGS)).map((r) => [r.id, r.stale_after_days]));
  return Object.fromEntries(OPEN_STAGES.map((s) => [s, set.get(s) ?? STALE_DEFAULTS[s]])) as Record<OpenStage, number>;
}

/** SQL: stale when the last activity is before as_of minus the stage's days (params from `cutoffs`). */
export const staleWhere = (status: string, lastActivity: string) =>
  `(${OPEN_STAGES.map((s) => `(${status} = '${s}' AND ${lastActivity} < @before_${s})`).join(' OR ')})`;
const STALE = staleWhere('a.status', 'a.activity_date');
export const cutoffs = (asOf: string, days: Record<OpenStage, number>) => Object.fromEntries(OPEN_STAGES.map((s) => [`before_${s}`, addDays(asOf, -days[s])]));

// Counted as all open leads of a stage (from the daily lead counts) less the ones
// active since the cutoff (a short index range each): counting the stale ones
// directly would walk most of the open leads.
const OPEN_BY_STAGE = `
  SELECT status, sum(n) AS n FROM agg_leads_daily WHERE status IN (${OPEN_STAGES.map((s) => `'${s}'`).join(', ')}) GROUP BY status`;
const ACTIVE_SINCE = OPEN_STAGES.map((s) => `SELECT '${s}' AS status, count(*) AS n FROM agg_lead_activity WHERE status = '${s}' AND activity_date >= @before_${s}`).join('\n  UNION ALL ');

export function* staleCountPlan(asOf: string): ReportPlan<number> {
  const days = yield* staleThresholdsPlan();
  const open = yield* all<{ status: string; n: number }>(OPEN_BY_STAGE);
  const active = new Map((yield* all<{ status: string; n: number }>(ACTIVE_SINCE, cutoffs(asOf, days))).map((r) => [r.status, r.n]));
  return open.reduce((sum, r) => sum + r.n - (active.get(r.status) ?? 0), 0);
}

export interface StaleLead {
  lead_id: string;
  name: string;
  status: OpenStage;
  last_activity_date: string;
  idle_days: number;
  stale_after_days: number;
}

const LIST = `
  SELECT a.lead_id, l.name, a.status, a.activity_date AS last_activity_date
  FROM agg_lead_activity a JOIN sales_leads l ON l.id = a.lead_id
  WHERE ${STALE} AND (@ids IS NULL OR a.lead_id IN (SELECT value FROM json_each(@ids)))
  ORDER BY a.activity_date, a.lead_id
  LIMIT @limit OFFSET @offset`;

export interface StalePage {
  items: StaleLead[];
  /** Every stale lead as of the day (not only this page's, nor only the leads asked about). */
  total: number;
  limit: number;
  offset: number;
  next_offset: number | null;
}

/**
 * The stale leads, longest idle first, a page at a time, with how many there are in all;
 * `leadIds` asks about some leads only (the ones on a screen's page).
 */
export function* staleLeadsPlan(asOf: string, { limit = 100, offset = 0, leadIds }: { limit?: number; offset?: number; leadIds?: string[] } = {}): ReportPlan<StalePage> {
  const days = yield* staleThresholdsPlan();
  const rows = yield* all<Omit<StaleLead, 'idle_days' | 'stale_after_days'>>(LIST, {
    ...cutoffs(asOf, days), ids: leadIds ? JSON.stringify(leadIds) : null, limit: limit + 1, offset,
  });
  const total = yield* staleCountPlan(asOf);
  return {
    items: rows.slice(0, limit).map((r) => ({ ...r, idle_days: daysBetween(r.last_activity_date, asOf), stale_after_days: days[r.status] })),
    total,
    limit,
    offset,
    next_offset: rows.length > limit ? offset + limit : null,
  };
}

export const staleLeads = (db: Db, asOf: string, page: Parameters<typeof staleLeadsPlan>[1] = {}) => onSqlite(db, staleLeadsPlan(asOf, page));
export const staleThresholds = (db: Db) => onSqlite(db, staleThresholdsPlan());
