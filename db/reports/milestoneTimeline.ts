import { inPeriod, periodParams, type Db, type Period } from './params.js';
import { statement } from '../statements.js';

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
// between them. The first milestone has no previous one (null).
const SQL = `
  SELECT * FROM (
    SELECT m.lead_id, m.id AS milestone_id,
           row_number() OVER w AS sequence,
           m.milestone_type, m.milestone_date, m.milestone_time, m.location_name, m.visited_by, m.outcome,
           m.follow_up_date, m.notes,
           CAST(julianday(m.milestone_date) - julianday(lag(m.milestone_date) OVER w) AS INTEGER) AS days_since_previous,
           CAST(julianday(m.milestone_date) - julianday(first_value(m.milestone_date) OVER w) AS INTEGER) AS days_since_first
    FROM sales_lead_milestones m
    WHERE m.lead_id = @lead AND m.deleted_at IS NULL
    WINDOW w AS (ORDER BY m.milestone_date, coalesce(m.milestone_time, ''), m.created_at, m.id)
  ) WHERE ${inPeriod('milestone_date')}
  ORDER BY sequence`;

export function milestoneTimelineReport(db: Db, p: Period & { lead_id: string }): MilestoneTimelineRow[] {
  return statement(db, SQL).all({ ...periodParams(p), lead: p.lead_id }) as MilestoneTimelineRow[];
}
