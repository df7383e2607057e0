import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadService } from './leads.js';
import { createMilestone, createMilestoneWithPhotos, listMilestones } from './milestones.js';
import { makeTenant, refusal, snapshot } from '../../test/tenantFixture.js';

// Milestones (SPEC §3–4): each moves its lead forward, in order, and is refused whole
// when any part of it is wrong.

let t: ReturnType<typeof makeTenant>;
beforeAll(() => (t = makeTenant({ timezone: 'Asia/Kolkata' })));
afterAll(() => t.close());

describe('milestones', () => {
  it('moves the lead forward with its milestones and lists them in the order they happened', () => {
    const lead = leadService.create(t.ctx, { id: 'L1', name: 'Kavya Rao', lead_date: '2025-11-01' });
    createMilestone(t.ctx, { lead_id: lead.id, milestone_type: 'site_visit', milestone_date: '2025-11-10', milestone_time: '16:30', outcome: 'positive', follow_up_date: '2025-11-12' });
    createMilestone(t.ctx, { lead_id: lead.id, milestone_type: 'contacted', milestone_date: '2025-11-03' });
    expect(leadService.get(t.ctx, lead.id)).toMatchObject({ status: 'qualified' });
    const items = listMilestones(t.ctx, { lead_id: lead.id }).items;
    expect(items.map((m) => [m.milestone_type, m.milestone_date, m.follow_up_required])).toEqual([['contacted', '2025-11-03', false], ['site_visit', '2025-11-10', true]]);
    expect(items[1]).toMatchObject({ outcome: 'positive', photos: [], metadata: null });
  });

  it('refuses a follow-up before the milestone, half a coordinate, or an unknown lead — and writes nothing', () => {
    const before = snapshot(t.ctx);
    expect(refusal(() => createMilestone(t.ctx, { lead_id: 'L1', milestone_type: 'demo', milestone_date: '2025-11-20', follow_up_date: '2025-11-19' })).details)
      .toEqual([{ field: 'follow_up_date', message: 'must be on or after milestone_date' }]);
    expect(refusal(() => createMilestone(t.ctx, { lead_id: 'L1', milestone_type: 'site_visit', milestone_date: '2025-11-20', location_latitude: 12.97 })).details)
      .toEqual([{ field: 'location_longitude', message: 'is required with the other coordinate' }]);
    expect(refusal(() => createMilestone(t.ctx, { lead_id: 'nobody', milestone_type: 'demo', milestone_date: '2025-11-20' })).details[0]).toMatchObject({ field: 'lead_id' });
    expect(refusal(() => createMilestone(t.ctx, { lead_id: 'L1', milestone_type: 'fax', milestone_date: '2025-11-20' })).details[0]).toMatchObject({ field: 'milestone_type' });
    expect(snapshot(t.ctx)).toEqual(before);
  });

  it('keeps a milestone\'s metadata as the object sent, and takes photos only through the operation that stores them', async () => {
    const m = createMilestone(t.ctx, { lead_id: 'L1', milestone_type: 'proposal', milestone_date: '2025-11-21', metadata: { quote: 'Q-17', floors: [3, 4] } });
    expect(m.metadata).toEqual({ quote: 'Q-17', floors: [3, 4] });
    expect(refusal(() => createMilestone(t.ctx, { lead_id: 'L1', milestone_type: 'demo', milestone_date: '2025-11-21', photos: [{ file_name: 'a.jpg', data_base64: 'AA==' }] })).details[0])
      .toMatchObject({ field: 'photos' });
    // Without photos, the operation is the same as the plain one.
    expect(await createMilestoneWithPhotos(t.ctx, { lead_id: 'L1', milestone_type: 'negotiation', milestone_date: '2025-11-22' })).toMatchObject({ milestone_type: 'negotiation', photos: [] });
    expect(leadService.get(t.ctx, 'L1')).toMatchObject({ status: 'negotiation' });
  });
});
