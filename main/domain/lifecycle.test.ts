import { afterEach, describe, expect, it } from 'vitest';
import { leadStatuses, milestoneTypes, type LeadStatus, type MilestoneType } from '../../db/schema/enums.js';
import { makeTenant } from '../../test/tenantFixture.js';
import { leadService, leadStatusHistoryOf } from '../services/leads.js';
import { createMilestone } from '../services/milestones.js';
import { statusAfterMilestone } from './lifecycle.js';

// SPEC §4, worked out by hand: the status after each milestone type from each status
// (undefined = unchanged).
const expected: Record<MilestoneType, Partial<Record<LeadStatus, LeadStatus>>> = {
  lead_generated: {},
  contacted: { new: 'contacted' },
  site_visit: { new: 'qualified', contacted: 'qualified' },
  revisit: { new: 'qualified', contacted: 'qualified' },
  demo: { new: 'qualified', contacted: 'qualified' },
  proposal: { new: 'negotiation', contacted: 'negotiation', qualified: 'negotiation' },
  negotiation: { new: 'negotiation', contacted: 'negotiation', qualified: 'negotiation' },
  booking: { new: 'converted', contacted: 'converted', qualified: 'converted', negotiation: 'converted' },
  cancellation: { new: 'lost', contacted: 'lost', qualified: 'lost', negotiation: 'lost', converted: 'lost' },
  reengaged: { lost: 'contacted' },
};

describe('statusAfterMilestone (SPEC §4 table)', () => {
  for (const type of milestoneTypes) {
    for (const from of leadStatuses) {
      const to = expected[type][from];
      it(`${type} moves a ${from} lead ${to ? `to ${to}` : 'nowhere'}`, () => {
        expect(statusAfterMilestone(from, type)).toBe(to ?? null);
      });
    }
  }
});

describe('recording milestones on a lead', () => {
  let t: ReturnType<typeof makeTenant>;
  afterEach(() => t?.close());

  it('moves the lead forward only, keeps one history row per change and the reached rank', () => {
    t = makeTenant();
    const lead = leadService.create(t.ctx, { id: 'lead-1', name: 'Asha', lead_date: '2025-11-01' });
    const record = (milestone_type: MilestoneType, milestone_date: string) =>
      createMilestone(t.ctx, { lead_id: 'lead-1', milestone_type, milestone_date });
    record('site_visit', '2025-11-03');
    expect(leadService.get(t.ctx, lead.id)).toMatchObject({ status: 'qualified', reached_rank: 2 });
    record('contacted', '2025-11-04'); // never back
    expect(leadService.get(t.ctx, lead.id).status).toBe('qualified');
    record('proposal', '2025-11-05');
    record('cancellation', '2025-11-06');
    expect(leadService.get(t.ctx, lead.id)).toMatchObject({ status: 'lost', reached_rank: 3 });
    record('booking', '2025-11-07'); // never out of lost except by reengaged
    expect(leadService.get(t.ctx, lead.id).status).toBe('lost');
    record('reengaged', '2025-11-08');
    expect(leadService.get(t.ctx, lead.id)).toMatchObject({ status: 'contacted', reached_rank: 3 });

    const history = leadStatusHistoryOf(t.ctx, lead.id) as { from_status: string | null; to_status: string; cause: string; changed_at: string }[];
    expect(history.map((h) => [h.from_status, h.to_status, h.cause])).toEqual([
      [null, 'new', 'manual'],
      ['new', 'qualified', 'milestone:site_visit'],
      ['qualified', 'negotiation', 'milestone:proposal'],
      ['negotiation', 'lost', 'milestone:cancellation'],
      ['lost', 'contacted', 'milestone:reengaged'],
    ]);
    // A milestone's status change is dated when the milestone happened.
    expect(history[1]?.changed_at).toBe('2025-11-03T00:00:00.000Z');
  });

  it('records a manual status change in the history and keeps the highest rank reached', () => {
    t = makeTenant();
    leadService.create(t.ctx, { id: 'lead-2', name: 'Ravi', status: 'negotiation', lead_date: '2025-11-01' });
    const lost = leadService.update(t.ctx, 'lead-2', { status: 'lost', lost_reason: 'Budget' });
    expect(lost).toMatchObject({ status: 'lost', reached_rank: 3, lost_reason: 'Budget' });
    const history = leadStatusHistoryOf(t.ctx, 'lead-2') as { to_status: string; cause: string }[];
    expect(history.map((h) => `${h.to_status}:${h.cause}`)).toEqual(['negotiation:manual', 'lost:manual']);
  });

  it('refuses a milestone for a lead that does not exist, writing nothing', () => {
    t = makeTenant();
    expect(() => createMilestone(t.ctx, { lead_id: 'nope', milestone_type: 'demo', milestone_date: '2025-11-01' })).toThrow(/lead 'nope' not found/);
    expect(t.ctx.db.prepare('SELECT count(*) AS n FROM sales_lead_milestones').get()).toEqual({ n: 0 });
  });
});
