import type { ServiceContext } from '../domain/context.js';
import { prepareCached } from '../../db/statements.js';
import { addDays, instantOf } from '../../db/values/dates.js';
import { bookUnit } from '../services/bookings.js';
import { cancelBooking } from '../services/cancellations.js';
import { holdUnit } from '../services/holds.js';
import { listUnits } from '../services/units.js';
import { customerService } from '../services/customers.js';
import { appendLedgerEntry } from '../services/ledger.js';
import { leadService } from '../services/leads.js';
import { completeFollowUp } from '../services/followUps.js';
import { createEngagement, recordResponse } from '../services/engagements.js';
import { createMilestone } from '../services/milestones.js';
import { engagementChannels } from '../../db/schema/enums.js';
import { type Random } from './random.js';
import { pointAt } from '../domain/geo.js';
import { COMPANIES, FIRST, LAST, LOSS_REASONS, PROJECTS, REPS } from './fixtures.js';

// One demo lead's story: arriving from a source or campaign, moving through milestones
// and engagements as leads do, and ending booked (sometimes cancelled), lost or still open.

export interface LeadStory {
  leadDate: string;
  today: string;
  index: number;
  sourceIds: string[];
  campaigns: { id: string; start: string; end: string }[];
  counts: Record<string, number>;
  at: (date: string) => void;
  /** Each project's payment plans: its construction-linked one first. */
  plans: Record<string, string[]>;
}

export function demoLead(ctx: ServiceContext, rng: Random, s: LeadStory) {
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  const campaign = s.campaigns.find((c) => c.start <= s.leadDate && s.leadDate <= c.end && rng.chance(0.5));
  const rep = rng.pick(REPS);
  const lead = leadService.create(ctx, {
    lead_code: `LD-${String(s.index + 1).padStart(6, '0')}`,
    name: `${first} ${last}`,
    email: rng.chance(0.8) ? `${first}.${last}${s.index}@example.com`.toLowerCase() : null,
    phone: `+91 9${String(rng.int(100000000, 999999999))}`,
    company: rng.pick(COMPANIES),
    source_id: rng.chance(0.92) ? rng.pick(s.sourceIds) : null,
    campaign_id: campaign?.id ?? null,
    assigned_to: rep,
    lead_date: s.leadDate,
  });
  s.counts.leads! += 1;
  let date = s.leadDate;
  const milestone = (type: string, extra: Record<string, unknown> = {}) => {
    createMilestone(ctx, { lead_id: lead.id, milestone_type: type, milestone_date: date, ...extra });
    s.counts.milestones! += 1;
  };
  const step = (min: number, max: number) => {
    date = addDays(date, rng.int(min, max));
    if (date > s.today) return false;
    s.at(date);
    return true;
  };
  const engage = (type: string, channel: string, subject: string) => {
    const e = createEngagement(ctx, { lead_id: lead.id, engagement_type: type, engagement_channel: channel, engagement_date: date, subject, duration_seconds: channel === 'phone' ? rng.int(60, 1200) : null });
    s.counts.engagements! += 1;
    const replyOn = addDays(date, rng.int(0, 4));
    if (rng.chance(0.55) && replyOn <= s.today) recordResponse(ctx, e.id, { response_date: replyOn, response_notes: 'Replied with questions on pricing' });
  };

  milestone('lead_generated');
  if (!step(0, 4)) return;
  engage('email_sent', 'email', 'Thank you for your interest');
  if (!rng.chance(0.8)) return lose(ctx, rng, lead.id, s);
  engage('call_made', rng.pick(['phone', 'whatsapp'] as const), 'Introduction call');
  milestone('contacted');
  for (let i = rng.int(0, 3); i > 0; i -= 1) {
    if (!step(1, 10)) return;
    engage(rng.pick(['message_sent', 'call_made', 'email_sent'] as const), rng.pick(engagementChannels), 'Follow-up');
  }
  if (!rng.chance(0.5) || !step(2, 15)) return rng.chance(0.5) ? lose(ctx, rng, lead.id, s) : undefined;
  const project = rng.pick(PROJECTS);
  const positive = rng.chance(0.6);
  const followUp = addDays(date, rng.int(1, 7));
  const time = `${rng.int(10, 17)}:${rng.pick(['00', '15', '30', '45'])}`;
  // The fix: mostly within the site, about one visit in twelve a kilometre or more away.
  const spread = rng.int(0, 999);
  const heading = rng.int(0, 999);
  const spot = pointAt(project.site, spread % 12 === 0 ? 1200 + spread * 3 : (spread % 100) * 3, heading * 0.36);
  milestone('site_visit', {
    milestone_time: time,
    location_name: `${project.project_name} site office`,
    location_latitude: Math.round(spot.latitude * 1e6) / 1e6,
    location_longitude: Math.round(spot.longitude * 1e6) / 1e6,
    location_accuracy_m: 4 + (heading % 40),
    location_fixed_at: new Date(instantOf(date, time, ctx.settings.timezone).getTime() - 60_000).toISOString(),
    site_project: project.project_name,
    visited_by: rng.pick(REPS),
    duration_minutes: rng.int(30, 120),
    outcome: positive ? 'positive' : rng.pick(['neutral', 'negative'] as const),
    follow_up_required: positive,
    follow_up_date: positive ? followUp : null,
    notes: positive ? 'Liked the sample flat; wants a price sheet' : 'Concerned about distance to office',
  });
  if (positive && followUp < s.today && rng.chance(0.8)) {
    const milestoneId = (prepareCached(ctx.db, "SELECT id FROM sales_lead_milestones WHERE lead_id = ? AND milestone_type = 'site_visit'").get(lead.id) as { id: string }).id;
    completeFollowUp(ctx, milestoneId, { completed_at: instantOf(followUp, '11:00', ctx.settings.timezone).toISOString() });
  }
  if (!positive && rng.chance(0.6)) return lose(ctx, rng, lead.id, s);
  if (rng.chance(0.5)) {
    if (!step(1, 10)) return;
    engage('meeting_scheduled', rng.pick(['video', 'in_person'] as const), 'Demo of the floor plans');
    milestone('demo');
  }
  if (!rng.chance(0.6) || !step(2, 12)) return;
  engage('proposal_sent', 'email', 'Price proposal');
  milestone('proposal');
  if (rng.chance(0.5) && step(2, 10)) milestone('negotiation');
  if (!rng.chance(0.55)) {
    // Some hold a unit while they think it over (the hold runs out two days later).
    if (rng.chance(0.3) && holdSomeUnit(ctx, rng, lead.id)) s.counts.holds! += 1;
    return rng.chance(0.6) ? lose(ctx, rng, lead.id, s) : undefined;
  }
  if (!step(1, 14)) return;
  const [unitType, , price] = rng.pick(project.units);
  // Booked by unit: one of the free units of the type; sold out, the lead stays in
  // negotiation, as it would in life.
  const free = listUnits(ctx, { project_name: project.project_name, unit_type: unitType, status: 'available', limit: 12 }).items;
  if (!free.length) return;
  const unit = rng.pick(free);
  const customer = customerService.create(ctx, {
    customer_code: `CUS-DEMO-${String(s.index + 1).padStart(6, '0')}`,
    name: lead.name, email: lead.email, phone: lead.phone, lead_id: lead.id,
  });
  const booked = bookUnit(ctx, lead.id, {
    customer_id: customer.id,
    booking_code: `BKG-DEMO-${String(s.index + 1).padStart(6, '0')}`,
    booking_date: date,
    booking_amount: Math.round(((unit.list_price ?? price) * rng.int(95, 100)) / 100 / 1000) * 1000,
    unit_id: unit.id,
    delivery_date: addDays(date, rng.int(300, 700)),
    // Half on the project's construction-linked plan, the rest time-linked or down payment.
    payment_plan_id: rng.chance(0.5) ? s.plans[project.project_name]![0] : rng.chance(0.6) ? s.plans[project.project_name]![1] : s.plans[project.project_name]![2],
  });
  s.counts.bookings! += 1;
  s.counts.milestones! += 1;
  s.counts.ledger_entries! += 1;
  const amount = booked.booking.booking_amount;
  const ofBooking = { customer_id: customer.id, reference_document_type: 'booking', reference_document_id: booked.booking.id };
  if (rng.chance(0.12)) {
    // A token on booking, then second thoughts (SPEC §10): cancelled with 1 % retained
    // or nothing, the rest of the token paid back at once or half now, half later.
    const token = Math.round(amount * 0.1);
    appendLedgerEntry(ctx, { ...ofBooking, transaction_date: date, transaction_type: 'payment', credit_amount: token * 100, description: `Token for ${booked.booking.booking_code}` });
    s.counts.ledger_entries! += 1;
    if (!step(5, 40)) return;
    const forfeiture = rng.chance(0.5) ? Math.round(amount * 0.01) : 0;
    const owed = token - forfeiture;
    const refund = rng.chance(0.8) ? owed : Math.round(owed / 2);
    cancelBooking(ctx, booked.booking.id, { cancellation_date: date, cancellation_reason: rng.pick(LOSS_REASONS), forfeiture_amount: forfeiture, refund_amount: refund });
    s.counts.cancellations! += 1;
    s.counts.milestones! += 1;
    s.counts.ledger_entries! += refund > 0 ? 2 : 1;
    if (refund < owed && step(10, 30)) {
      appendLedgerEntry(ctx, { ...ofBooking, transaction_date: date, transaction_type: 'refund', debit_amount: (owed - refund) * 100, description: `Rest of the refund for ${booked.booking.booking_code}` });
      s.counts.ledger_entries! += 1;
    }
    return;
  }
  // What is paid against the schedule is told at the end (payInstalments), once the
  // stages it waits on are done; now and then a festive discount.
  if (rng.chance(0.05) && step(10, 60)) {
    appendLedgerEntry(ctx, {
      customer_id: customer.id, transaction_date: date, transaction_type: 'credit_note', credit_amount: 25_000 * 100,
      reference_document_type: 'offer', description: 'Festive discount',
    });
    s.counts.ledger_entries! += 1;
  }
}

/** Hold a free unit of a random project and type for the lead, now (the tenant's 48 hours): whether one was free. */
export function holdSomeUnit(ctx: ServiceContext, rng: Random, leadId: string): boolean {
  const project = rng.pick(PROJECTS);
  const [unitType] = rng.pick(project.units);
  const free = listUnits(ctx, { project_name: project.project_name, unit_type: unitType, status: 'available', limit: 12 }).items;
  if (!free.length) return false;
  holdUnit(ctx, rng.pick(free).id, { lead_id: leadId });
  return true;
}

export function lose(ctx: ServiceContext, rng: Random, leadId: string, s: LeadStory) {
  leadService.update(ctx, leadId, { status: 'lost', lost_reason: rng.pick(LOSS_REASONS) });
  if (rng.chance(0.15)) {
    const back = addDays(s.leadDate, rng.int(30, 90));
    if (back <= s.today) {
      s.at(back);
      createMilestone(ctx, { lead_id: leadId, milestone_type: 'reengaged', milestone_date: back, notes: 'Called back after a price drop' });
      s.counts.milestones! += 1;
    }
  }
}

