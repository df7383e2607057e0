import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc } from 'drizzle-orm';
import { milestones } from '../../db/schema/index.js';
import { bookUnit } from './bookings.js';
import { leadService, leadStatusHistoryOf, recordsOfLead } from './leads.js';
import { addReps, makeTenant, refusal } from '../../test/tenantFixture.js';

// Leads (SPEC §3–4, §11): what a lead is made of, how its status may be moved by hand,
// and what a stale copy may not overwrite.

let t: ReturnType<typeof makeTenant>;
beforeAll(() => {
  t = makeTenant({ timezone: 'Asia/Kolkata', locale: 'en-IN' });
  addReps(t.ctx, 'asha');
});
afterAll(() => t.close());

describe('leads', () => {
  it('makes a lead new, dated today in the tenant\'s zone, its phone in E.164 and its assignee a user', () => {
    const lead = leadService.create(t.ctx, { name: 'Kavya Rao', phone: '098450 12345', assigned_to: 'ASHA' });
    expect(lead).toMatchObject({ name: 'Kavya Rao', status: 'new', reached_rank: 0, phone: '+919845012345', assigned_to: 'asha', lead_date: '2025-11-25' });
    expect(leadStatusHistoryOf(t.ctx, lead.id).map((h) => [h.from_status, h.to_status])).toEqual([[null, 'new']]);
    expect(refusal(() => leadService.create(t.ctx, { name: 'No Phone', phone: '12345' })).details).toEqual([{ field: 'phone', message: expect.stringMatching(/phone number/) }]);
    expect(refusal(() => leadService.create(t.ctx, { name: 'Nobody\'s', assigned_to: 'ravi' })).details[0]).toMatchObject({ field: 'assigned_to' });
  });

  it('finds a lead by part of its name, or by the digits of its number however typed', () => {
    const found = (search: string) => leadService.list(t.ctx, { search }).items.map((l) => l.name);
    expect(found('kavya')).toEqual(['Kavya Rao']);
    expect(found('98450 12345')).toEqual(['Kavya Rao']);
    expect(found('+91-98450-12345')).toEqual(['Kavya Rao']);
    expect(found('77777')).toEqual([]);
  });

  it('moves a status by hand only with what the move needs: lost with a reason, converted with a live booking', () => {
    const lead = leadService.create(t.ctx, { name: 'Dev Kapoor' });
    const noReason = refusal(() => leadService.update(t.ctx, lead.id, { status: 'lost' }));
    expect([noReason.code, noReason.details[0]?.field]).toEqual(['validation_failed', 'lost_reason']);
    const lost = leadService.update(t.ctx, lead.id, { status: 'lost', lost_reason: 'bought elsewhere' });
    expect(lost).toMatchObject({ status: 'lost', lost_reason: 'bought elsewhere' });
    // Leaving lost clears the reason.
    expect(leadService.update(t.ctx, lead.id, { status: 'qualified' })).toMatchObject({ status: 'qualified', lost_reason: null, reached_rank: 2 });
    const notBooked = refusal(() => leadService.update(t.ctx, lead.id, { status: 'converted' }));
    expect(notBooked.code).toBe('conflict');
    expect(notBooked.message).toMatch(/Bookings → Book a unit/);
    expect(leadStatusHistoryOf(t.ctx, lead.id).map((h) => h.to_status)).toEqual(['new', 'lost', 'qualified']);
  });

  it('refuses a change based on a stale copy, with the lead as it is now, and changes nothing', () => {
    const lead = leadService.create(t.ctx, { name: 'Meera Iyer' });
    const changed = leadService.update(t.ctx, lead.id, { notes: 'called twice', expected_updated_at: lead.updated_at });
    const stale = refusal(() => leadService.update(t.ctx, lead.id, { notes: 'overwrites', expected_updated_at: lead.updated_at }));
    expect([stale.code, stale.details[0]?.field]).toEqual(['conflict', 'expected_updated_at']);
    expect(stale.extra.current).toMatchObject({ id: lead.id, notes: 'called twice', updated_at: changed.updated_at });
    expect(leadService.get(t.ctx, lead.id)).toMatchObject({ notes: 'called twice' });
  });

  it('converts when a unit is booked for it, and pages what hangs off it; an unknown lead is 404', () => {
    const lead = leadService.create(t.ctx, { name: 'Rohan Das' });
    bookUnit(t.ctx, lead.id, { project_name: 'Green Meadows', unit_type: '2BHK', booking_amount: 500000, booking_date: '2025-11-25' });
    expect(leadService.get(t.ctx, lead.id)).toMatchObject({ status: 'converted', reached_rank: 4 });
    const page = recordsOfLead(t.ctx, milestones, [asc(milestones.milestone_date), asc(milestones.id)], { lead_id: lead.id, limit: 1 });
    expect(page.items.map((m) => m.milestone_type)).toEqual(['booking']);
    expect(page.next_offset).toBeNull();
    expect(refusal(() => recordsOfLead(t.ctx, milestones, [asc(milestones.id)], { lead_id: 'nobody' })).code).toBe('not_found');
  });

  it('deletes softly: gone from lists and reads, kept for history', () => {
    const lead = leadService.create(t.ctx, { name: 'Tara Menon' });
    leadService.remove(t.ctx, lead.id);
    expect(refusal(() => leadService.get(t.ctx, lead.id)).code).toBe('not_found');
    expect(leadService.list(t.ctx, { search: 'Tara' }).items).toEqual([]);
    expect(leadService.list(t.ctx, { search: 'Tara', include_deleted: true }).items.map((l) => l.deleted_at)).toEqual([expect.any(String)]);
  });
});
