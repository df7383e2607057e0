import { afterEach, describe, expect, it } from 'vitest';
import { makeTenant, refusal, snapshot } from '../../test/tenantFixture.js';
import { bookingService } from './bookings.js';
import { campaignService, leadSourceService } from './catalog.js';
import { customerService } from './customers.js';
import { leadService } from './leads.js';
import { createEngagement } from './engagements.js';
import { createMilestone } from './milestones.js';

let t: ReturnType<typeof makeTenant>;
afterEach(() => t?.close());


describe('refused input changes nothing and names the field', () => {
  const cases: [string, (ctx: ReturnType<typeof makeTenant>['ctx']) => unknown, string, string, string][] = [
    ['an invalid enum', (ctx) => createMilestone(ctx, { lead_id: 'lead-1', milestone_type: 'coffee', milestone_date: '2025-11-25' }),
      'validation_failed', 'milestone_type', 'must be one of: lead_generated, contacted, site_visit, revisit, demo, proposal, negotiation, booking, cancellation, reengaged'],
    ['an impossible date', (ctx) => createMilestone(ctx, { lead_id: 'lead-1', milestone_type: 'demo', milestone_date: '2025-02-30' }),
      'validation_failed', 'milestone_date', 'must be a real calendar date YYYY-MM-DD'],
    ['a missing required field', (ctx) => createMilestone(ctx, { lead_id: 'lead-1', milestone_type: 'demo' }),
      'validation_failed', 'milestone_date', 'must be a date YYYY-MM-DD'],
    ['a latitude off the globe', (ctx) => createMilestone(ctx, { lead_id: 'lead-1', milestone_type: 'site_visit', milestone_date: '2025-11-25', location_latitude: 91 }),
      'validation_failed', 'location_latitude', 'must be between -90 and 90'],
    ['a follow-up before the milestone', (ctx) => createMilestone(ctx, { lead_id: 'lead-1', milestone_type: 'site_visit', milestone_date: '2025-11-25', follow_up_date: '2025-11-24' }),
      'validation_failed', 'follow_up_date', 'must be on or after milestone_date'],
    ['a negative duration', (ctx) => createEngagement(ctx, { lead_id: 'lead-1', engagement_type: 'call_made', engagement_channel: 'phone', duration_seconds: -1 }),
      'validation_failed', 'duration_seconds', 'must be at least 0'],
    ['an unknown field', (ctx) => createEngagement(ctx, { lead_id: 'lead-1', engagement_type: 'call_made', engagement_channel: 'phone', mood: 'happy' }),
      'validation_failed', 'mood', 'is not a known field'],
    ['an unknown lead', (ctx) => createEngagement(ctx, { lead_id: 'lead-404', engagement_type: 'call_made', engagement_channel: 'phone' }),
      'not_found', 'lead_id', 'no lead with this id'],
    ['an end date before the start', (ctx) => campaignService.create(ctx, { campaign_code: 'X', campaign_name: 'X', campaign_type: 'email', start_date: '2025-03-31', end_date: '2025-01-01' }),
      'validation_failed', 'end_date', 'must be on or after start_date'],
    ['a duplicate campaign code', (ctx) => campaignService.create(ctx, { campaign_code: 'CAMPAIGN_2025_Q1_EMAIL', campaign_name: 'again', campaign_type: 'email' }),
      'conflict', 'campaign_code', "campaign_code 'CAMPAIGN_2025_Q1_EMAIL' already exists"],
    ['a zero booking amount', (ctx) => bookingService.create(ctx, { customer_id: 'cust-1', booking_amount: 0 }),
      'validation_failed', 'booking_amount', 'must be greater than 0'],
    ['units booked beyond the unit count', (ctx) => bookingService.create(ctx, { customer_id: 'cust-1', booking_amount: 5, unit_count: 1, units_booked: 2 }),
      'validation_failed', 'units_booked', 'must be between 1 and unit_count'],
    ['an unknown customer', (ctx) => bookingService.create(ctx, { customer_id: 'nobody', booking_amount: 5 }),
      'not_found', 'customer_id', 'no customer with this id'],
    ['a lead with an unknown source', (ctx) => leadService.create(ctx, { name: 'X', source_id: 'nowhere' }),
      'not_found', 'source_id', 'no lead source with this id'],
    ['a blank name', (ctx) => leadService.create(ctx, { name: '   ' }), 'validation_failed', 'name', 'is required'],
    ['an id already taken', (ctx) => leadService.create(ctx, { id: 'lead-1', name: 'Twin' }), 'conflict', 'id', 'already exists'],
    ['a malformed id', (ctx) => leadService.create(ctx, { id: '../etc', name: 'X' }), 'validation_failed', 'id', 'must be 1 to 64 letters, digits, _, - or inner dots, starting with a letter or digit'],
    ['a bad source type', (ctx) => leadSourceService.create(ctx, { source_name: 'X', source_type: 'Website' }),
      'validation_failed', 'source_type', 'must be one of: website, email, phone, referral, event, social, walk_in, partner, advertisement, other'],
  ];

  for (const [what, call, code, field, message] of cases) {
    it(`refuses ${what}`, () => {
      t = makeTenant();
      leadService.create(t.ctx, { id: 'lead-1', name: 'Existing lead', lead_date: '2025-11-01' });
      customerService.create(t.ctx, { id: 'cust-1', name: 'Existing customer' });
      campaignService.create(t.ctx, { campaign_code: 'CAMPAIGN_2025_Q1_EMAIL', campaign_name: 'Q1', campaign_type: 'email' });
      const before = snapshot(t.ctx);
      const e = refusal(() => call(t.ctx));
      expect(e.code).toBe(code);
      expect(e.details).toContainEqual({ field, message });
      expect(snapshot(t.ctx)).toEqual(before);
    });
  }
});

describe('records and audit', () => {
  it('writes an audit row for every mutation and keeps soft-deleted rows out of lists', () => {
    t = makeTenant();
    const lead = leadService.create(t.ctx, { name: 'Tara', lead_date: '2025-11-01' });
    leadService.update(t.ctx, lead.id, { phone: '+91 90000 00000' });
    leadService.remove(t.ctx, lead.id);
    const audit = t.ctx.db.prepare("SELECT action, actor, changes FROM audit_log WHERE entity = 'sales_leads' ORDER BY at").all() as { action: string; actor: string; changes: string }[];
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'delete']);
    expect(audit.every((a) => a.actor === 'user-admin')).toBe(true);
    expect(JSON.parse(audit[1]!.changes)).toEqual({ phone: '+919000000000' });
    expect(leadService.list(t.ctx, {}).items).toEqual([]);
    expect(leadService.list(t.ctx, { include_deleted: true }).items.map((l) => l.id)).toEqual([lead.id]);
    expect(() => leadService.get(t.ctx, lead.id)).toThrow(/not found/);
  });

  it('lists leads with filters, search and pages', () => {
    t = makeTenant();
    for (let i = 1; i <= 7; i += 1) {
      leadService.create(t.ctx, { name: `Lead ${i}`, company: i % 2 ? 'Infosys' : 'Wipro', lead_date: `2025-11-0${i}`, status: i > 5 ? 'contacted' : 'new' });
    }
    const page1 = leadService.list(t.ctx, { search: 'infosys', limit: 2 });
    expect(page1.items.map((l) => l.name)).toEqual(['Lead 7', 'Lead 5']);
    expect(page1.next_offset).toBe(2);
    const page2 = leadService.list(t.ctx, { search: 'infosys', limit: 2, offset: 2 });
    expect(page2).toMatchObject({ next_offset: null });
    expect(page2.items.map((l) => l.name)).toEqual(['Lead 3', 'Lead 1']);
    expect(leadService.list(t.ctx, { status: 'contacted' }).items.map((l) => l.name)).toEqual(['Lead 7', 'Lead 6']);
    expect(leadService.list(t.ctx, { from: '2025-11-02', to: '2025-11-03' }).items.map((l) => l.name)).toEqual(['Lead 3', 'Lead 2']);
    // LIKE wildcards in a search are literal.
    expect(leadService.list(t.ctx, { search: '%' }).items).toEqual([]);
  });
});
