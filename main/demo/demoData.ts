import type { ServiceContext } from '../domain/context.js';
import { randomBytes } from 'node:crypto';
import { prepareCached } from '../../db/statements.js';
import { addUser } from '../services/users.js';
import { conflict, validationError } from '../domain/errors.js';
import { addDays, instantOf, localDateOf } from '../../db/values/dates.js';
import { createUnits } from '../services/units.js';
import { campaignService, leadSourceService, unitInventoryService } from '../services/catalog.js';
import { appendLedgerEntry } from '../services/ledger.js';
import { completeStage, createPlan, createStage } from '../services/paymentPlans.js';
import { seededRandom, type Random } from './random.js';
import { CAMPAIGN_TYPES, PROJECTS, REPS, SOURCES } from './fixtures.js';
import { demoLead, holdSomeUnit } from './leadStory.js';


// `milepost demo`: realistic, deterministic data. Leads arrive over the last 14
// months and move through the lifecycle by milestones (SPEC §4) through the same
// services the app uses, so every rule, history row and audit row is real.

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
  const made = prepareCached(base.db, 'SELECT min(created_at) AS at FROM sales_units WHERE project_name = ? AND deleted_at IS NULL').get(PROJECTS[0]!.project_name) as { at: string | null };
  if (made.at) throw conflict(`this tenant already holds the demo data (made ${made.at.slice(0, 10)}): run demo on a new tenant`, 'tenant');
  base.db.transaction(() => {
    // The reps the leads are assigned to are users of the tenant (made once; a second demo run finds them).
    for (const username of REPS) {
      if (prepareCached(ctx.db, 'SELECT 1 FROM users WHERE lower(username) = lower(?) AND deleted_at IS NULL').get(username)) continue;
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

    counts.units = (prepareCached(ctx.db, 'SELECT count(*) AS n FROM sales_units').get() as { n: number }).n;

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
    const open = prepareCached(ctx.db, "SELECT id FROM sales_leads WHERE status IN ('negotiation', 'qualified') AND deleted_at IS NULL ORDER BY lead_date DESC, id LIMIT 3").all() as { id: string }[];
    for (const l of open) if (holdSomeUnit(ctx, rng, l.id)) counts.holds += 1;
  })();
  return counts;
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
  const due = prepareCached(ctx.db, `SELECT s.booking_id, b.customer_id, b.booking_code, s.due_date, s.amount FROM sales_payment_schedule s JOIN sales_bookings b ON b.id = s.booking_id
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

