import { fromMinor, percent, ratio } from '../values/money.js';
import { inEdgeDays, inWholeMonths, monthlySplit, type Db, type Period } from './params.js';
import { all, onSqlite, type ReportPlan } from './plan.js';

export interface CampaignPerformanceRow {
  campaign_id: string;
  campaign_code: string;
  campaign_name: string;
  campaign_type: string;
  status: string;
  budget: number;
  expected_roi: number | null;
  total_leads: number;
  converted_leads: number;
  conversion_rate: number;
  booked_amount: number;
  cost_per_lead: number;
  actual_roi: number;
}

// SPEC §5 v_campaign_performance: booked_amount sums the non-cancelled bookings of
// the campaign's leads (the period filters the leads by lead_date).
const SQL = `
  WITH lead_counts AS (
    -- leads and bookings per campaign kept by triggers (migrations 0005, 0007), each
    -- part grouped on its own (the monthly ones in key order)
    SELECT campaign_id, sum(n) AS total_leads, sum(converted) AS converted_leads
    FROM (
      SELECT campaign_id, sum(n) AS n, sum(converted) AS converted FROM agg_leads_campaign_monthly WHERE ${inWholeMonths()} GROUP BY campaign_id
      UNION ALL
      SELECT campaign_id, sum(n), sum(converted) FROM agg_leads_campaign_daily WHERE ${inEdgeDays('lead_date')} GROUP BY campaign_id
    ) AS leads
    GROUP BY campaign_id
  ), booked AS (
    SELECT campaign_id, sum(amount) AS booked_minor
    FROM (
      SELECT campaign_id, sum(amount) AS amount FROM agg_campaign_bookings_monthly WHERE ${inWholeMonths()} GROUP BY campaign_id
      UNION ALL
      SELECT campaign_id, sum(amount) FROM agg_campaign_bookings_daily WHERE ${inEdgeDays('lead_date')} GROUP BY campaign_id
    ) AS amounts
    GROUP BY campaign_id
  )
  SELECT c.id AS campaign_id, c.campaign_code, c.campaign_name, c.campaign_type, c.status, c.budget AS budget_minor,
         c.expected_roi, coalesce(lc.total_leads, 0) AS total_leads, coalesce(lc.converted_leads, 0) AS converted_leads,
         coalesce(bk.booked_minor, 0) AS booked_minor
  FROM sales_campaigns c
  LEFT JOIN lead_counts lc ON lc.campaign_id = c.id
  LEFT JOIN booked bk ON bk.campaign_id = c.id
  WHERE c.deleted_at IS NULL
  ORDER BY c.campaign_code`;

interface Raw extends Omit<CampaignPerformanceRow, 'budget' | 'booked_amount' | 'conversion_rate' | 'cost_per_lead' | 'actual_roi'> {
  budget_minor: number;
  booked_minor: number;
}

export function* campaignPerformancePlan(p: Period): ReportPlan<CampaignPerformanceRow[]> {
  return (yield* all<Raw>(SQL, monthlySplit(p.from, p.to))).map(({ budget_minor, booked_minor, ...r }) => ({
    campaign_id: r.campaign_id,
    campaign_code: r.campaign_code,
    campaign_name: r.campaign_name,
    campaign_type: r.campaign_type,
    status: r.status,
    budget: fromMinor(budget_minor),
    expected_roi: r.expected_roi,
    total_leads: r.total_leads,
    converted_leads: r.converted_leads,
    conversion_rate: percent(r.converted_leads, r.total_leads),
    booked_amount: fromMinor(booked_minor),
    // budget / total_leads in money, and (booked − budget) / budget × 100 (SPEC §5).
    cost_per_lead: ratio(budget_minor, r.total_leads * 100),
    actual_roi: percent(booked_minor - budget_minor, budget_minor),
  }));
}

export const campaignPerformanceReport = (db: Db, p: Period) => onSqlite(db, campaignPerformancePlan(p));
