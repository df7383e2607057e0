import { fromMinor, percent, ratio } from '../../main/domain/money.js';
import { statement } from '../statements.js';
import { inPeriod, periodParams, type Db, type Period } from './params.js';

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
    SELECT campaign_id, count(*) AS total_leads, sum(status = 'converted') AS converted_leads
    FROM sales_leads WHERE deleted_at IS NULL AND campaign_id IS NOT NULL AND ${inPeriod('lead_date')}
    GROUP BY campaign_id
  ), booked AS (
    -- kept by triggers (migration 0005) instead of joining every booking to its lead
    SELECT campaign_id, sum(amount) AS booked_minor FROM agg_campaign_bookings_daily
    WHERE ${inPeriod('lead_date')} GROUP BY campaign_id
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

export function campaignPerformanceReport(db: Db, p: Period): CampaignPerformanceRow[] {
  return (statement(db, SQL).all(periodParams(p)) as Raw[]).map(({ budget_minor, booked_minor, ...r }) => ({
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
