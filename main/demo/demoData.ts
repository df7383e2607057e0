import type { ServiceContext } from '../domain/context.js';
import { randomBytes } from 'node:crypto';
import { statement } from '../../db/statements.js';
import { addUser } from '../services/users.js';
import { conflict, validationError } from '../domain/errors.js';
import { addDays, instantOf, localDateOf } from '../domain/dates.js';
import { bookUnit, cancelBooking } from '../services/bookings.js';
import { createUnits, holdUnit, listUnits } from '../services/units.js';
import { campaignService, leadSourceService, unitInventoryService } from '../services/catalog.js';
import { customerService } from '../services/customers.js';
import { appendLedgerEntry } from '../services/ledger.js';
import { completeStage, createPlan, createStage } from '../services/paymentPlans.js';
import { leadService } from '../services/leads.js';
import { completeFollowUp } from '../services/followUps.js';
import { createEngagement, recordResponse } from '../services/engagements.js';
import { createMilestone } from '../services/milestones.js';
import { engagementChannels } from '../../db/schema/enums.js';
import { seededRandom, type Random } from './random.js';
import { pointAt, type Point } from '../domain/geo.js';

// `milepost demo`: realistic, deterministic data. Leads arrive over the last 14
// months and move through the lifecycle by milestones (SPEC §4) through the same
// services the app uses, so every rule, history row and audit row is real.

const SOURCES = [
  { source_name: 'Website', source_type: 'website', subsource_name: 'Organic', channel: 'Organic Search' },
  { source_name: 'Google Ads', source_type: 'advertisement', subsource_name: 'Google Ads', channel: 'Paid Search' },
  { source_name: 'Facebook', source_type: 'social', subsource_name: 'Facebook Lead Ads', channel: 'Social Media' },
  { source_name: 'LinkedIn', source_type: 'social', subsource_name: 'LinkedIn', channel: 'Social Media' },
  { source_name: 'Customer referral', source_type: 'referral', subsource_name: null, channel: 'Referral' },
  { source_name: 'Walk-in', source_type: 'walk_in', subsource_name: 'Site office', channel: 'Direct' },
  { source_name: 'Property expo', source_type: 'event', subsource_name: 'City Property Expo', channel: 'Events' },
  { source_name: 'Broker network', source_type: 'partner', subsource_name: 'Channel partners', channel: 'Partner' },
  { source_name: 'Newspaper', source_type: 'advertisement', subsource_name: 'Times Property', channel: 'Print' },
  { source_name: 'Inbound call', source_type: 'phone', subsource_name: null, channel: 'Direct' },
] as const;

const CAMPAIGN_TYPES = ['digital', 'email', 'social', 'event', 'traditional', 'referral'] as const;
/** A block of units: a tower's floors × units per floor of one type (SPEC §10). */
type Block = { tower: string; unit_type: string; floors: [number, number]; per_floor: number; numbering?: string; area: number };
const PROJECTS: { project_name: string; site: Point & { radius_m: number }; units: [string, number, number][]; blocks: Block[] }[] = [
  {
    project_name: 'Green Meadows', site: { latitude: 12.9352, longitude: 77.5346, radius_m: 500 },
    units: [['2BHK', 400, 6_500_000], ['3BHK', 250, 9_200_000], ['Villa', 40, 21_000_000]],
    blocks: [
      { tower: 'A', unit_type: '2BHK', floors: [1, 25], per_floor: 8, area: 812 },
      { tower: 'B', unit_type: '2BHK', floors: [1, 25], per_floor: 8, area: 845 },
      { tower: 'C', unit_type: '3BHK', floors: [1, 25], per_floor: 10, area: 1240 },
      { tower: 'Villas', unit_type: 'Villa', floors: [0, 0], per_floor: 40, numbering: 'V{unit:02}', area: 2400 },
    ],
  },
  {
    project_name: 'Lakeview Towers', site: { latitude: 12.9716, longitude: 77.5946, radius_m: 350 },
    units: [['1BHK', 300, 3_800_000], ['2BHK', 350, 5_900_000], ['Penthouse', 20, 32_000_000]],
    blocks: [
      { tower: '1', unit_type: '1BHK', floors: [1, 30], per_floor: 10, area: 560 },
      { tower: '1', unit_type: 'Penthouse', floors: [31, 32], per_floor: 10, area: 3100 },
      { tower: '2', unit_type: '2BHK', floors: [1, 35], per_floor: 10, area: 890 },
    ],
  },
];
export const DEMO_REPS = ['asha.k', 'rahul.m', 'priya.s', 'vikram.r', 'neha.j'];
const REPS = DEMO_REPS;
const FIRST = ['Aarav', 'Diya', 'Kabir', 'Meera', 'Rohan', 'Ananya', 'Ishaan', 'Saanvi', 'Arjun', 'Kavya', 'Dev', 'Riya', 'Nikhil', 'Tara', 'Yash', 'Zoya'];
const LAST = ['Sharma', 'Iyer', 'Reddy', 'Patel', 'Nair', 'Gupta', 'Menon', 'Das', 'Kapoor', 'Singh', 'Rao', 'Joshi'];
const COMPANIES = [null, null, null, 'Infosys', 'Tata Steel', 'Wipro', 'HDFC Bank', 'Self-employed', 'Apollo Hospitals'];
const LOSS_REASONS = ['Budget mismatch', 'Chose another project', 'Location not suitable', 'Loan not approved', 'Stopped responding'];

export interface DemoOptions {
  leads: number;
  seed: number;
  /** The demo's "today"; defaults to the tenant's today. */
  today?: string;
  /** The password of the sales reps the demo adds (SPEC §11: leads are assigned to users); a random one no one knows when not given. */
  repPassword?: string;
  onProgress?: (done: number, total: number) => void;
}

export function runDemo(base: ServiceContext, o: DemoOptions) {
  const rng = seededRandom(o.seed);
  const tz = base.settings.timezone;
  // Nothing in the story happens after the moment the demo runs: a record stamped in
  // the future would carry its clock ahead of every device's and the server's.
  const realNow = base.clock().getTime();
  const realToday = localDateOf(base.clock(), tz);
  if (o.today !== undefined && o.today > realToday) throw validationError('today', `must not be after the tenant's today (${realToday})`);
  const today = o.today ?? realToday;
  // A simulated clock: every record is stamped at the moment it happened in the story.
  let now = instantOf(addDays(today, -430), '09:00', tz).getTime();
  const ctx: ServiceContext = {
    ...base,
    settings: { ...base.settings, device_tag: 'DEMO' },
    clock: () => new Date(now),
    newId: () => rng.uuidV7(now),
  };
  // Each record is stamped when it happened in the story (a lead's story runs ahead
  // of the next lead's arrival, so the clock moves back and forth between leads).
  let tick = 0;
  const at = (date: string) => {
    tick = (tick + 1) % 1000;
    now = Math.min(instantOf(date, `${String(rng.int(9, 18)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`, tz).getTime() + tick, realNow - 1000 + tick);
  };
  const counts = { reps: 0, sources: 0, campaigns: 0, leads: 0, milestones: 0, engagements: 0, bookings: 0, cancellations: 0, ledger_entries: 0, units: 0, holds: 0 };

  // A second run would make the same projects, towers and codes again: refused before anything is written.
  const made = statement(base.db, 'SELECT min(created_at) AS at FROM sales_units WHERE project_name = ? AND deleted_at IS NULL').get(PROJECTS[0]!.project_name) as { at: string | null };
  if (made.at) throw conflict(`this tenant already holds the demo data (made ${made.at.slice(0, 10)}): run demo on a new tenant`, 'tenant');
  base.db.transaction(() => {
    // The reps the leads are assigned to are users of the tenant (made once; a second demo run finds them).
    for (const username of REPS) {
      if (statement(ctx.db, 'SELECT 1 FROM users WHERE lower(username) = lower(?) AND deleted_at IS NULL').get(username)) continue;
      const [first = '', last = ''] = username.split('.');
      // Ids of their own: the story's random sequence (and so every record after) stays what it was.
      addUser(ctx, { id: `user-${username}`, username, display_name: `${first[0]!.toUpperCase()}${first.slice(1)} ${last.toUpperCase()}`, role: 'sales_rep', password: o.repPassword ?? randomBytes(18).toString('base64url') });
      counts.reps++;
    }
    const sourceIds = SOURCES.map((s) => leadSourceService.create(ctx, s).id);
    counts.sources = sourceIds.length;
    const campaigns = Array.from({ length: 6 }, (_, i) => {
      const start = addDays(today, -420 + i * 70);
      const c = campaignService.create(ctx, {
        campaign_code: `CMP-${start.slice(0, 7)}-${i + 1}`,
        campaign_name: `${['Festive', 'Monsoon', 'New Year', 'Summer', 'Launch', 'Year-end'][i]} ${CAMPAIGN_TYPES[i]} campaign`,
        campaign_type: CAMPAIGN_TYPES[i],
        start_date: start,
        end_date: addDays(start, 90),
        budget: rng.int(4, 40) * 50_000,
        expected_roi: rng.pick([150, 200, 300, 400]),
        assigned_to: rng.pick(REPS),
        status: addDays(start, 90) < today ? 'completed' : 'active',
      });
      return { id: c.id, start, end: addDays(start, 90) };
    });
    counts.campaigns = campaigns.length;
    for (const p of PROJECTS) {
      for (const [unit_type, total_units] of p.units) {
        unitInventoryService.create(ctx, {
          project_name: p.project_name, unit_type, total_units,
          site_latitude: p.site.latitude, site_longitude: p.site.longitude, site_radius_m: p.site.radius_m,
        });
      }
      // The units themselves: towers of numbered flats, a row of villas; higher floors cost a little more.
      for (const b of p.blocks) {
        const price = p.units.find(([t]) => t === b.unit_type)![2];
        for (let floor = b.floors[0]; floor <= b.floors[1]; floor += 1) {
          createUnits(ctx, {
            project_name: p.project_name, tower: b.tower, unit_type: b.unit_type, floor_from: floor, floor_to: floor, units_per_floor: b.per_floor,
            numbering: b.numbering, carpet_area_sqft: b.area, list_price: Math.round((price * (1 + floor * 0.005)) / 1000) * 1000,
          });
        }
      }
    }

    counts.units = (statement(ctx.db, 'SELECT count(*) AS n FROM sales_units').get() as { n: number }).n;

    // SPEC §10: each project's construction stages and its construction-linked plan;
    // a time-linked and a down-payment plan for any project.
    const plans: Record<string, string[]> = {};
    const stages: { id: string; stage: string }[] = [];
    for (const [n, p] of PROJECTS.entries()) {
      for (const stage of STAGES) stages.push({ id: createStage(ctx, { project_name: p.project_name, stage }).id, stage });
      plans[p.project_name] = [createPlan(ctx, {
        plan_code: `CLP-${n + 1}`, plan_name: `${p.project_name} construction linked`, project_name: p.project_name,
        instalments: [
          { label: 'On booking', percent: 10, due: 'on_booking' }, { label: 'Plinth', percent: 15, due: { stage: 'Plinth' } },
          { label: 'Fifth slab', percent: 15, due: { stage: 'Slab 5' } }, { label: 'Tenth slab', percent: 15, due: { stage: 'Slab 10' } },
          { label: 'Roof', percent: 20, due: { stage: 'Roof' } }, { label: 'Possession', percent: 25, due: { stage: 'Possession' } },
        ],
      }).id];
    }
    const timeLinked = createPlan(ctx, { plan_code: 'TLP', plan_name: 'Time linked', instalments: [
      { label: 'On booking', percent: 20, due: 'on_booking' }, { label: 'Three months', percent: 30, due: { after_days: 90 } },
      { label: 'Six months', percent: 30, due: { after_days: 180 } }, { label: 'One year', percent: 20, due: { after_days: 365 } },
    ] }).id;
    const downPayment = createPlan(ctx, { plan_code: 'DPP', plan_name: 'Down payment', instalments: [
      { label: 'On booking', percent: 10, due: 'on_booking' }, { label: 'Within 30 days', percent: 85, due: { after_days: 30 } },
      { label: 'Possession', percent: 5, due: { stage: 'Possession' } },
    ] }).id;
    for (const p of PROJECTS) plans[p.project_name]!.push(timeLinked, downPayment);

    // Leads arrive in date order so the simulated clock only moves forward.
    const leadDates = Array.from({ length: o.leads }, () => addDays(today, -Math.floor(Math.pow(rng.next(), 0.8) * 425))).sort();
    leadDates.forEach((leadDate, i) => {
      at(leadDate);
      demoLead(ctx, rng, { leadDate, today, index: i, sourceIds, campaigns, counts, at, plans });
      if (o.onProgress && (i + 1) % 1000 === 0) o.onProgress(i + 1, o.leads);
    });
    // The stages done so far (their instalments fall due 15 days on), then what the
    // buyers paid against their schedules up to today.
    now = realNow - 3 * 3600 * 1000;
    for (const s of stages) {
      const ago = STAGE_DONE_DAYS_AGO[s.stage];
      if (ago !== undefined) completeStage(ctx, s.id, { completed_on: addDays(today, -ago) });
    }
    payInstalments(ctx, rng, today, counts, at);
    // A few units held right now for the newest leads still negotiating: live holds
    // (the older ones made along the way have run out).
    now = realNow - 2 * 3600 * 1000;
    const open = statement(ctx.db, "SELECT id FROM sales_leads WHERE status IN ('negotiation', 'qualified') AND deleted_at IS NULL ORDER BY lead_date DESC, id LIMIT 3").all() as { id: string }[];
    for (const l of open) if (holdSomeUnit(ctx, rng, l.id)) counts.holds += 1;
  })();
  return counts;
}

interface LeadStory {
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

const STAGES = ['Plinth', 'Slab 5', 'Slab 10', 'Roof', 'Possession'];
/** When each stage was completed, in days before today (Possession is still to come). */
const STAGE_DONE_DAYS_AGO: Record<string, number> = { Plinth: 330, 'Slab 5': 240, 'Slab 10': 150, Roof: 60 };

/**
 * Buyers pay what falls due as buyers do: most on time, some late, some in part,
 * a few not at all so far, and a few ahead of time — so that every aging bucket
 * and every month of the collections report holds something.
 */
function payInstalments(ctx: ServiceContext, rng: Random, today: string, counts: Record<string, number>, at: (date: string) => void) {
  const due = statement(ctx.db, `SELECT s.booking_id, b.customer_id, b.booking_code, s.due_date, s.amount FROM sales_payment_schedule s JOIN sales_bookings b ON b.id = s.booking_id
      WHERE s.status = 'scheduled' AND s.deleted_at IS NULL AND b.status <> 'cancelled' AND s.due_date IS NOT NULL AND s.due_date <= ? AND s.label <> 'Forfeiture on cancellation'
      ORDER BY b.booking_code, s.seq`).all(today) as { booking_id: string; customer_id: string; booking_code: string; due_date: string; amount: number }[];
  const habit = new Map<string, 'prompt' | 'late' | 'partial' | 'none' | 'ahead'>();
  for (const d of due) {
    let h = habit.get(d.booking_id);
    if (!h) habit.set(d.booking_id, (h = rng.chance(0.62) ? 'prompt' : rng.chance(0.45) ? 'late' : rng.chance(0.6) ? 'partial' : rng.chance(0.5) ? 'none' : 'ahead'));
    if (h === 'none') continue;
    const when = addDays(d.due_date, h === 'late' ? rng.int(20, 200) : rng.int(0, 7));
    if (when > today) continue;
    const amount = h === 'partial' ? Math.round(d.amount / 2 / 100) * 100 : h === 'ahead' ? Math.round(d.amount * 1.3 / 100) * 100 : d.amount;
    at(when);
    appendLedgerEntry(ctx, {
      customer_id: d.customer_id, transaction_date: when, transaction_type: 'payment', credit_amount: amount,
      reference_document_type: 'booking', reference_document_id: d.booking_id, description: `Instalment for ${d.booking_code}`,
    });
    counts.ledger_entries! += 1;
  }
}

function demoLead(ctx: ServiceContext, rng: Random, s: LeadStory) {
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
    const milestoneId = (statement(ctx.db, "SELECT id FROM sales_lead_milestones WHERE lead_id = ? AND milestone_type = 'site_visit'").get(lead.id) as { id: string }).id;
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
function holdSomeUnit(ctx: ServiceContext, rng: Random, leadId: string): boolean {
  const project = rng.pick(PROJECTS);
  const [unitType] = rng.pick(project.units);
  const free = listUnits(ctx, { project_name: project.project_name, unit_type: unitType, status: 'available', limit: 12 }).items;
  if (!free.length) return false;
  holdUnit(ctx, rng.pick(free).id, { lead_id: leadId });
  return true;
}

function lose(ctx: ServiceContext, rng: Random, leadId: string, s: LeadStory) {
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
