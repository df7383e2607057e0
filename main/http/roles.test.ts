import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApi } from '../../test/apiFixture.js';
import { addReps } from '../../test/tenantFixture.js';
import { bookUnit } from '../services/bookings.js';
import { campaignService, unitInventoryService } from '../services/catalog.js';
import { createLedgerEntry } from '../services/ledger.js';
import { leadService } from '../services/leads.js';
import { createEngagement } from '../services/engagements.js';
import { createMilestone } from '../services/milestones.js';
import { createStage } from '../services/paymentPlans.js';
import { createUnits } from '../services/units.js';
import { holdUnit } from '../services/holds.js';
import { routes } from './routes.js';

// SPEC §11's table, cell by cell, over HTTP. Each action is tried by an
// admin, a manager and a sales rep on records made fresh for the try; an allowed one
// answers 2xx, a refused one 403 naming the role (or the field a rep may not set)
// and changes nothing. A rep changes only their own leads and what hangs off them.

type Role = 'admin' | 'manager' | 'rep';
type Outcome = 'ok' | 'forbidden';
interface Try { method: string; url: string; body?: unknown }

let api: Awaited<ReturnType<typeof makeApi>>;
const headers: Partial<Record<Role, Record<string, string>>> = {};
beforeAll(async () => {
  api = await makeApi();
  for (const r of ['admin', 'manager', 'rep'] as const) headers[r] = await api.login(r);
  const ctx = api.manager.context('t1', 'user-admin');
  addReps(ctx, 'priya');
  unitInventoryService.create(ctx, { project_name: 'Skyline', unit_type: '2BHK', total_units: 0 });
  createUnits(ctx, { project_name: 'Skyline', tower: 'A', unit_type: '2BHK', floor_from: 1, floor_to: 10, units_per_floor: 10, list_price: 5000000 });
  createStage(ctx, { project_name: 'Skyline', stage: 'Plinth' });
  campaignService.create(ctx, { id: 'cmp-1', campaign_code: 'C-1', campaign_name: 'Diwali', campaign_type: 'digital' });
});
afterAll(() => api?.close());

const S = '/api/v1/sales';
let n = 0;
const ctx = () => api.manager.context('t1', 'user-admin');
/** A lead of the rep's ("own") or of someone else's. */
const lead = (own: boolean) => leadService.create(ctx(), { name: `Lead ${++n}`, lead_date: '2025-11-01', assigned_to: own ? 'rep' : 'priya' }).id as string;
/** A unit neither booked nor held. */
const unit = () => (ctx().db.prepare(`SELECT u.id FROM sales_units u WHERE u.deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM sales_bookings b WHERE b.unit_id = u.id AND b.status <> 'cancelled' AND b.deleted_at IS NULL)
  AND NOT EXISTS (SELECT 1 FROM sales_unit_holds h WHERE h.unit_id = u.id AND h.released_at IS NULL AND h.deleted_at IS NULL)
  ORDER BY u.id LIMIT 1`).get() as { id: string }).id;
const booking = (own = false) => bookUnit(ctx(), lead(own), { unit_id: unit(), booking_date: '2025-11-10' });
const milestone = (own: boolean) => createMilestone(ctx(), { lead_id: lead(own), milestone_type: 'site_visit', milestone_date: '2025-11-20', follow_up_date: '2025-11-22' }).id;
const engagement = (own: boolean) => createEngagement(ctx(), { lead_id: lead(own), engagement_type: 'call_made', engagement_channel: 'phone', engagement_date: '2025-11-20' }).id;
const payment = () => createLedgerEntry(ctx(), { customer_id: booking().customer_id, transaction_date: '2025-11-12', transaction_type: 'payment', credit_amount: 1000 }).id;
const held = (own: boolean) => {
  const u = unit();
  holdUnit(ctx(), u, { lead_id: lead(own) });
  return u;
};
const csv = { file_name: 'x.csv', data_base64: Buffer.from('Name,Phone\r\nOne,+91 98450 71111\r\n').toString('base64') };

const ALL: Record<Role, Outcome> = { admin: 'ok', manager: 'ok', rep: 'ok' };
const MANAGERS: Record<Role, Outcome> = { admin: 'ok', manager: 'ok', rep: 'forbidden' };
const ADMINS: Record<Role, Outcome> = { admin: 'ok', manager: 'forbidden', rep: 'forbidden' };

// [row of the table, action, what it is tried on, outcome by role]
const CELLS: [string, string, () => Try, Record<Role, Outcome>][] = [
  ['leads…: create and edit (own leads)', 'create a lead', () => ({ method: 'POST', url: `${S}/leads`, body: { name: `New ${++n}`, lead_date: '2025-11-01' } }), ALL],
  ['leads…: create and edit (own leads)', "create a lead for someone else", () => ({ method: 'POST', url: `${S}/leads`, body: { name: `New ${++n}`, assigned_to: 'priya' } }), MANAGERS],
  ['leads…: create and edit (own leads)', 'edit an own lead', () => ({ method: 'PATCH', url: `${S}/leads/${lead(true)}`, body: { notes: 'called' } }), ALL],
  ['leads…: create and edit (own leads)', "edit another's lead", () => ({ method: 'PATCH', url: `${S}/leads/${lead(false)}`, body: { notes: 'called' } }), MANAGERS],
  ['leads…: create and edit (own leads)', 'milestone on an own lead', () => ({ method: 'POST', url: `${S}/milestones/lead`, body: { lead_id: lead(true), milestone_type: 'contacted', milestone_date: '2025-11-20' } }), ALL],
  ['leads…: create and edit (own leads)', "milestone on another's lead", () => ({ method: 'POST', url: `${S}/milestones/lead`, body: { lead_id: lead(false), milestone_type: 'contacted', milestone_date: '2025-11-20' } }), MANAGERS],
  ['leads…: create and edit (own leads)', 'complete an own follow-up', () => ({ method: 'PATCH', url: `${S}/milestones/${milestone(true)}/follow-up`, body: {} }), ALL],
  ['leads…: create and edit (own leads)', "complete another's follow-up", () => ({ method: 'PATCH', url: `${S}/milestones/${milestone(false)}/follow-up`, body: {} }), MANAGERS],
  ['leads…: create and edit (own leads)', 'engagement on an own lead', () => ({ method: 'POST', url: `${S}/engagement`, body: { lead_id: lead(true), engagement_type: 'email_sent', engagement_channel: 'email', engagement_date: '2025-11-20' } }), ALL],
  ['leads…: create and edit (own leads)', "engagement on another's lead", () => ({ method: 'POST', url: `${S}/engagement`, body: { lead_id: lead(false), engagement_type: 'email_sent', engagement_channel: 'email', engagement_date: '2025-11-20' } }), MANAGERS],
  ['leads…: create and edit (own leads)', 'response on an own engagement', () => ({ method: 'PATCH', url: `${S}/engagement/${engagement(true)}/response`, body: { response_date: '2025-11-21' } }), ALL],
  ['leads…: create and edit (own leads)', "response on another's engagement", () => ({ method: 'PATCH', url: `${S}/engagement/${engagement(false)}/response`, body: { response_date: '2025-11-21' } }), MANAGERS],
  ['leads…: create and edit (own leads)', 'hold a unit for an own lead', () => ({ method: 'POST', url: `${S}/units/${unit()}/hold`, body: { lead_id: lead(true) } }), ALL],
  ['leads…: create and edit (own leads)', "hold a unit for another's lead", () => ({ method: 'POST', url: `${S}/units/${unit()}/hold`, body: { lead_id: lead(false) } }), MANAGERS],
  ['leads…: create and edit (own leads)', 'release an own hold', () => ({ method: 'POST', url: `${S}/units/${held(true)}/release`, body: {} }), ALL],
  ['leads…: create and edit (own leads)', "release another's hold", () => ({ method: 'POST', url: `${S}/units/${held(false)}/release`, body: {} }), MANAGERS],
  ['book a unit (own leads)', 'book for an own lead', () => ({ method: 'POST', url: `${S}/leads/${lead(true)}/book`, body: { unit_id: unit() } }), ALL],
  ['book a unit (own leads)', "book for another's lead", () => ({ method: 'POST', url: `${S}/leads/${lead(false)}/book`, body: { unit_id: unit() } }), MANAGERS],
  ['book a unit (own leads)', "change a booking's delivery date", () => ({ method: 'PATCH', url: `${S}/bookings/${booking(true).booking.id}`, body: { delivery_date: '2027-03-31' } }), MANAGERS],
  ['book a unit (own leads)', 'record a booking without a lead', () => ({ method: 'POST', url: `${S}/bookings`, body: { customer_id: booking().customer_id, booking_date: '2025-11-10', booking_amount: 100000 } }), MANAGERS],
  ['record a payment', 'a payment', () => ({ method: 'POST', url: `${S}/ledger`, body: { customer_id: booking().customer_id, transaction_date: '2025-11-12', transaction_type: 'payment', credit_amount: 99999.99 } }), ALL],
  ['cancel, refunds, notes, adjustments, reversals', 'cancel a booking', () => ({ method: 'POST', url: `${S}/bookings/${booking(true).booking.id}/cancel`, body: { cancellation_reason: 'x' } }), MANAGERS],
  ['cancel, refunds, notes, adjustments, reversals', 'a refund', () => ({ method: 'POST', url: `${S}/ledger`, body: { customer_id: booking().customer_id, transaction_date: '2025-11-12', transaction_type: 'refund', debit_amount: 10 } }), MANAGERS],
  ['cancel, refunds, notes, adjustments, reversals', 'a credit note', () => ({ method: 'POST', url: `${S}/ledger`, body: { customer_id: booking().customer_id, transaction_date: '2025-11-12', transaction_type: 'credit_note', credit_amount: 19900000 } }), MANAGERS],
  ['cancel, refunds, notes, adjustments, reversals', 'a debit note', () => ({ method: 'POST', url: `${S}/ledger`, body: { customer_id: booking().customer_id, transaction_date: '2025-11-12', transaction_type: 'debit_note', debit_amount: 10 } }), MANAGERS],
  ['cancel, refunds, notes, adjustments, reversals', 'an adjustment', () => ({ method: 'POST', url: `${S}/ledger`, body: { customer_id: booking().customer_id, transaction_date: '2025-11-12', transaction_type: 'adjustment', credit_amount: 10 } }), MANAGERS],
  ['cancel, refunds, notes, adjustments, reversals', 'an invoice', () => ({ method: 'POST', url: `${S}/ledger`, body: { customer_id: booking().customer_id, transaction_date: '2025-11-12', transaction_type: 'invoice', debit_amount: 10 } }), MANAGERS],
  ['cancel, refunds, notes, adjustments, reversals', 'a reversal', () => ({ method: 'POST', url: `${S}/ledger/${payment()}/reverse`, body: {} }), MANAGERS],
  ['campaigns, sources, units, plans, stages, inventory', 'a campaign', () => ({ method: 'POST', url: `${S}/campaigns`, body: { campaign_code: `C-${++n}`, campaign_name: 'x', campaign_type: 'email' } }), MANAGERS],
  ['campaigns, sources, units, plans, stages, inventory', "a campaign's budget", () => ({ method: 'PATCH', url: `${S}/campaigns/cmp-1`, body: { budget: 1 } }), MANAGERS],
  ['campaigns, sources, units, plans, stages, inventory', 'a lead source', () => ({ method: 'POST', url: `${S}/lead-sources`, body: { source_name: `Source ${++n}`, source_type: 'website' } }), MANAGERS],
  ['campaigns, sources, units, plans, stages, inventory', 'a unit type', () => ({ method: 'POST', url: `${S}/unit-inventory`, body: { project_name: `P${++n}`, unit_type: '3BHK', total_units: 3 } }), MANAGERS],
  ['campaigns, sources, units, plans, stages, inventory', 'a site', () => ({ method: 'PUT', url: `${S}/unit-inventory/site`, body: { project_name: 'Skyline', site_latitude: 12.9, site_longitude: 77.5, site_radius_m: 300 } }), MANAGERS],
  ['campaigns, sources, units, plans, stages, inventory', 'a unit', () => ({ method: 'POST', url: `${S}/units`, body: { project_name: 'Skyline', tower: 'Z', floor: 1, unit_number: String(++n), unit_type: '2BHK', list_price: 1000 } }), MANAGERS],
  ['campaigns, sources, units, plans, stages, inventory', "a unit's price", () => ({ method: 'PATCH', url: `${S}/units/${unit()}`, body: { list_price: 1 } }), MANAGERS],
  ['campaigns, sources, units, plans, stages, inventory', 'a plan', () => ({ method: 'POST', url: `${S}/payment-plans`, body: { plan_code: `P-${++n}`, plan_name: 'x', instalments: [{ label: 'All', percent: 100, due: 'on_booking' }] } }), MANAGERS],
  ['campaigns, sources, units, plans, stages, inventory', 'a stage', () => ({ method: 'POST', url: `${S}/construction-stages`, body: { project_name: 'Skyline', stage: `Slab ${++n}` } }), MANAGERS],
  ['campaigns, sources, units, plans, stages, inventory', 'complete a stage', () => ({ method: 'PATCH', url: `${S}/construction-stages/${createStage(ctx(), { project_name: 'Skyline', stage: `Floor ${++n}` }).id}`, body: { completed_on: '2025-11-20' } }), MANAGERS],
  ['import leads, reassign leads, delete leads', 'import preview', () => ({ method: 'POST', url: `${S}/imports/leads/preview`, body: csv }), MANAGERS],
  ['import leads, reassign leads, delete leads', 'import', () => ({ method: 'POST', url: `${S}/imports/leads`, body: csv }), MANAGERS],
  ['import leads, reassign leads, delete leads', 'reassign an own lead', () => ({ method: 'PATCH', url: `${S}/leads/${lead(true)}`, body: { assigned_to: 'priya' } }), MANAGERS],
  ['import leads, reassign leads, delete leads', 'delete a lead', () => ({ method: 'DELETE', url: `${S}/leads/${lead(true)}` }), MANAGERS],
  ['users, stage and tenant settings, sync settings', 'add a user', () => ({ method: 'POST', url: '/api/v1/users', body: { username: `user${++n}`, password: 'long-enough-1', role: 'sales_rep' } }), ADMINS],
  ['users, stage and tenant settings, sync settings', 'rename a user', () => ({ method: 'PATCH', url: `/api/v1/users/${(ctx().db.prepare("SELECT id FROM users WHERE username = 'rep'").get() as { id: string }).id}`, body: { display_name: `Rep ${++n}` } }), ADMINS],
  ['users, stage and tenant settings, sync settings', 'tenant settings', () => ({ method: 'PUT', url: '/api/v1/settings', body: { demand_notice_days: 10 + (++n % 5) } }), ADMINS],
  ['users, stage and tenant settings, sync settings', 'stage settings', () => ({ method: 'PUT', url: `${S}/stage-settings`, body: { stage: 'new', stale_after_days: 4 } }), ADMINS],
  ['users, stage and tenant settings, sync settings', 'sync settings', () => ({ method: 'PUT', url: '/api/v1/sync/config', body: { url: 'postgres://device@db.example.com/milepost' } }), ADMINS],
];

describe('SPEC §11 roles over HTTP (issue 17)', () => {
  for (const [row, action, make, outcome] of CELLS) {
    for (const role of ['admin', 'manager', 'rep'] as const) {
      it(`${row} — ${action}: ${role} ${outcome[role] === 'ok' ? 'may' : 'may not'}`, async () => {
        const attempt = make();
        const before = api.counts();
        const res = await api.request(attempt.method, attempt.url, { body: attempt.body, headers: headers[role] });
        if (outcome[role] === 'ok') {
          expect(res.status, res.text).toBeGreaterThanOrEqual(200);
          expect(res.status, res.text).toBeLessThan(300);
          // An import runs on after its answer: one at a time per tenant, so the next try waits for it.
          const job = res.body?.data?.job_id as string | undefined;
          while (job && (await api.request('GET', `${S}/imports/${job}`, { headers: headers[role] })).body.data.state === 'running') await new Promise((r) => setTimeout(r, 20));
        } else {
          expect(res.status, res.text).toBe(403);
          expect(res.body.error.code).toBe('forbidden');
          expect(res.body.error.details[0].field).toMatch(/^(role|assigned_to|transaction_type)$/);
          expect(api.counts(), 'nothing written').toEqual(before);
        }
      });
    }
  }

  it('tries every route that changes something, but those a rep may call on anything', () => {
    const opOf = (t: Try) => routes.find((r) => r.method === t.method && new RegExp(`^${r.path.replace(/:[a-z_]+/g, '[^/]+')}$`).test(t.url))?.op;
    const tried = new Set(CELLS.map(([, , make]) => opOf(make())));
    // Open to everyone on anything: adding photos to a milestone (checked as a milestone's lead, like the follow-up),
    // customers (created and edited), bulk units (as units), and running sync.
    const untried = new Set(['milestones.addPhotos', 'customers.create', 'customers.update', 'units.createMany', 'sync.run']);
    const changing = routes.filter((r) => r.method !== 'GET' && !untried.has(r.op)).map((r) => r.op);
    expect(changing.filter((op) => !tried.has(op))).toEqual([]);
  });

  it('a rep\'s new lead is theirs', async () => {
    const res = await api.request('POST', `${S}/leads`, { body: { name: 'Walk-in', lead_date: '2025-11-02' }, headers: headers.rep });
    expect(res.status).toBe(201);
    expect(res.body.data.assigned_to).toBe('rep');
  });

  it('the app is told what the user may do', async () => {
    const can = async (role: Role) => ((await api.request('POST', '/api/v1/rpc/session.me', { body: {}, headers: headers[role] })).body.data.can as string[]);
    expect(await can('rep')).toEqual(expect.arrayContaining(['ledger.create', 'leads.book']));
    expect(await can('rep')).not.toContain('bookings.cancel');
    expect(await can('manager')).toContain('bookings.cancel');
    expect(await can('manager')).not.toContain('users.add');
    expect(await can('admin')).toContain('users.add');
  });
});
