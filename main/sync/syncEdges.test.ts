import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { syncedRows, aggregateRows } from '../../test/syncFixture.js';
import { syncTenant } from './tenantSync.js';
import { device, twoDevicesOn, useCentral, sameTagAsFirst, backupNow, demoDevice } from '../../test/syncSuite.js';
import { createLedgerEntry, reverseLedgerEntry } from '../services/ledger.js';
import { createEngagement } from '../services/engagements.js';
import { defaultConnect } from './engine.js';
import { leadService } from '../services/leads.js';
import { restoreTenant } from '../backup.js';
import { addUser, authenticate } from '../services/users.js';
import { Sessions } from '../api/session.js';
import { Engine } from '../engine/engine.js';
import { inlineEngine } from '../engine/host.js';
import { bookUnit } from '../services/bookings.js';
import { cancelBooking } from '../services/cancellations.js';

// SPEC §8's realistic edges, in process: lost answers, slow clocks, restored laptops,
// merged accounts, new laptops cut off mid-pull, and databases older than sync.

const central = useCentral();
const twoDevices = (tenant: string) => twoDevicesOn(central, tenant);

describe('realistic edges, in process', () => {
  it('a code collision whose two rows lie pages apart, the push answer lost: the device is never stuck on the code', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('pages');
    // The second laptop has the first one's tag and counter: its next ledger code is the first one's.
    sameTagAsFirst(two, 'pages', ctx1, ctx2);
    const customer = (ctx1.db.prepare('SELECT id FROM sales_customers ORDER BY id LIMIT 1').get() as { id: string }).id;
    const lead = (ctx1.db.prepare('SELECT id FROM sales_leads ORDER BY id LIMIT 1').get() as { id: string }).id;
    // The first laptop's entry goes first, then a lot of other work lands between it and the second laptop's renamed copy.
    const a = createLedgerEntry(ctx1, { customer_id: customer, transaction_date: '2025-11-24', transaction_type: 'payment', credit_amount: 10 });
    for (let i = 0; i < 60; i += 1) createEngagement(ctx1, { lead_id: lead, engagement_type: 'call_made', engagement_channel: 'phone', engagement_date: '2025-11-25', duration_seconds: i });
    await syncTenant(one, 'pages', { url });
    const b = createLedgerEntry(two.context('pages', null), { customer_id: customer, transaction_date: '2025-11-24', transaction_type: 'payment', credit_amount: 20 });
    expect(b.ledger_code).toBe(a.ledger_code);
    // The second laptop's push commits, but its answer (with the rename) never arrives.
    const lostAnswer = async (u: string) => {
      const client = await defaultConnect(u);
      const query = client.query.bind(client) as (text: string, values?: unknown[]) => Promise<unknown>;
      (client as unknown as { query: unknown }).query = async (text: string, values?: unknown[]) => {
        if (text.includes('milepost.push')) {
          await query(text, values);
          await client.end().catch(() => {});
          throw new Error('connection cut after the push committed');
        }
        return query(text, values);
      };
      return client;
    };
    await expect(syncTenant(two, 'pages', { url, connect: lostAnswer })).rejects.toThrow(/connection cut/);
    // The next syncs, in small pages: the winner arrives long before the renamed copy.
    await syncTenant(two, 'pages', { url, pullPage: 7 });
    await syncTenant(two, 'pages', { url, pullPage: 7 });
    await syncTenant(one, 'pages', { url, pullPage: 7 });
    expect(syncedRows(ctx2)).toEqual(syncedRows(ctx1));
    const codes = ctx2.db.prepare('SELECT id, ledger_code FROM sales_account_ledgers WHERE id IN (?, ?) ORDER BY credit_amount').all(a.id, b.id) as { ledger_code: string }[];
    expect(codes.map((c) => c.ledger_code)).toEqual([a.ledger_code, expect.stringMatching(new RegExp(`^${a.ledger_code}-[0-9A-F]{4}$`))]);
  }, 120_000);

  it('changes made with a clock 3 hours slow before the device first met the server move forward by the same amount', async () => {
    const { one, url, ctx1 } = await twoDevices('early-slow');
    // A laptop set up from the server, then offline for its first edits, its clock 3 h slow.
    const slowClock = () => new Date(Date.now() - 3 * 3_600_000);
    const slow = device();
    await syncTenant(slow, 'early-slow', { url, clock: slowClock });
    slow.get('early-slow').db.prepare("UPDATE sync_state SET value = '0' WHERE key = 'clock_offset'").run(); // as if it had never measured
    leadService.update(ctx1, 'L1', { notes: 'made first, on time' });
    await new Promise((r) => setTimeout(r, 20));
    leadService.update(slow.context('early-slow', null, { clock: slowClock }), 'L1', { notes: 'made later, on the slow laptop' });
    await syncTenant(one, 'early-slow', { url });
    const s = await syncTenant(slow, 'early-slow', { url, clock: slowClock });
    expect(s.clock_offset_ms).toBeGreaterThan(3 * 3_600_000 - 60_000);
    await syncTenant(one, 'early-slow', { url });
    expect(leadService.get(ctx1, 'L1').notes).toBe('made later, on the slow laptop');
    expect(leadService.get(slow.context('early-slow', null), 'L1').notes).toBe('made later, on the slow laptop');
  }, 120_000);

  it('a laptop restored from a backup that makes no change still gets back what it had sent after the backup', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('restore-quiet');
    const file = backupNow(one, 'restore-quiet');
    leadService.create(ctx1, { id: 'L-sent-after', name: 'Sent after the backup', lead_date: '2025-11-21' });
    await syncTenant(one, 'restore-quiet', { url });
    restoreTenant(one, 'restore-quiet', file);
    const restored = one.context('restore-quiet', null);
    const s = await syncTenant(one, 'restore-quiet', { url });
    expect(s.new_identity).toBe(true);
    expect(leadService.get(restored, 'L-sent-after').name).toBe('Sent after the backup');
    await syncTenant(two, 'restore-quiet', { url });
    expect(syncedRows(restored)).toEqual(syncedRows(ctx2));
  }, 120_000);

  it('one username made on two devices: one account, both passwords sign in, a session of the merged account goes on', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('sam');
    addUser(ctx1, { username: 'sam', password: 'sam-on-one', role: 'sales_rep' });
    const onTwo = addUser(ctx2, { username: 'sam', password: 'sam-on-two', role: 'sales_rep' });
    const engine = new Engine(two);
    const sessions = new Sessions(inlineEngine(engine), two.dataDir);
    const { token } = await sessions.login({ tenant_id: 'sam', username: 'sam', password: 'sam-on-two' });
    await syncTenant(one, 'sam', { url });
    const s = await syncTenant(two, 'sam', { url });
    expect(s.renamed).toEqual([expect.objectContaining({ kind: 'merged_user', table: 'users', id: onTwo.id, from: 'sam' })]);
    await syncTenant(one, 'sam', { url });
    for (const ctx of [ctx1, ctx2]) {
      expect(authenticate(ctx, 'sam', 'sam-on-one')?.username).toBe('sam');
      expect(authenticate(ctx, 'sam', 'sam-on-two')?.username).toBe('sam');
      expect(authenticate(ctx, 'sam', 'sam-on-three')).toBeNull();
    }
    const session = engine.accounts.resume(await sessions.verify(token, 'sam'));
    expect(session.user.username).toBe('sam');
    expect(session.user.id).not.toBe(onTwo.id);
    expect(syncedRows(ctx1)).toEqual(syncedRows(ctx2));
  }, 120_000);

  it('the same booking cancelled and the same entry reversed on two devices: one event each', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('once');
    const booked = bookUnit(ctx1, 'L2', { booking_date: '2025-11-20', booking_amount: 800000, project_name: 'Tower', unit_type: '2BHK' });
    const paid = createLedgerEntry(ctx1, { customer_id: booked.booking.customer_id, transaction_date: '2025-11-21', transaction_type: 'payment', credit_amount: 150000.5 });
    await syncTenant(one, 'once', { url });
    await syncTenant(two, 'once', { url });
    for (const ctx of [ctx1, ctx2]) {
      cancelBooking(ctx, booked.booking.id, { cancellation_date: '2025-11-25', cancellation_reason: 'loan refused', refund_amount: 50000.25 });
      reverseLedgerEntry(ctx, paid.id, { transaction_date: '2025-11-25' });
    }
    await syncTenant(one, 'once', { url });
    await syncTenant(two, 'once', { url });
    await syncTenant(one, 'once', { url });
    expect(syncedRows(ctx1)).toEqual(syncedRows(ctx2));
    for (const ctx of [ctx1, ctx2]) {
      const entries = ctx.db.prepare('SELECT transaction_type, debit_amount, credit_amount, status FROM sales_account_ledgers WHERE customer_id = ? ORDER BY transaction_type, debit_amount').all(booked.booking.customer_id);
      // The invoice 8,00,000.00; the payment 1,50,000.50 reversed by one adjustment; one credit
      // note of the whole 8,00,000.00 (nothing forfeited) and one refund of 50,000.25 (SPEC §10).
      expect(entries).toEqual([
        { transaction_type: 'adjustment', debit_amount: 15000050, credit_amount: 0, status: 'active' },
        { transaction_type: 'credit_note', debit_amount: 0, credit_amount: 80000000, status: 'active' },
        { transaction_type: 'invoice', debit_amount: 80000000, credit_amount: 0, status: 'active' },
        { transaction_type: 'payment', debit_amount: 0, credit_amount: 15000050, status: 'reversed' },
        { transaction_type: 'refund', debit_amount: 5000025, credit_amount: 0, status: 'active' },
      ]);
      const balance = ctx.db.prepare("SELECT sum(debit_amount - credit_amount) AS n FROM sales_account_ledgers WHERE customer_id = ? AND status <> 'cancelled'").get(booked.booking.customer_id) as { n: number };
      // The payment taken back by its reversal, the 50,000.25 paid back is owed by the customer.
      expect(balance.n).toBe(80000000 - 15000050 + 15000050 - 80000000 + 5000025);
      expect(ctx.db.prepare("SELECT count(*) AS n FROM sales_lead_milestones WHERE lead_id = 'L2' AND milestone_type = 'cancellation'").get()).toEqual({ n: 1 });
    }
  }, 120_000);
});

describe('a new laptop made from the server', () => {
  it('cut off in the middle of its first pull: the next sync finishes it, with every aggregate counted', async () => {
    const { manager: one, ctx: ctx1 } = demoDevice('boot-cut', 'Boot', 60, 3);
    const url = await central.deviceUrl('boot-cut');
    await syncTenant(one, 'boot-cut', { url });
    let pulls = 0;
    const cutOnThirdPage = async (u: string) => {
      const client = await defaultConnect(u);
      const query = client.query.bind(client) as (text: string, values?: unknown[]) => Promise<unknown>;
      (client as unknown as { query: unknown }).query = async (text: string, values?: unknown[]) => {
        if (text.includes('milepost.pull') && ++pulls === 3) throw new Error('connection cut in the middle of the first pull');
        return query(text, values);
      };
      return client;
    };
    const two = device();
    await expect(syncTenant(two, 'boot-cut', { url, connect: cutOnThirdPage, pullPage: 100 })).rejects.toThrow(/connection cut/);
    const ctx2 = two.context('boot-cut', null);
    expect((ctx2.db.prepare('SELECT count(*) AS n FROM sales_leads').get() as { n: number }).n).toBeLessThan(60);
    // The indexes a bootstrap sets aside are back however it ended, each as it was.
    const indexes = (ctx: typeof ctx1) => ctx.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all();
    expect(indexes(ctx2)).toEqual(indexes(ctx1));
    expect(indexes(ctx2).length).toBeGreaterThan(30);
    await syncTenant(two, 'boot-cut', { url, pullPage: 100 });
    expect(indexes(ctx2)).toEqual(indexes(ctx1));
    expect(ctx2.db.prepare("SELECT 1 FROM sync_state WHERE key = 'indexes_aside'").get()).toBeUndefined();
    expect(syncedRows(ctx2)).toEqual(syncedRows(ctx1));
    expect(aggregateRows(ctx2)).toEqual(aggregateRows(ctx1));
    expect(ctx2.db.prepare("SELECT value FROM sync_state WHERE key = 'bulk_pull'").get()).toBeUndefined();
  }, 120_000);
});


describe('a lead made and moved along before its first sync', () => {
  it('reaches the server as it stands, each field under the clock of its last change, and comes back to no one twice', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('story');
    const outboxFrom = (ctx: typeof ctx1) => (ctx.db.prepare('SELECT coalesce(max(mutation_id), 0) AS n FROM sync_outbox').get() as { n: number }).n;
    const start = outboxFrom(ctx1);
    const lead = leadService.create(ctx1, { id: 'L-story', name: 'Story', phone: '+91 98450 11111', lead_date: '2025-11-01' });
    leadService.update(ctx1, lead.id, { status: 'contacted' });
    leadService.update(ctx1, lead.id, { status: 'qualified' });
    leadService.update(ctx1, lead.id, { phone: '+91 98450 22222' });
    leadService.update(ctx1, lead.id, { status: 'contacted' }); // back a step: its reached rank stays
    // A lead the server already holds, changed too: merged one change at a time.
    leadService.update(ctx1, 'L2', { company: 'Acme Two' });
    const sent = (ctx1.db.prepare('SELECT hlc, changes FROM sync_outbox WHERE mutation_id > ? ORDER BY mutation_id').all(start) as { hlc: string; changes: string }[])
      .map((m) => ({ hlc: m.hlc, changes: JSON.parse(m.changes) as { t: string; id: string; v: Record<string, unknown> }[] }));
    const lastClock = (field: string) => sent.filter((m) => m.changes.some((c) => c.t === 'sales_leads' && c.id === lead.id && field in c.v)).at(-1)!.hlc;
    const first = await syncTenant(one, 'story', { url });
    expect(first.pulled).toBe(0);
    const admin = new pg.Client({ connectionString: central.adminUrl });
    await admin.connect();
    try {
      const row = (await admin.query("SELECT status, phone, reached_rank, field_hlc FROM milepost_data.sales_leads WHERE tenant_id = 'story' AND id = $1", [lead.id])).rows[0];
      const local = leadService.get(ctx1, lead.id);
      expect({ status: row.status, phone: row.phone, reached_rank: Number(row.reached_rank) }).toEqual({ status: 'contacted', phone: '+919845022222', reached_rank: local.reached_rank });
      expect(local.reached_rank).toBeGreaterThan(1);
      expect(row.field_hlc['*']).toBe(sent[0]!.hlc);
      expect(row.field_hlc.phone).toBe(lastClock('phone'));
      expect(row.field_hlc.status).toBe(lastClock('status'));
      expect(row.field_hlc.status > row.field_hlc.phone).toBe(true);
      const company = (await admin.query("SELECT company FROM milepost_data.sales_leads WHERE tenant_id = 'story' AND id = 'L2'")).rows[0];
      expect(company.company).toBe('Acme Two');
    } finally {
      await admin.end();
    }
    // The device already holds all of it; the other device gets it once.
    expect((await syncTenant(one, 'story', { url })).pulled).toBe(0);
    await syncTenant(two, 'story', { url });
    expect(syncedRows(ctx2)).toEqual(syncedRows(ctx1));
    expect(aggregateRows(ctx2)).toEqual(aggregateRows(ctx1));
  }, 120_000);
});

describe('a database that held records before sync existed', () => {
  it('sends every row once, as inserts, and a new laptop built from the server equals it', async () => {
    const { manager: old, ctx: ctx } = demoDevice('pre-sync', 'Pre-sync', 40, 6);
    // As migration 0008 leaves a database made before sync: rows, no outbox, marked for seeding.
    ctx.db.exec("DELETE FROM sync_outbox; DELETE FROM sqlite_sequence WHERE name = 'sync_outbox'; DELETE FROM sync_clocks; INSERT INTO sync_state (key, value) VALUES ('needs_seed', '1')");
    const url = await central.deviceUrl('pre-sync');
    const s = await syncTenant(old, 'pre-sync', { url });
    const rows = Object.values(syncedRows(ctx)).reduce((n, r) => n + r.length, 0);
    expect(s.pending).toBe(0);
    expect(s.pulled).toBe(0);
    const fresh = device();
    const boot = await syncTenant(fresh, 'pre-sync', { url });
    expect(boot.pulled).toBe(rows);
    expect(syncedRows(fresh.context('pre-sync', null))).toEqual(syncedRows(ctx));
  }, 120_000);
});

