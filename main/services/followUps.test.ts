import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTenant } from '../../test/tenantFixture.js';
import { leadService } from './leads.js';
import { createMilestone } from './milestones.js';
import { listFollowUps } from './followUps.js';

// Today's list puts what is due today first, then what was missed, the most
// recently missed first — not 231 old ones before the 4 of today.
let t: ReturnType<typeof makeTenant>;
beforeAll(() => {
  t = makeTenant({ now: '2025-11-25T10:00:00.000Z' });
  for (const [name, visit, due] of [['Old', '2025-10-01', '2025-10-05'], ['Today', '2025-11-20', '2025-11-25'], ['Missed', '2025-11-18', '2025-11-23'], ['Later', '2025-11-24', '2025-11-28']] as const) {
    const lead = leadService.create(t.ctx, { name, lead_date: visit });
    createMilestone(t.ctx, { lead_id: lead.id as string, milestone_type: 'site_visit', milestone_date: visit, follow_up_date: due });
  }
});
afterAll(() => t.close());

describe('follow-ups', () => {
  it("due by a day: that day's first, then the overdue, most recently missed first", () => {
    expect(listFollowUps(t.ctx, { status: 'due', as_of: '2025-11-25' }).items.map((f) => [f.lead_name, f.overdue])).toEqual([['Today', false], ['Missed', true], ['Old', true]]);
  });
  it('pending and overdue lists stay in date order', () => {
    expect(listFollowUps(t.ctx, { status: 'pending' }).items.map((f) => f.lead_name)).toEqual(['Old', 'Missed', 'Today', 'Later']);
    expect(listFollowUps(t.ctx, { status: 'overdue', as_of: '2025-11-25' }).items.map((f) => f.lead_name)).toEqual(['Old', 'Missed']);
  });
});
