import { afterEach, describe, expect, it } from 'vitest';
import { leadStatuses, milestoneTypes, type LeadStatus, type MilestoneType } from '../../db/schema/enums.js';
import { makeTenant, refusal, snapshot } from '../../test/tenantFixture.js';
import { bookUnit } from '../services/bookings.js';
import { cancelBooking } from '../services/cancellations.js';
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

  it('a status set by hand: lost needs a reason, converted needs a live booking, each refused in words changing nothing (SPEC §4)', () => {
    t = makeTenant();
    leadService.create(t.ctx, { id: 'lead-3', name: 'Meera', status: 'negotiation', lead_date: '2025-11-01' });
    const before = snapshot(t.ctx);
    const noReason = refusal(() => leadService.update(t.ctx, 'lead-3', { status: 'lost' }));
    expect(noReason).toMatchObject({ code: 'validation_failed', details: [{ field: 'lost_reason' }] });
    expect(refusal(() => leadService.update(t.ctx, 'lead-3', { status: 'lost', lost_reason: '   ' })).details[0]?.field).toBe('lost_reason');
    const byHand = refusal(() => leadService.update(t.ctx, 'lead-3', { status: 'converted' }));
    expect(byHand).toMatchObject({ code: 'conflict', details: [{ field: 'status' }] });
    expect(byHand.message).toMatch(/converted by booking a unit.*no live booking/);
    expect(snapshot(t.ctx)).toEqual(before);

    // Booked, then the booking cancelled: the lead is lost again, and converting it by hand is refused once more.
    const { booking } = bookUnit(t.ctx, 'lead-3', { booking_date: '2025-11-05', booking_amount: 100000 });
    expect(leadService.get(t.ctx, 'lead-3').status).toBe('converted');
    cancelBooking(t.ctx, booking.id, { cancellation_date: '2025-11-06', cancellation_reason: 'Changed mind' });
    expect(leadService.get(t.ctx, 'lead-3').status).toBe('lost');
    expect(refusal(() => leadService.update(t.ctx, 'lead-3', { status: 'converted' })).code).toBe('conflict');
    // Moved out of lost, a lead drops the reason it was lost for; lost again, it needs one again.
    leadService.update(t.ctx, 'lead-3', { status: 'lost', lost_reason: 'Changed mind' });
    expect(leadService.update(t.ctx, 'lead-3', { status: 'contacted' })).toMatchObject({ status: 'contacted', lost_reason: null });
    expect(refusal(() => leadService.update(t.ctx, 'lead-3', { status: 'lost' })).details[0]?.field).toBe('lost_reason');
    expect(leadService.update(t.ctx, 'lead-3', { status: 'lost', lost_reason: 'Bought elsewhere' }).lost_reason).toBe('Bought elsewhere');
  });

  it('refuses a change based on a stale copy with 409 and the current record, applying nothing (SPEC §4)', () => {
    t = makeTenant();
    const read = leadService.create(t.ctx, { id: 'lead-4', name: 'Kiran', lead_date: '2025-11-01' });
    // Another tab moves the lead on; this tab's copy is now stale.
    t.ctx.clock = () => new Date(Date.parse(read.updated_at) + 1000);
    const newer = leadService.update(t.ctx, 'lead-4', { status: 'qualified', expected_updated_at: read.updated_at });
    const before = snapshot(t.ctx);
    const stale = refusal(() => leadService.update(t.ctx, 'lead-4', { status: 'contacted', expected_updated_at: read.updated_at }));
    expect(stale).toMatchObject({ code: 'conflict', details: [{ field: 'expected_updated_at' }] });
    expect(stale.extra.current).toMatchObject({ id: 'lead-4', status: 'qualified', updated_at: newer.updated_at });
    expect(snapshot(t.ctx)).toEqual(before);
    expect(leadService.update(t.ctx, 'lead-4', { status: 'contacted', expected_updated_at: newer.updated_at }).status).toBe('contacted');
  });

  it('refuses a milestone for a lead that does not exist, writing nothing', () => {
    t = makeTenant();
    expect(() => createMilestone(t.ctx, { lead_id: 'nope', milestone_type: 'demo', milestone_date: '2025-11-01' })).toThrow(/lead 'nope' not found/);
    expect(t.ctx.db.prepare('SELECT count(*) AS n FROM sales_lead_milestones').get()).toEqual({ n: 0 });
  });
});
