import { leadStatuses, type LeadStatus } from '../schema/enums.js';
import { addDays, instantOf } from '../values/dates.js';
import { all, onSqlite, type ReportPlan } from './plan.js';
import { inPeriod, periodParams, type AsOf, type Db, type Period } from './params.js';

// "time in stage", from the status history: how long a lead spent in each
// stage, and over a period's leads (by lead_date) the median and 90th percentile days
// from `new` to each stage and in each stage — overall, by source and by campaign.
// A stage still open counts up to the end of as_of in the tenant's time zone. Days are
// exact (instants apart / 24 h), shown to one decimal; percentiles interpolate between
// the two nearest values (Postgres' percentile_cont).

const DAY_MS = 86_400_000;

export interface StageSpan {
  stage: LeadStatus;
  entered_at: string;
  left_at: string | null;
  days: number;
}

interface HistoryRow {
  lead_id: string;
  to_status: LeadStatus;
  changed_at: string;
}

/** A lead's history as spans, oldest first: each stage from entering it to the next change (or `end`). */
export function spansOf(history: HistoryRow[], end: string): StageSpan[] {
  return history.map((h, i) => {
    const next = history[i + 1]?.changed_at ?? null;
    const until = next ?? (end > h.changed_at ? end : h.changed_at);
    return { stage: h.to_status, entered_at: h.changed_at, left_at: next, days: (Date.parse(until) - Date.parse(h.changed_at)) / DAY_MS };
  });
}

export const round1 = (n: number) => Math.round(n * 10) / 10;

/** Linear-interpolated percentile of sorted values (p in 0..1); null for none. */
export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

const HISTORY = `
  SELECT h.lead_id, h.to_status, h.changed_at FROM sales_lead_status_history h
  WHERE h.lead_id = @lead AND h.deleted_at IS NULL ORDER BY h.changed_at, h.created_at, h.id`;

export interface LeadStages {
  lead_id: string;
  spans: StageSpan[];
  /** Days in each stage, summed over every stay in it. */
  days_in: Partial<Record<LeadStatus, number>>;
}

/** The end of as_of: the start of the next day in the tenant's time zone. */
const endOf = (asOf: string, timezone: string) => instantOf(addDays(asOf, 1), null, timezone).toISOString();

export function* leadStagesPlan(p: { lead_id: string; as_of: string; timezone: string }): ReportPlan<LeadStages> {
  const spans = spansOf(yield* all<HistoryRow>(HISTORY, { lead: p.lead_id }), endOf(p.as_of, p.timezone));
  const days: Partial<Record<LeadStatus, number>> = {};
  for (const s of spans) days[s.stage] = (days[s.stage] ?? 0) + s.days;
  return {
    lead_id: p.lead_id,
    spans: spans.map((s) => ({ ...s, days: round1(s.days) })),
    days_in: Object.fromEntries(Object.entries(days).map(([k, v]) => [k, round1(v)])),
  };
}

export interface StageTimingRow {
  group: 'all' | 'source' | 'campaign';
  group_id: string | null;
  group_name: string;
  stage: LeadStatus;
  leads_reached: number;
  median_days_to_reach: number | null;
  p90_days_to_reach: number | null;
  leads_in_stage: number;
  median_days_in_stage: number | null;
  p90_days_in_stage: number | null;
}

const PERIOD_HISTORY = `
  SELECT l.id AS lead_id, l.source_id, l.campaign_id, h.to_status, h.changed_at
  FROM sales_leads l JOIN sales_lead_status_history h ON h.lead_id = l.id AND h.deleted_at IS NULL
  WHERE l.deleted_at IS NULL AND ${inPeriod('l.lead_date')}
  ORDER BY l.id, h.changed_at, h.created_at, h.id`;

const NAMES = `
  SELECT 'source' AS kind, id, source_name AS name FROM sales_lead_sources
  UNION ALL SELECT 'campaign', id, campaign_name FROM sales_campaigns`;

/** Stages a lead moves on to (days to reach) and stages it waits in (days in). */
const REACHED: LeadStatus[] = ['contacted', 'qualified', 'negotiation', 'converted', 'lost'];
const WAITING: LeadStatus[] = ['new', 'contacted', 'qualified', 'negotiation'];

export function* stageTimingPlan(p: Period & AsOf & { timezone: string }): ReportPlan<StageTimingRow[]> {
  const rows = yield* all<HistoryRow & { source_id: string | null; campaign_id: string | null }>(PERIOD_HISTORY, periodParams(p));
  const names = new Map((yield* all<{ kind: string; id: string; name: string }>(NAMES)).map((n) => [`${n.kind}:${n.id}`, n.name]));
  const end = endOf(p.as_of, p.timezone);
  type Sample = { toReach: Map<LeadStatus, number[]>; inStage: Map<LeadStatus, number[]> };
  const groups = new Map<string, Sample & { group: StageTimingRow['group']; id: string | null }>();
  const sample = (group: StageTimingRow['group'], id: string | null) => {
    const key = `${group}:${id ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { group, id, toReach: new Map(), inStage: new Map() }));
    return g;
  };
  const push = (m: Map<LeadStatus, number[]>, stage: LeadStatus, v: number) => (m.get(stage) ?? m.set(stage, []).get(stage)!).push(v);
  sample('all', null);
  for (let i = 0; i < rows.length; ) {
    const lead = rows[i]!;
    let j = i;
    while (j < rows.length && rows[j]!.lead_id === lead.lead_id) j += 1;
    const spans = spansOf(rows.slice(i, j), end);
    i = j;
    const start = Date.parse(spans[0]!.entered_at);
    const reach = new Map<LeadStatus, number>();
    const stay = new Map<LeadStatus, number>();
    for (const s of spans) {
      if (!reach.has(s.stage)) reach.set(s.stage, (Date.parse(s.entered_at) - start) / DAY_MS);
      stay.set(s.stage, (stay.get(s.stage) ?? 0) + s.days);
    }
    for (const g of [sample('all', null), sample('source', lead.source_id), ...(lead.campaign_id ? [sample('campaign', lead.campaign_id)] : [])]) {
      for (const stage of REACHED) if (reach.has(stage)) push(g.toReach, stage, reach.get(stage)!);
      for (const stage of WAITING) if (stay.has(stage)) push(g.inStage, stage, stay.get(stage)!);
    }
  }
  const out: StageTimingRow[] = [];
  const order = { all: 0, source: 1, campaign: 2 };
  const named = [...groups.values()].map((g) => ({ ...g, name: g.group === 'all' ? 'All leads' : g.id === null ? '(no source)' : names.get(`${g.group}:${g.id}`) ?? g.id }));
  named.sort((a, b) => order[a.group] - order[b.group] || a.name.localeCompare(b.name) || String(a.id).localeCompare(String(b.id)));
  const stat = (values: number[] | undefined, q: number) => {
    const v = percentile([...(values ?? [])].sort((a, b) => a - b), q);
    return v === null ? null : round1(v);
  };
  for (const g of named) {
    for (const stage of leadStatuses) {
      const reach = g.toReach.get(stage);
      const stay = g.inStage.get(stage);
      if (!reach && !stay) continue;
      out.push({
        group: g.group, group_id: g.id, group_name: g.name, stage,
        leads_reached: reach?.length ?? 0, median_days_to_reach: stat(reach, 0.5), p90_days_to_reach: stat(reach, 0.9),
        leads_in_stage: stay?.length ?? 0, median_days_in_stage: stat(stay, 0.5), p90_days_in_stage: stat(stay, 0.9),
      });
    }
  }
  return out;
}

export const stageTimingReport = (db: Db, p: Period & AsOf & { timezone: string }) => onSqlite(db, stageTimingPlan(p));
export const leadStagesReport = (db: Db, p: { lead_id: string; as_of: string; timezone: string }) => onSqlite(db, leadStagesPlan(p));
