import { describe, expect, it } from 'vitest';
import { leadService, listStaleLeads, setStaleAfter, staleSettings } from '../../main/services/leads.js';
import { createEngagement } from '../../main/services/engagements.js';
import { createMilestone } from '../../main/services/milestones.js';
import { runReport } from '../../main/services/reports.js';
import { useTenant, refusal } from '../../test/tenantFixture.js';
import type { Dashboard } from './dashboard.js';

// Stale leads on a hand-made set (UTC), as of 2025-11-10, default thresholds
// (new 3 days, contacted 7, qualified 14, negotiation 7):
//   N1 new since 11-01, nothing since          idle 9  > 3  stale
//   N2 new since 11-08                          idle 2       not stale
//   C1 contacted 11-02, engagement 11-05       idle 5  ≤ 7  not stale (stale as of 11-13: idle 8)
//   Q1 qualified by a site visit on 10-20      idle 21 > 14 stale
//   L1 lost                                     never stale
//   D1 new since 10-01, deleted                 not counted
const t = useTenant((ctx) => {
  leadService.create(ctx, { id: 'N1', name: 'N1', lead_date: '2025-11-01' });
  leadService.create(ctx, { id: 'N2', name: 'N2', lead_date: '2025-11-08' });
  leadService.create(ctx, { id: 'C1', name: 'C1', lead_date: '2025-11-01' });
  createMilestone(ctx, { lead_id: 'C1', milestone_type: 'contacted', milestone_date: '2025-11-02' });
  createEngagement(ctx, { lead_id: 'C1', engagement_type: 'call_made', engagement_channel: 'phone', engagement_date: '2025-11-05' });
  leadService.create(ctx, { id: 'Q1', name: 'Q1', lead_date: '2025-10-15' });
  createMilestone(ctx, { lead_id: 'Q1', milestone_type: 'site_visit', milestone_date: '2025-10-20' });
  leadService.create(ctx, { id: 'L1', name: 'L1', lead_date: '2025-10-01' });
  leadService.update(ctx, 'L1', { status: 'lost', lost_reason: 'Not reachable' });
  leadService.create(ctx, { id: 'D1', name: 'D1', lead_date: '2025-10-01' });
  leadService.remove(ctx, 'D1');
});

const dashboard = (as_of: string) => runReport(t.ctx, 'dashboard', { as_of }) as Dashboard;

describe('stale leads (issue 8)', () => {
  it('lists the stale leads, longest idle first, and counts them on the dashboard', () => {
    expect(listStaleLeads(t.ctx, { as_of: '2025-11-10' }).items).toEqual([
      { lead_id: 'Q1', name: 'Q1', status: 'qualified', last_activity_date: '2025-10-20', idle_days: 21, stale_after_days: 14 },
      { lead_id: 'N1', name: 'N1', status: 'new', last_activity_date: '2025-11-01', idle_days: 9, stale_after_days: 3 },
    ]);
    expect(dashboard('2025-11-10').stale_leads).toBe(2);
    expect(listStaleLeads(t.ctx, { as_of: '2025-11-13' }).items.map((l) => l.lead_id)).toEqual(['Q1', 'N1', 'C1', 'N2']);
    expect(dashboard('2025-11-13').stale_leads).toBe(4); // N2 idle 5 > 3 too
  });

  it('pages the list and always tells how many there are in all (issue 18: the banner said 1,000 of 2,157)', () => {
    const first = listStaleLeads(t.ctx, { as_of: '2025-11-13', limit: 3 });
    expect(first).toMatchObject({ total: 4, limit: 3, offset: 0, next_offset: 3 });
    expect(first.items.map((l) => l.lead_id)).toEqual(['Q1', 'N1', 'C1']);
    expect(listStaleLeads(t.ctx, { as_of: '2025-11-13', limit: 3, offset: 3 })).toMatchObject({ total: 4, next_offset: null, items: [{ lead_id: 'N2' }] });
    // A screen's page of leads asks about those only; the total stays every stale lead's.
    expect(listStaleLeads(t.ctx, { as_of: '2025-11-13', lead_ids: ['N2', 'C1', 'NOPE'] })).toMatchObject({ total: 4, items: [{ lead_id: 'C1' }, { lead_id: 'N2' }] });
    expect(refusal(() => listStaleLeads(t.ctx, { limit: 501 })).details[0]?.field).toBe('limit');
  });

  it('follows the tenant\'s own number of days per stage', () => {
    expect(staleSettings(t.ctx)).toEqual({ new: 3, contacted: 7, qualified: 14, negotiation: 7 });
    expect(setStaleAfter(t.ctx, { stage: 'new', stale_after_days: 10 })).toEqual({ new: 10, contacted: 7, qualified: 14, negotiation: 7 });
    expect(dashboard('2025-11-10').stale_leads).toBe(1);
    expect(setStaleAfter(t.ctx, { stage: 'new', stale_after_days: 3 }).new).toBe(3);
    expect(refusal(() => setStaleAfter(t.ctx, { stage: 'converted', stale_after_days: 3 })).details[0]?.field).toBe('stage');
    expect(refusal(() => setStaleAfter(t.ctx, { stage: 'new', stale_after_days: 0 })).details).toEqual([{ field: 'stale_after_days', message: 'must be at least 1' }]);
  });

  it('moves with new activity: a milestone today makes a lead fresh again', () => {
    createMilestone(t.ctx, { lead_id: 'Q1', milestone_type: 'demo', milestone_date: '2025-11-09' });
    expect(listStaleLeads(t.ctx, { as_of: '2025-11-10' }).items.map((l) => l.lead_id)).toEqual(['N1']);
  });
});
