import { describe, expect, it } from 'vitest';
import { useSmallDataset } from '../../test/smallDataset.js';
import { bookingSummaryReport } from './bookingSummary.js';
import { campaignPerformanceReport } from './campaignPerformance.js';
import { customerLedgerSummary } from './customerLedgerSummary.js';
import { engagementStatsReport } from './engagementStats.js';
import { funnelReport } from './funnel.js';
import { milestoneTimelineReport } from './milestoneTimeline.js';
import { sourcePerformanceReport } from './sourcePerformance.js';

// Every expected value below was worked out by hand from test/smallDataset.ts.
const small = useSmallDataset();

const empty = { total_leads: 0, contacted: 0, qualified: 0, negotiation: 0, converted: 0, lost: 0, conversion_rate: 0 };

describe('funnel report (SPEC §5 v_lead_funnel_analysis)', () => {
  it('counts monthly cohorts by rank reached and current status, empty months included', () => {
    expect(funnelReport(small.t.ctx.db, { from: '2025-09-01', to: '2025-11-30', as_of: '2025-11-25' })).toEqual([
      // L1 reached 4, L2 1, L3 2 (then lost): 1 of 3 converted.
      { month: '2025-09', total_leads: 3, contacted: 3, qualified: 2, negotiation: 1, converted: 1, lost: 1, conversion_rate: 33.33 },
      { month: '2025-10', ...empty },
      // L5 reached converted before its booking was cancelled; L6 lost from new.
      { month: '2025-11', total_leads: 3, contacted: 1, qualified: 1, negotiation: 1, converted: 0, lost: 2, conversion_rate: 0 },
    ]);
  });

  it('defaults to the 12 months up to as_of', () => {
    const rows = funnelReport(small.t.ctx.db, { as_of: '2025-11-25' });
    expect(rows.map((r) => r.month)).toEqual([
      '2024-12', '2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11',
    ]);
    expect(rows.slice(0, 9).every((r) => r.total_leads === 0 && r.conversion_rate === 0)).toBe(true);
    expect(rows[9]?.total_leads).toBe(3);
  });
});

describe('source performance (SPEC §5)', () => {
  it('has a row per source, zero-lead sources included, and one for leads without a source', () => {
    const rows = sourcePerformanceReport(small.t.ctx.db, {});
    expect(rows).toEqual([
      { source_id: null, source_name: '(no source)', source_type: null, subsource_name: null, channel: null, total_leads: 2, qualified_leads: 1, converted_leads: 0, lost_leads: 2, conversion_rate: 0 },
      { source_id: 'S2', source_name: 'Expo', source_type: 'event', subsource_name: null, channel: null, total_leads: 2, qualified_leads: 1, converted_leads: 0, lost_leads: 1, conversion_rate: 0 },
      { source_id: 'S1', source_name: 'Website', source_type: 'website', subsource_name: 'Organic', channel: 'Organic Search', total_leads: 2, qualified_leads: 1, converted_leads: 1, lost_leads: 0, conversion_rate: 50 },
      { source_id: 'S3', source_name: 'Dormant', source_type: 'phone', subsource_name: null, channel: null, total_leads: 0, qualified_leads: 0, converted_leads: 0, lost_leads: 0, conversion_rate: 0 },
    ]);
  });

  it('filters leads by lead_date', () => {
    const rows = sourcePerformanceReport(small.t.ctx.db, { from: '2025-11-01', to: '2025-11-30' });
    expect(rows.find((r) => r.source_id === 'S1')?.total_leads).toBe(0);
    expect(rows.find((r) => r.source_id === null)?.total_leads).toBe(1);
  });
});

describe('campaign performance (SPEC §5)', () => {
  it('gives conversion, booked amount, cost per lead and actual ROI, with zero budgets', () => {
    expect(campaignPerformanceReport(small.t.ctx.db, {})).toEqual([
      // C1: L1, L2, L5; L1's 500000 booking counts, L5's cancelled one does not.
      {
        campaign_id: 'C1', campaign_code: 'CMP-1', campaign_name: 'Q3 digital', campaign_type: 'digital', status: 'active', budget: 10000, expected_roi: 300,
        total_leads: 3, converted_leads: 1, conversion_rate: 33.33, booked_amount: 500000, cost_per_lead: 3333.33, actual_roi: 4900,
      },
      {
        campaign_id: 'C2', campaign_code: 'CMP-2', campaign_name: 'Free referrals', campaign_type: 'referral', status: 'active', budget: 0, expected_roi: null,
        total_leads: 1, converted_leads: 0, conversion_rate: 0, booked_amount: 0, cost_per_lead: 0, actual_roi: 0,
      },
    ]);
  });
});

describe('booking summary (SPEC §5)', () => {
  it('has one row per status with counts, amounts, units and a half-up average', () => {
    expect(bookingSummaryReport(small.t.ctx.db, {})).toEqual([
      // 500000 + 250000.25 = 750000.25 over 2 = 375000.125 → 375000.13
      { status: 'confirmed', booking_count: 2, total_amount: 750000.25, units_booked: 2, average_amount: 375000.13 },
      { status: 'pending', booking_count: 1, total_amount: 100000.5, units_booked: 2, average_amount: 100000.5 },
      { status: 'cancelled', booking_count: 1, total_amount: 200000, units_booked: 1, average_amount: 200000 },
      { status: 'completed', booking_count: 0, total_amount: 0, units_booked: 0, average_amount: 0 },
      { status: 'on_hold', booking_count: 0, total_amount: 0, units_booked: 0, average_amount: 0 },
    ]);
  });
});

describe('customer ledger summary (SPEC §5)', () => {
  it('sums invoices, payments, credit notes and refunds per customer, including customers with no entries', () => {
    const rows = customerLedgerSummary(small.t.ctx.db, {});
    expect(rows.map(({ customer_id: _id, customer_code: _code, ...r }) => r)).toEqual([
      { customer_name: 'Lead L1', total_invoiced: 500000, total_paid: 100000, total_credit_notes: 0, total_debit_notes: 0, total_refunds: 0, outstanding_balance: 400000, entry_count: 2, last_transaction_date: '2025-10-15' },
      // 200000 − 60000 − 190000 + 50000 = 0: cancelled, forfeiture kept, the rest paid back.
      { customer_name: 'Lead L5', total_invoiced: 200000, total_paid: 60000, total_credit_notes: 190000, total_debit_notes: 0, total_refunds: 50000, outstanding_balance: 0, entry_count: 4, last_transaction_date: '2025-11-15' },
      { customer_name: 'Zed Without Entries', total_invoiced: 0, total_paid: 0, total_credit_notes: 0, total_debit_notes: 0, total_refunds: 0, outstanding_balance: 0, entry_count: 0, last_transaction_date: null },
    ]);
    expect(customerLedgerSummary(small.t.ctx.db, { customer_id: small.ids.k5 })).toHaveLength(1);
  });
});

describe('milestone timeline (SPEC §5)', () => {
  it("lists a lead's milestones in order with days since the previous and the first", () => {
    const rows = milestoneTimelineReport(small.t.ctx.db, { lead_id: 'L1' });
    expect(rows.map((r) => [r.sequence, r.milestone_type, r.milestone_date, r.days_since_previous, r.days_since_first])).toEqual([
      [1, 'site_visit', '2025-09-12', null, 0],
      [2, 'proposal', '2025-09-20', 8, 8],
      [3, 'booking', '2025-09-30', 10, 18],
    ]);
  });
});

describe('engagement stats (SPEC §5)', () => {
  it('counts by type and channel, response rate, mean response time and duration', () => {
    expect(engagementStatsReport(small.t.ctx.db, { lead_id: 'L2' })).toEqual({
      lead_id: 'L2',
      total_engagements: 3,
      by_type: { email_sent: 1, call_made: 1, message_sent: 1, meeting_scheduled: 0, proposal_sent: 0, quote_sent: 0 },
      by_channel: { email: 1, phone: 1, sms: 0, whatsapp: 1, in_person: 0, video: 0 },
      responses_received: 2,
      response_rate: 66.67,
      avg_response_hours: 24, // 48 h and 0 h
      total_duration_seconds: 300,
      last_engagement_date: '2025-11-24',
    });
  });

  it('answers zeros for a lead with no engagements', () => {
    expect(engagementStatsReport(small.t.ctx.db, { lead_id: 'L4' })).toMatchObject({ total_engagements: 0, response_rate: 0, avg_response_hours: 0, last_engagement_date: null });
  });
});
