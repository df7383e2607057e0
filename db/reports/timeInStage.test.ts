import { describe, expect, it } from 'vitest';
import { campaignService, leadSourceService } from '../../main/services/catalog.js';
import { leadService, leadStages } from '../../main/services/leads.js';
import { createMilestone } from '../../main/services/milestones.js';
import { runReport } from '../../main/services/reports.js';
import { useTenant } from '../../test/tenantFixture.js';
import { percentile, type StageTimingRow } from './timeInStage.js';

// Time in stage over a hand-made history (UTC; a milestone with no time moves
// its lead at 00:00 of its date; a lead enters `new` at its lead_date). As of
// 2025-09-30, so open stages run to 2025-10-01T00:00Z.
//   A Website/Launch: new 09-01, contacted 09-04, qualified 09-11, negotiation 09-21
//       → in new 3, contacted 7, qualified 10, negotiation 10; reach 3, 10, 20
//   B Website:        new 09-01, contacted 09-02, lost 09-06 → new 1, contacted 4; reach contacted 1, lost 5
//   C Expo/Launch:    new 09-10, qualified 09-20 → new 10, qualified 11; reach qualified 10
//   D no source:      new 09-15 → new 16
const t = useTenant((ctx) => {
  leadSourceService.create(ctx, { id: 'S1', source_name: 'Website', source_type: 'website' });
  leadSourceService.create(ctx, { id: 'S2', source_name: 'Expo', source_type: 'event' });
  campaignService.create(ctx, { id: 'C1', campaign_code: 'L-1', campaign_name: 'Launch', campaign_type: 'digital' });
  leadService.create(ctx, { id: 'A', name: 'A', lead_date: '2025-09-01', source_id: 'S1', campaign_id: 'C1' });
  leadService.create(ctx, { id: 'B', name: 'B', lead_date: '2025-09-01', source_id: 'S1' });
  leadService.create(ctx, { id: 'C', name: 'C', lead_date: '2025-09-10', source_id: 'S2', campaign_id: 'C1' });
  leadService.create(ctx, { id: 'D', name: 'D', lead_date: '2025-09-15' });
  const m = (lead_id: string, milestone_type: string, milestone_date: string) => createMilestone(ctx, { lead_id, milestone_type, milestone_date });
  m('A', 'contacted', '2025-09-04');
  m('A', 'site_visit', '2025-09-11');
  m('A', 'proposal', '2025-09-21');
  m('B', 'contacted', '2025-09-02');
  m('B', 'cancellation', '2025-09-06');
  m('C', 'demo', '2025-09-20');
});

describe('time in stage (issue 8)', () => {
  it('gives a lead its stages with the days in each', () => {
    const a = leadStages(t.ctx, { id: 'A', as_of: '2025-09-30' });
    expect(a.spans.map((s) => [s.stage, s.days])).toEqual([['new', 3], ['contacted', 7], ['qualified', 10], ['negotiation', 10]]);
    expect(a.days_in).toEqual({ new: 3, contacted: 7, qualified: 10, negotiation: 10 });
    expect(leadStages(t.ctx, { id: 'B', as_of: '2025-09-30' }).days_in).toEqual({ new: 1, contacted: 4, lost: 25 });
  });

  it('gives medians and 90th percentiles to and in each stage, overall, by source and by campaign', () => {
    const rows = runReport(t.ctx, 'stage-timing', { as_of: '2025-09-30' }) as StageTimingRow[];
    const of = (group: string, name: string, stage: string) => {
      const r = rows.find((x) => x.group === group && x.group_name === name && x.stage === stage)!;
      return [r.leads_reached, r.median_days_to_reach, r.p90_days_to_reach, r.leads_in_stage, r.median_days_in_stage, r.p90_days_in_stage];
    };
    // new: in [1, 3, 10, 16] → median 6.5, p90 10 + 0.7 × 6 = 14.2
    expect(of('all', 'All leads', 'new')).toEqual([0, null, null, 4, 6.5, 14.2]);
    // contacted: reached [1, 3] → 2 and 2.8; in [4, 7] → 5.5 and 6.7
    expect(of('all', 'All leads', 'contacted')).toEqual([2, 2, 2.8, 2, 5.5, 6.7]);
    expect(of('all', 'All leads', 'qualified')).toEqual([2, 10, 10, 2, 10.5, 10.9]);
    expect(of('all', 'All leads', 'negotiation')).toEqual([1, 20, 20, 1, 10, 10]);
    expect(of('all', 'All leads', 'lost')).toEqual([1, 5, 5, 0, null, null]);
    expect(of('source', 'Website', 'new')).toEqual([0, null, null, 2, 2, 2.8]);
    expect(of('source', 'Expo', 'qualified')).toEqual([1, 10, 10, 1, 11, 11]);
    expect(of('source', '(no source)', 'new')).toEqual([0, null, null, 1, 16, 16]);
    expect(of('campaign', 'Launch', 'new')).toEqual([0, null, null, 2, 6.5, 9.3]);
    expect(rows.filter((r) => r.group === 'campaign').map((r) => r.group_name)).not.toContain('(no source)');
  });

  it('counts only the period\'s leads (by lead_date)', () => {
    const rows = runReport(t.ctx, 'stage-timing', { from: '2025-09-10', to: '2025-09-30', as_of: '2025-09-30' }) as StageTimingRow[];
    expect(rows.find((r) => r.group === 'all' && r.stage === 'new')).toMatchObject({ leads_in_stage: 2, median_days_in_stage: 13, p90_days_in_stage: 15.4 });
  });

  it('interpolates percentiles between the nearest values', () => {
    expect(percentile([1, 3, 10, 16], 0.5)).toBe(6.5);
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });
});
