import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngagement, listEngagements, recordResponse } from './engagements.js';
import { leadService } from './leads.js';
import { makeTenant, refusal } from '../../test/tenantFixture.js';

// Engagements (SPEC §3): what was said to a lead, and the response it got.

let t: ReturnType<typeof makeTenant>;
beforeAll(() => {
  t = makeTenant({ timezone: 'Asia/Kolkata' });
  leadService.create(t.ctx, { id: 'L1', name: 'Kavya Rao', lead_date: '2025-11-01' });
});
afterAll(() => t.close());

describe('engagements', () => {
  it('logs an engagement dated today unless told, and lists the newest first with the response as a yes or no', () => {
    createEngagement(t.ctx, { lead_id: 'L1', engagement_type: 'email_sent', engagement_channel: 'email', engagement_date: '2025-11-20', subject: 'Brochure' });
    const call = createEngagement(t.ctx, { lead_id: 'L1', engagement_type: 'call_made', engagement_channel: 'phone', duration_seconds: 330 });
    expect(call).toMatchObject({ engagement_date: '2025-11-25', response_received: false, response_date: null, duration_seconds: 330 });
    expect(listEngagements(t.ctx, { lead_id: 'L1' }).items.map((e) => [e.engagement_type, e.response_received])).toEqual([['call_made', false], ['email_sent', false]]);
  });

  it('records a response on the day unless told, never before the engagement', () => {
    const [call, email] = listEngagements(t.ctx, { lead_id: 'L1' }).items;
    expect(recordResponse(t.ctx, call!.id, { response_notes: 'call back Friday' })).toMatchObject({ response_received: true, response_date: '2025-11-25', response_notes: 'call back Friday' });
    expect(refusal(() => recordResponse(t.ctx, email!.id, { response_date: '2025-11-19' })).details).toEqual([{ field: 'response_date', message: 'must be on or after engagement_date' }]);
    expect(recordResponse(t.ctx, email!.id, { response_received: false })).toMatchObject({ response_received: false, response_date: null });
  });

  it('refuses an engagement of an unknown kind, channel or lead, naming the field', () => {
    expect(refusal(() => createEngagement(t.ctx, { lead_id: 'L1', engagement_type: 'fax_sent', engagement_channel: 'phone' })).details[0]).toMatchObject({ field: 'engagement_type' });
    expect(refusal(() => createEngagement(t.ctx, { lead_id: 'L1', engagement_type: 'call_made', engagement_channel: 'pigeon' })).details[0]).toMatchObject({ field: 'engagement_channel' });
    expect(refusal(() => createEngagement(t.ctx, { lead_id: 'L9', engagement_type: 'call_made', engagement_channel: 'phone' })).details[0]).toMatchObject({ field: 'lead_id' });
  });
});
