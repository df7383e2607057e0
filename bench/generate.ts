import type Database from 'better-sqlite3';
import { stageRank, type LeadStatus, type MilestoneType } from '../db/schema/enums.js';
import { addDays, instantOf } from '../db/values/dates.js';
import { reachedRankAfter, statusAfterMilestone } from '../main/domain/lifecycle.js';
import { seededRandom } from '../main/demo/random.js';
import { withBulkLoad } from '../db/aggregates.js';
import { scheduleOf, type PlanInstalment } from '../main/domain/schedule.js';

// The benchmark's data at the scale of SPEC §9, made fast and deterministically:
// rows go straight in with prepared statements in large transactions (an import, not
// a user's clicks, so no audit rows), with the same derived fields the services keep
// (status, reached rank, status history).

export const SCALES = {
  full: { leads: 100_000, milestones: 1_000_000, engagements: 3_000_000, bookings: 100_000, ledger: 1_000_000, sources: 50, campaigns: 30, customers: 5_000 },
  small: { leads: 1_000, milestones: 10_000, engagements: 30_000, bookings: 1_000, ledger: 10_000, sources: 50, campaigns: 30, customers: 50 },
} as const;
export type ScaleName = keyof typeof SCALES;
export type Scale = (typeof SCALES)[ScaleName];

/** The lead with 500 engagements and the customer with the most ledger entries. */
export const BUSY_LEAD = 'lead-busy';
export const BUSY_CUSTOMER = 'customer-busy';

const PROGRESSION: MilestoneType[] = ['lead_generated', 'contacted', 'site_visit', 'revisit', 'demo', 'proposal', 'negotiation', 'booking'];
const ENGAGEMENT_TYPES = ['email_sent', 'call_made', 'message_sent', 'meeting_scheduled', 'proposal_sent', 'quote_sent'];
const CHANNELS = ['email', 'phone', 'sms', 'whatsapp', 'in_person', 'video'];
const SOURCE_TYPES = ['website', 'email', 'phone', 'referral', 'event', 'social', 'walk_in', 'partner', 'advertisement', 'other'];
const FIRST = ['Aarav', 'Diya', 'Kabir', 'Meera', 'Rohan', 'Ananya', 'Ishaan', 'Saanvi', 'Arjun', 'Kavya', 'Dev', 'Riya', 'Nikhil', 'Tara', 'Yash', 'Zoya'];
const LAST = ['Sharma', 'Iyer', 'Reddy', 'Patel', 'Nair', 'Gupta', 'Menon', 'Das', 'Kapoor', 'Singh', 'Rao', 'Joshi'];

const ROWS_PER_STATEMENT = 100;

export interface Generated {
  rows: Record<string, number>;
  seconds: number;
  rowsPerSecond: number;
}

export function generate(db: Database.Database, scale: Scale, { today, seed = 42, timezone = 'Asia/Kolkata', onProgress }: { today: string; seed?: number; timezone?: string; onProgress?: (table: string, n: number) => void }): Generated {
  const rng = seededRandom(seed);
  const start = performance.now();
  const rows: Record<string, number> = {};
  const days = 425; // 14 months
  // Dates are worked out once per day, not once per row: the generator is bound by
  // JavaScript, not by SQLite, when it formats a date for each of 5 million rows.
  const dayCache = new Map<string, number>();
  const nineAm = (date: string) => {
    let ms = dayCache.get(date);
    if (ms === undefined) {
      ms = instantOf(date, '09:00', timezone).getTime();
      dayCache.set(date, ms);
    }
    return ms;
  };
  const dates = new Map<string, string[]>();
  const plusDays = (date: string, n: number): string => {
    let row = dates.get(date);
    if (!row) {
      row = Array.from({ length: 500 }, (_, k) => addDays(date, k - 430));
      dates.set(date, row);
    }
    return n >= -430 && n < 70 ? row[n + 430]! : addDays(date, n);
  };
  const notAfterToday = (date: string) => (date > today ? today : date);
  const stamp = (date: string, minute: number) => new Date(nineAm(date) + minute * 60_000 + rng.int(0, 59_999)).toISOString();
  // Ids are made at import time, as an import on a device would make them: UUIDv7 in
  // increasing order, so the primary-key indexes grow at their end.
  let importClock = Date.parse(`${today}T00:00:00Z`);
  const id = () => rng.uuidV7(importClock++);
  // Leads and their milestones are written side by side; the references are checked
  // once at the end instead of row by row.
  db.pragma('foreign_keys = OFF');
  // Random-order keys (UUIDs) into large indexes: a bigger page cache for the import
  // keeps the B-tree pages in memory instead of re-reading them for every row.
  const cacheBefore = db.pragma('cache_size', { simple: true });
  db.pragma('cache_size = -262144');

  /**
   * Insert many rows of one table in transactions of 50,000, 100 rows to a statement:
   * one statement run per row costs more in binding and in the CHECK constraints'
   * IN-lists (which SQLite builds once per run) than writing the row does.
   */
  function bulk(table: string, columns: string[], produce: (emit: (values: unknown[]) => void) => void) {
    const insert = (rowCount: number) =>
      db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rowCount }, () => `(${columns.map(() => '?').join(', ')})`).join(', ')}`);
    const many = insert(ROWS_PER_STATEMENT);
    let pending: unknown[] = [];
    let count = 0;
    const flush = db.transaction((values: unknown[]) => {
      const width = columns.length * ROWS_PER_STATEMENT;
      let at = 0;
      for (; at + width <= values.length; at += width) many.run(values.slice(at, at + width));
      if (at < values.length) insert((values.length - at) / columns.length).run(values.slice(at));
    });
    produce((values) => {
      for (const v of values) pending.push(v);
      if (pending.length === 50_000 * columns.length) {
        flush(pending);
        count += 50_000;
        pending = [];
        onProgress?.(table, count);
      }
    });
    flush(pending);
    count += pending.length / columns.length;
    rows[table] = (rows[table] ?? 0) + count;
  }

  const record = ['id', 'created_at', 'updated_at', 'created_by', 'deleted_at'];
  const bigTables = ['sales_leads', 'sales_lead_milestones', 'sales_lead_status_history', 'sales_lead_engagement', 'sales_bookings', 'sales_payment_schedule', 'sales_account_ledgers'];
  withBulkLoad(db, bigTables, () => {
  const sourceIds = Array.from({ length: scale.sources }, (_, i) => `source-${i + 1}`);
  bulk('sales_lead_sources', [...record, 'source_name', 'source_type', 'subsource_name', 'channel', 'is_active'], (emit) => {
    sourceIds.forEach((sid, i) => {
      const at = stamp(plusDays(today, -days), i);
      emit([sid, at, at, null, null, `Source ${i + 1}`, SOURCE_TYPES[i % SOURCE_TYPES.length], i % 3 ? `Sub ${i}` : null, ['Paid Search', 'Organic', 'Social Media', 'Direct'][i % 4], 1]);
    });
  });
  const campaignIds = Array.from({ length: scale.campaigns }, (_, i) => `campaign-${i + 1}`);
  bulk('sales_campaigns', [...record, 'campaign_code', 'campaign_name', 'campaign_type', 'start_date', 'end_date', 'budget', 'expected_roi', 'assigned_to', 'status', 'description'], (emit) => {
    campaignIds.forEach((cid, i) => {
      const s = plusDays(today, -days + i * 13);
      const at = stamp(s, 0);
      emit([cid, at, at, null, null, `CMP-${i + 1}`, `Campaign ${i + 1}`, ['email', 'social', 'digital', 'event', 'referral'][i % 5], s, plusDays(s, 90), rng.int(1, 50) * 100_000_00, 200, null, i < 25 ? 'completed' : 'active', null]);
    });
  });
  const customerIds = [BUSY_CUSTOMER, ...Array.from({ length: scale.customers - 1 }, (_, i) => `customer-${i + 1}`)];
  bulk('sales_customers', [...record, 'customer_code', 'name', 'email', 'phone', 'address', 'lead_id'], (emit) => {
    customerIds.forEach((cid, i) => {
      const at = stamp(plusDays(today, -days), i % 600);
      emit([cid, at, at, null, null, `CUS-B-${String(i + 1).padStart(6, '0')}`, `${rng.pick(FIRST)} ${rng.pick(LAST)}`, null, null, null, null]);
    });
  });

  // Leads, their milestones (status follows SPEC §4) and status history.
  const leadIds: string[] = [];
  const leadDates: string[] = [];
  const perLead = Math.max(1, Math.round(scale.milestones / scale.leads));
  bulk('sales_leads', [...record, 'lead_code', 'name', 'email', 'phone', 'company', 'source_id', 'campaign_id', 'assigned_to', 'status', 'reached_rank', 'lead_date', 'customer_id', 'lost_reason', 'notes'], (emitLead) => {
    bulk('sales_lead_milestones', [...record, 'lead_id', 'milestone_type', 'milestone_date', 'milestone_time', 'location_latitude', 'location_longitude', 'location_name', 'visited_by', 'duration_minutes', 'outcome', 'follow_up_required', 'follow_up_date', 'follow_up_completed_at', 'notes', 'metadata'], (emitMilestone) =>
    bulk('sales_lead_status_history', [...record, 'lead_id', 'from_status', 'to_status', 'changed_at', 'changed_by', 'cause'], (emitHistory) => {
      let milestonesLeft = scale.milestones;
      for (let i = 0; i < scale.leads; i += 1) {
        const lid = i === 0 ? BUSY_LEAD : `lead-${i}`;
        const leadDate = plusDays(today, -Math.floor(Math.pow(rng.next(), 0.85) * days));
        const createdAt = stamp(leadDate, 0);
        let status: LeadStatus = 'new';
        let reached = 0;
        emitHistory([id(), createdAt, createdAt, null, null, lid, null, 'new', createdAt, null, 'manual']);
        const count = i === scale.leads - 1 ? milestonesLeft : Math.min(milestonesLeft, rng.int(Math.max(1, perLead - 6), perLead + 6));
        milestonesLeft -= count;
        let date = leadDate;
        for (let m = 0; m < count; m += 1) {
          const type: MilestoneType = m < PROGRESSION.length && rng.chance(0.85) ? PROGRESSION[m]! : rng.chance(0.08) ? 'cancellation' : rng.chance(0.3) ? 'reengaged' : 'revisit';
          if (m > 0) date = plusDays(date, rng.int(0, 6));
          if (date > today) date = today;
          const at = stamp(date, m);
          const followUp = rng.chance(0.1) ? plusDays(date, rng.int(1, 10)) : null;
          emitMilestone([id(), at, at, null, null, lid, type, date, `${String(rng.int(9, 18)).padStart(2, '0')}:00`, null, null,
            type === 'site_visit' ? 'Site office' : null, null, null, null, followUp ? 1 : 0, followUp, followUp && followUp < today && rng.chance(0.7) ? at : null, null, null]);
          const next = statusAfterMilestone(status, type);
          if (next) {
            emitHistory([id(), at, at, null, null, lid, status, next, at, null, `milestone:${type}`]);
            reached = reachedRankAfter(reached, next);
            status = next;
          }
        }
        leadIds.push(lid);
        leadDates.push(leadDate);
        emitLead([lid, createdAt, createdAt, null, null, `LD-${String(i + 1).padStart(6, '0')}`, `${rng.pick(FIRST)} ${rng.pick(LAST)}`,
          `lead${i}@example.com`, `+91 9${String(100_000_000 + i).padStart(9, '0')}`, rng.chance(0.4) ? 'Infosys' : null,
          rng.chance(0.93) ? rng.pick(sourceIds) : null, rng.chance(0.4) ? rng.pick(campaignIds) : null, `rep-${rng.int(1, 40)}`, status,
          Math.max(reached, stageRank[status] ?? 0), leadDate, null, null, null]);
      }
    }));
  });

  bulk('sales_lead_engagement', [...record, 'lead_id', 'engagement_type', 'engagement_channel', 'engagement_date', 'subject', 'notes', 'status', 'response_received', 'response_date', 'response_notes', 'duration_seconds'], (emit) => {
    for (let i = 0; i < scale.engagements; i += 1) {
      const li = i < 500 ? 0 : rng.int(1, scale.leads - 1);
      const date = notAfterToday(plusDays(leadDates[li]!, rng.int(0, 30)));
      const at = stamp(date, i % 600);
      const responded = rng.chance(0.45);
      emit([id(), at, at, null, null, leadIds[li], rng.pick(ENGAGEMENT_TYPES), rng.pick(CHANNELS), date, 'Follow-up', null, 'completed',
        responded ? 1 : 0, responded ? notAfterToday(plusDays(date, rng.int(0, 3))) : null, null, rng.chance(0.5) ? rng.int(30, 1800) : null]);
    }
  });

  // SPEC §10: every project's construction stages (the early ones completed over the
  // 14 months, later ones not yet) and three plans, so every booking has a schedule of
  // about five instalments.
  const PROJECT_COUNT = 20;
  const STAGES = ['Plinth', 'Slab 5', 'Slab 10', 'Roof', 'Possession'];
  const stageDone = new Map<string, Map<string, string | null>>();
  bulk('sales_construction_stages', [...record, 'project_name', 'stage', 'completed_on'], (emit) => {
    for (let p = 1; p <= PROJECT_COUNT; p += 1) {
      const done = new Map<string, string | null>();
      STAGES.forEach((stage, k) => {
        // Plinth about a year ago, a slab every few months; possession of none yet.
        const ago = 380 - k * 110 + (p % 5) * 12;
        const completed = k < 4 && ago > 0 ? plusDays(today, -ago) : null;
        done.set(stage.toLowerCase(), completed);
        const at = stamp(plusDays(today, -days), p);
        emit([`stage-${p}-${k + 1}`, at, at, null, null, `Project ${p}`, stage, completed]);
      });
      stageDone.set(`Project ${p}`, done);
    }
  });
  const PLANS: { id: string; code: string; name: string; instalments: PlanInstalment[] }[] = [
    { id: 'plan-clp', code: 'CLP', name: 'Construction linked', instalments: [
      { label: 'On booking', percent: 1000, due: 'on_booking' }, { label: 'Plinth', percent: 2000, due: { stage: 'Plinth' } },
      { label: 'Fifth slab', percent: 2000, due: { stage: 'Slab 5' } }, { label: 'Roof', percent: 2500, due: { stage: 'Roof' } },
      { label: 'Possession', percent: 2500, due: { stage: 'Possession' } }] },
    { id: 'plan-tlp', code: 'TLP', name: 'Time linked', instalments: [
      { label: 'On booking', percent: 2000, due: 'on_booking' }, { label: 'Three months', percent: 2000, due: { after_days: 90 } },
      { label: 'Six months', percent: 2000, due: { after_days: 180 } }, { label: 'Nine months', percent: 2000, due: { after_days: 270 } },
      { label: 'One year', percent: 2000, due: { after_days: 365 } }] },
    { id: 'plan-dpp', code: 'DPP', name: 'Down payment', instalments: [
      { label: 'On booking', percent: 1000, due: 'on_booking' }, { label: 'Within 30 days', percent: 8500, due: { after_days: 30 } },
      { label: 'Possession', percent: 500, due: { stage: 'Possession' } }] },
  ];
  bulk('sales_payment_plans', [...record, 'plan_code', 'plan_name', 'project_name', 'active', 'instalments'], (emit) => {
    for (const p of PLANS) {
      const at = stamp(plusDays(today, -days), 0);
      emit([p.id, at, at, null, null, p.code, p.name, '', 1, JSON.stringify(p.instalments)]);
    }
  });

  interface Booked { id: string; customer: string; date: string; live: boolean; instalments: { amount: number; due_date: string | null }[] }
  const booked: Booked[] = [];
  bulk('sales_bookings', [...record, 'booking_code', 'customer_id', 'lead_id', 'booking_date', 'booking_amount', 'project_name', 'unit_type', 'unit_count', 'units_booked', 'units_available', 'status', 'cancellation_date', 'cancellation_reason', 'refund_amount', 'delivery_date', 'notes', 'conflict', 'payment_plan_id', 'forfeiture_amount'], (emit) => {
    bulk('sales_payment_schedule', [...record, 'booking_id', 'seq', 'label', 'amount', 'due_date', 'stage', 'status'], (emitInstalment) => {
      for (let i = 0; i < scale.bookings; i += 1) {
        const li = rng.int(0, scale.leads - 1);
        const date = notAfterToday(plusDays(leadDates[li]!, rng.int(5, 60)));
        const at = stamp(date, i % 600);
        const cancelled = rng.chance(0.1);
        const amount = rng.int(30, 300) * 100_000_00;
        const status = cancelled ? 'cancelled' : rng.pick(['confirmed', 'confirmed', 'confirmed', 'pending', 'completed', 'on_hold']);
        const project = `Project ${rng.int(1, PROJECT_COUNT)}`;
        const plan = PLANS[rng.chance(0.5) ? 0 : rng.chance(0.6) ? 1 : 2]!;
        const bid = id();
        const customer = rng.pick(customerIds);
        emit([bid, at, at, null, null, `BKG-B-${String(i + 1).padStart(7, '0')}`, customer, leadIds[li], date, amount,
          project, ['1BHK', '2BHK', '3BHK', 'Villa'][rng.int(0, 3)], 1, 1, null, status, cancelled ? date : null,
          cancelled ? 'Changed plans' : null, null, plusDays(date, 400), null, null, plan.id, cancelled ? 0 : null]);
        const schedule = scheduleOf(plan.instalments, amount, date, stageDone.get(project)!, 15);
        for (const s of schedule) emitInstalment([id(), at, at, null, null, bid, s.seq, s.label, s.amount, s.due_date, s.stage, cancelled ? 'cancelled' : 'scheduled']);
        booked.push({ id: bid, customer, date, live: !cancelled, instalments: schedule });
      }
    });
  });

  // The ledger: a demand (invoice) for each instalment as it falls due and the
  // customer's payments against it — most on time, some late, some part-paid, some
  // not yet — then other entries (invoices, notes) up to the scale's count, a fiftieth
  // of them the busy customer's.
  bulk('sales_account_ledgers', [...record, 'ledger_code', 'customer_id', 'transaction_date', 'transaction_type', 'debit_amount', 'credit_amount', 'reference_document_type', 'reference_document_id', 'description', 'status'], (emit) => {
    let n = 0;
    const entry = (customer: string, date: string, type: string, amount: number, booking: string | null) => {
      n += 1;
      const at = stamp(date, n % 600);
      const debit = type === 'invoice' || type === 'debit_note';
      emit([id(), at, at, null, null, `LED-B-${String(n).padStart(7, '0')}`, customer, date, type, debit ? amount : 0, debit ? 0 : amount,
        booking ? 'booking' : null, booking, null, 'active']);
    };
    for (const b of booked) {
      if (!b.live) continue;
      const habit = rng.next(); // < 0.75 on time, < 0.85 late, < 0.93 part-payer, else behind
      for (const s of b.instalments) {
        if (s.due_date === null || s.due_date > today || n >= scale.ledger) continue;
        entry(b.customer, s.due_date, 'invoice', s.amount, b.id);
        const paidOn = habit < 0.75 ? plusDays(s.due_date, rng.int(0, 10)) : habit < 0.85 ? plusDays(s.due_date, rng.int(30, 150)) : habit < 0.93 ? plusDays(s.due_date, rng.int(0, 20)) : null;
        if (paidOn === null || paidOn > today) continue;
        entry(b.customer, paidOn, 'payment', habit >= 0.85 ? Math.round(s.amount / 200) * 100 : s.amount, rng.chance(0.7) ? b.id : null);
      }
    }
    while (n < scale.ledger) {
      const customer = n % 50 === 0 ? BUSY_CUSTOMER : rng.pick(customerIds);
      entry(customer, plusDays(today, -rng.int(0, days)), rng.pick(['invoice', 'debit_note', 'credit_note']), rng.int(1, 50) * 1_000_00, null);
    }
  });

  });
  db.pragma(`cache_size = ${String(cacheBefore)}`);
  db.pragma('foreign_keys = ON');
  const broken = db.pragma('foreign_key_check') as unknown[];
  if (broken.length) throw new Error(`generated data has ${broken.length} broken references`);
  // The planner's statistics from a sample of each index, as `PRAGMA optimize` keeps them.
  db.pragma('analysis_limit = 1000');
  db.exec('ANALYZE');
  const seconds = (performance.now() - start) / 1000;
  const total = Object.values(rows).reduce((a, b) => a + b, 0);
  return { rows, seconds, rowsPerSecond: Math.round(total / seconds) };
}
