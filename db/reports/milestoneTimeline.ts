import { inPeriod, periodParams, type Db, type Period } from './params.js';
import { all, onSqlite, type ReportPlan } from './plan.js';

export interface MilestoneTimelineRow {
  lead_id: string;
  milestone_id: string;
  sequence: number;
  milestone_type: string;
  milestone_date: string;
  milestone_time: string | null;
  location_name: string | null;
  visited_by: string | null;
  outcome: string | null;
  follow_up_date: string | null;
  notes: string | null;
  days_since_previous: number | null;
  days_since_first: number;
}

// SPEC §5 v_lead_milestone_timeline: a lead's milestones in order with the days
// between them (the first has no previous one: null). The view partitions by lead,
// and SQLite pushes the lead filter into it, so this reads one lead's index range.
const SQL = `
  SELECT * FROM v_lead_milestone_timeline
  WHERE lead_id = @lead AND ${inPeriod('milestone_date')}
  ORDER BY sequence`;

export function* milestoneTimelinePlan(p: Period & { lead_id: string }): ReportPlan<MilestoneTimelineRow[]> {
  return yield* all<MilestoneTimelineRow>(SQL, { ...periodParams(p), lead: p.lead_id });
}

export const milestoneTimelineReport = (db: Db, p: Period & { lead_id: string }) => onSqlite(db, milestoneTimelinePlan(p));
