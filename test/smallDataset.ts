import { afterAll, beforeAll } from 'vitest';
import type { ServiceContext } from '../main/domain/context.js';
import { bookingService, bookUnit } from '../main/services/bookings.js';
import { cancelBooking } from '../main/services/cancellations.js';
import { campaignService, leadSourceService } from '../main/services/catalog.js';
import { customerService } from '../main/services/customers.js';
import { createLedgerEntry } from '../main/services/ledger.js';
import { leadService } from '../main/services/leads.js';
import { completeFollowUp } from '../main/services/followUps.js';
import { createEngagement, recordResponse } from '../main/services/engagements.js';
import { createMilestone } from '../main/services/milestones.js';
import { makeTenant } from './tenantFixture.js';

/**
 * The small dataset whose report values are worked out by hand in the tests
 * (see db/reports/reports.test.ts for the arithmetic). As of 2025-11-25, UTC.
 *
 * L1 2025-09-10 Website C1: site visit, proposal, booked 500000 (converted)
 * L2 2025-09-20 Website C1: contacted, three engagements
 * L3 2025-09-25 no source C2: site visit, cancellation (lost, reached qualified)
 * L4 2025-11-05 Expo: new
 * L5 2025-11-10 Expo C1: demo, booked 200000, paid 60000, cancelled forfeiting 10000 and refunding 50000 (lost, reached converted)
 * L6 2025-11-20 no source: marked lost by hand
 * October 2025 has no leads.
 */
export function buildSmallDataset(ctx: ServiceContext) {
  leadSourceService.create(ctx, { id: 'S1', source_name: 'Website', source_type: 'website', subsource_name: 'Organic', channel: 'Organic Search' });
  leadSourceService.create(ctx, { id: 'S2', source_name: 'Expo', source_type: 'event' });
  leadSourceService.create(ctx, { id: 'S3', source_name: 'Dormant', source_type: 'phone' });
  campaignService.create(ctx, { id: 'C1', campaign_code: 'CMP-1', campaign_name: 'Q3 digital', campaign_type: 'digital', budget: 10000, expected_roi: 300 });
  campaignService.create(ctx, { id: 'C2', campaign_code: 'CMP-2', campaign_name: 'Free referrals', campaign_type: 'referral', budget: 0 });

  const lead = (id: string, lead_date: string, source_id: string | null, campaign_id: string | null) =>
    leadService.create(ctx, { id, name: `Lead ${id}`, lead_date, source_id, campaign_id });
  lead('L1', '2025-09-10', 'S1', 'C1');
  lead('L2', '2025-09-20', 'S1', 'C1');
  lead('L3', '2025-09-25', null, 'C2');
  lead('L4', '2025-11-05', 'S2', null);
  lead('L5', '2025-11-10', 'S2', 'C1');
  lead('L6', '2025-11-20', null, null);

  const milestone = (lead_id: string, milestone_type: string, milestone_date: string, extra: Record<string, unknown> = {}) =>
    createMilestone(ctx, { lead_id, milestone_type, milestone_date, ...extra });
  milestone('L1', 'site_visit', '2025-09-12', { follow_up_date: '2025-09-15', outcome: 'positive' });
  milestone('L1', 'proposal', '2025-09-20');
  const b1 = bookUnit(ctx, 'L1', { booking_date: '2025-09-30', booking_amount: 500000, project_name: 'Green Meadows', unit_type: '2BHK' });
  createLedgerEntry(ctx, { customer_id: b1.customer_id, transaction_date: '2025-10-15', transaction_type: 'payment', credit_amount: 100000 });

  milestone('L2', 'contacted', '2025-09-21', { follow_up_date: '2025-11-28' });
  const e1 = createEngagement(ctx, { lead_id: 'L2', engagement_type: 'email_sent', engagement_channel: 'email', engagement_date: '2025-09-20' });
  recordResponse(ctx, e1.id, { response_date: '2025-09-22' });
  createEngagement(ctx, {
    lead_id: 'L2', engagement_type: 'call_made', engagement_channel: 'phone', engagement_date: '2025-09-21', duration_seconds: 300,
    response_received: true, response_date: '2025-09-21',
  });
  createEngagement(ctx, { lead_id: 'L2', engagement_type: 'message_sent', engagement_channel: 'whatsapp', engagement_date: '2025-11-24', status: 'scheduled' });

  milestone('L3', 'site_visit', '2025-09-26');
  milestone('L3', 'cancellation', '2025-10-01');

  const demo = milestone('L5', 'demo', '2025-11-10', { follow_up_date: '2025-11-11' });
  completeFollowUp(ctx, demo.id);
  const b5 = bookUnit(ctx, 'L5', { booking_date: '2025-11-12', booking_amount: 200000 });
  createLedgerEntry(ctx, { customer_id: b5.customer_id, transaction_date: '2025-11-13', transaction_type: 'payment', credit_amount: 60000, reference_document_type: 'booking', reference_document_id: b5.booking.id });
  // SPEC §10: a credit note of 200000 − 10000 and a refund of 60000 − 10000 leave L5's customer owing 0.
  cancelBooking(ctx, b5.booking.id, { cancellation_date: '2025-11-15', cancellation_reason: 'Loan not approved', forfeiture_amount: 10000, refund_amount: 50000 });

  leadService.update(ctx, 'L6', { status: 'lost', lost_reason: 'Not reachable' });

  // Two bookings made directly (no lead) for L1's customer, and a customer with no entries.
  bookingService.create(ctx, { customer_id: b1.customer_id, booking_code: 'DIR-1', booking_date: '2025-11-01', booking_amount: 250000.25, status: 'confirmed' });
  bookingService.create(ctx, { customer_id: b1.customer_id, booking_code: 'DIR-2', booking_date: '2025-11-02', booking_amount: 100000.5, unit_count: 3, units_booked: 2, status: 'pending' });
  customerService.create(ctx, { id: 'K7', customer_code: 'K7', name: 'Zed Without Entries' });
  return { k1: b1.customer_id, k5: b5.customer_id };
}

/** A tenant holding the small dataset for the tests of one file: made before them, closed after (`small.t`, `small.ids`). */
export function useSmallDataset() {
  const small = {} as { t: ReturnType<typeof makeTenant>; ids: ReturnType<typeof buildSmallDataset> };
  beforeAll(() => {
    small.t = makeTenant();
    small.ids = buildSmallDataset(small.t.ctx);
  });
  afterAll(() => small.t.close());
  return small;
}
