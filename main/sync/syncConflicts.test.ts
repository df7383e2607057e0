import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { syncedRows } from '../../test/syncFixture.js';
import { syncReport, syncStatus, syncTenant } from './tenantSync.js';
import { device, twoDevicesOn, useCentral, sameTagAsFirst } from '../../test/syncSuite.js';
import { unitInventoryService } from '../services/catalog.js';
import { bookUnit } from '../services/bookings.js';
import { createUnit, createUnits, getUnit, listUnits } from '../services/units.js';
import { holdUnit } from '../services/holds.js';
import { leadService, leadStatusHistoryOf } from '../services/leads.js';
import { createLedgerEntry } from '../services/ledger.js';

// SPEC §8 conflicts: what two devices offline do to the same unit, code, status or
// field, and the mistakes a branch makes.

const central = useCentral();
const twoDevices = (tenant: string) => twoDevicesOn(central, tenant);

describe('conflicts', () => {
  it('flags the second of two offline bookings of the last unit, on every device', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('overbook');
    unitInventoryService.create(ctx1, { project_name: 'Tower', unit_type: 'Villa', total_units: 1 });
    await syncTenant(one, 'overbook', { url });
    await syncTenant(two, 'overbook', { url });
    // Both offline: each sees one Villa left and books it.
    const first = bookUnit(ctx1, 'L2', { booking_date: '2025-11-24', booking_amount: 900000, project_name: 'Tower', unit_type: 'Villa' });
    const second = bookUnit(ctx2, 'L4', { booking_date: '2025-11-24', booking_amount: 950000, project_name: 'Tower', unit_type: 'Villa' });
    expect((await syncTenant(one, 'overbook', { url })).conflicts).toEqual([]);
    const s2 = await syncTenant(two, 'overbook', { url });
    expect(s2.conflicts).toEqual([{ booking_id: second.booking.id, kind: 'overbooking', booked: 2, units: 1, words: `booking ${second.booking.booking_code} (Tower Villa)` }]);
    await syncTenant(one, 'overbook', { url });
    for (const ctx of [ctx1, ctx2]) {
      expect(syncStatus(ctx).conflicts.map((c) => [c.booking_id, c.conflict])).toEqual([[second.booking.id, 'overbooking']]);
    }
    expect(syncedRows(ctx1)).toEqual(syncedRows(ctx2));
    expect(first.booking.id).not.toBe(second.booking.id);
  }, 120_000);

  it('one unit held, then booked, on two devices offline: the later hold is released, the second booking flagged, on every device', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('unit-twice');
    unitInventoryService.create(ctx1, { project_name: 'Green Meadows', unit_type: '2BHK', total_units: 0 });
    const unit = createUnit(ctx1, { project_name: 'Green Meadows', tower: 'B', floor: 7, unit_number: '704', unit_type: '2BHK', list_price: 7500000 });
    const other = createUnit(ctx1, { project_name: 'Green Meadows', tower: 'B', floor: 7, unit_number: '705', unit_type: '2BHK', list_price: 7600000 });
    await syncTenant(one, 'unit-twice', { url });
    await syncTenant(two, 'unit-twice', { url });
    // Offline, each device holds 704 for its own lead; device one a moment earlier.
    const h1 = holdUnit(ctx1, unit.id, { lead_id: 'L2' }).hold;
    await new Promise((r) => setTimeout(r, 5));
    const h2 = holdUnit(ctx2, unit.id, { lead_id: 'L4' }).hold;
    // And each books 705.
    const b1 = bookUnit(ctx1, 'L2', { unit_id: other.id });
    const b2 = bookUnit(ctx2, 'L4', { unit_id: other.id });
    // Device two reaches the server first: still the earlier hold keeps the unit.
    expect((await syncTenant(two, 'unit-twice', { url })).conflicts).toEqual([]);
    const s1 = await syncTenant(one, 'unit-twice', { url });
    const said = { kind: 'hold_conflict', hold_id: h2.id, unit_id: unit.id, words: 'Green Meadows B unit 704 was held on two devices at once: the hold made first keeps it, and the hold for Lead L4 made later was released' };
    // The overbooking names its unit, in the CLI's words and on the Sync screen.
    const overbooked = { kind: 'overbooking', booking_id: b1.booking.id, booked: 2, units: 1, words: `booking ${b1.booking.booking_code} (Green Meadows 2BHK, unit B 705)` };
    expect(s1.conflicts).toEqual(expect.arrayContaining([said, overbooked]));
    expect(syncReport('unit-twice', s1)).toContain(`  conflict: booking ${b1.booking.booking_code} (Green Meadows 2BHK, unit B 705) is an overbooking (2 booked of 1 unit)`);
    expect(syncStatus(ctx1).conflicts).toMatchObject([{ booking_code: b1.booking.booking_code, unit: 'B 705' }]);
    // The device whose hold went is told too, though it reached the server first.
    expect((await syncTenant(two, 'unit-twice', { url })).conflicts).toEqual([said]);
    for (const ctx of [ctx1, ctx2]) {
      const u = getUnit(ctx, unit.id);
      expect(u).toMatchObject({ status: 'held', hold_lead_id: 'L2', hold_id: h1.id });
      expect(u.holds.map((h) => [h.id, h.state])).toEqual(expect.arrayContaining([[h1.id, 'live'], [h2.id, 'conflict']]));
      expect(syncStatus(ctx).conflicts.map((c) => [c.booking_id, c.conflict])).toEqual([[b1.booking.id, 'overbooking']]);
      expect(syncStatus(ctx).hold_conflicts.map((h) => [h.hold_id, h.unit_number])).toEqual([[h2.id, '704']]);
      expect(getUnit(ctx, other.id).status).toBe('booked');
    }
    expect(b2.booking.conflict ?? null).toBeNull();
    expect(syncedRows(ctx1)).toEqual(syncedRows(ctx2));
  }, 120_000);

  it('the same unit set up on two devices offline and booked on each: one unit, both bookings on it, the second flagged', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('unit-merge');
    unitInventoryService.create(ctx1, { project_name: 'Green Meadows', unit_type: '2BHK', total_units: 0 });
    await syncTenant(one, 'unit-merge', { url });
    await syncTenant(two, 'unit-merge', { url });
    // Each branch sets up Tower B itself, offline, and sells 704 (any case of the tower).
    createUnits(ctx1, { project_name: 'Green Meadows', tower: 'B', unit_type: '2BHK', floor_from: 7, floor_to: 7, units_per_floor: 4, list_price: 7500000 });
    createUnits(ctx2, { project_name: 'green meadows', tower: 'b', unit_type: '2bhk', floor_from: 7, floor_to: 7, units_per_floor: 4, list_price: 7400000 });
    const unitOn = (ctx: typeof ctx1) => listUnits(ctx, { project_name: 'Green Meadows', tower: 'B', floor: 7 }).items.find((u) => u.unit_number === '704')!;
    const b1 = bookUnit(ctx1, 'L2', { unit_id: unitOn(ctx1).id });
    const b2 = bookUnit(ctx2, 'L4', { unit_id: unitOn(ctx2).id });
    const survivor = unitOn(ctx1).id;
    await syncTenant(one, 'unit-merge', { url });
    const s2 = await syncTenant(two, 'unit-merge', { url });
    expect(s2.renamed.filter((r) => r.kind === 'merged_unit')).toHaveLength(4);
    expect(s2.renamed.find((r) => r.kind === 'merged_unit')!.words).toMatch(/^unit 70\d was also set up on another device: the two are one unit now/);
    expect(s2.conflicts).toEqual([{ kind: 'overbooking', booking_id: b2.booking.id, booked: 2, units: 1, words: expect.stringMatching(/^booking BKG-.* \(Green Meadows 2BHK, unit b 704\)$/) }]);
    await syncTenant(one, 'unit-merge', { url });
    for (const ctx of [ctx1, ctx2]) {
      expect(listUnits(ctx, { project_name: 'Green Meadows' }).items.map((u) => [u.tower, u.unit_number])).toEqual([['B', '701'], ['B', '702'], ['B', '703'], ['B', '704']]);
      expect(unitOn(ctx).id).toBe(survivor);
      const u = getUnit(ctx, survivor);
      expect(u.status).toBe('booked');
      expect(u.bookings.map((b) => b.id).sort()).toEqual([b1.booking.id, b2.booking.id].sort());
      expect(syncStatus(ctx).conflicts.map((c) => c.booking_id)).toEqual([b2.booking.id]);
    }
    expect(syncedRows(ctx1)).toEqual(syncedRows(ctx2));
  }, 120_000);

  it('keeps a change stamped an hour ahead of the server: applied under the server\'s clock, on every device, and later edits still win', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('skew');
    const ahead = one.context('skew', null, { clock: () => new Date(Date.now() + 3_600_000) });
    leadService.update(ahead, 'L1', { name: 'From a clock an hour fast' });
    // The clock was put right before the sync: the change is still stamped an hour ahead.
    const s = await syncTenant(one, 'skew', { url });
    expect(s.rejected).toEqual([]);
    expect(s.restamped).toBe(1);
    expect(syncStatus(ctx1).clock_warning).toBeNull();
    expect(leadService.get(ctx1, 'L1').name).toBe('From a clock an hour fast');
    await syncTenant(two, 'skew', { url });
    expect(leadService.get(ctx2, 'L1').name).toBe('From a clock an hour fast');
    // Another device's edit made after it (at the right time) wins on both: the fast
    // device's field clock was brought back to the server's stamp.
    leadService.update(ctx2, 'L1', { name: 'Edited later on the second laptop' });
    await syncTenant(two, 'skew', { url });
    await syncTenant(one, 'skew', { url });
    expect(leadService.get(ctx1, 'L1').name).toBe('Edited later on the second laptop');
    expect(syncedRows(ctx2)).toEqual(syncedRows(ctx1));
    expect(s.pending).toBe(0);
  }, 120_000);
});


describe('codes made offline under the same device tag', () => {
  it('keeps both ledger entries, gives the later one a suffixed code on every device', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('samecode');
    // The second laptop ended up with the first one's tag, its counter where the first one's is.
    sameTagAsFirst(two, 'samecode', ctx1, ctx2);
    const customer = (ctx1.db.prepare('SELECT id FROM sales_customers ORDER BY id LIMIT 1').get() as { id: string }).id;
    const a = createLedgerEntry(ctx1, { customer_id: customer, transaction_date: '2025-11-24', transaction_type: 'payment', credit_amount: 10 });
    const b = createLedgerEntry(ctx2, { customer_id: customer, transaction_date: '2025-11-24', transaction_type: 'payment', credit_amount: 20 });
    expect(a.ledger_code).toBe(b.ledger_code);
    await syncTenant(one, 'samecode', { url });
    const s2 = await syncTenant(two, 'samecode', { url });
    expect(s2.rejected).toEqual([]);
    await syncTenant(one, 'samecode', { url });
    expect(syncedRows(ctx1)).toEqual(syncedRows(ctx2));
    const codes = ctx1.db.prepare('SELECT id, ledger_code FROM sales_account_ledgers WHERE id IN (?, ?) ORDER BY credit_amount').all(a.id, b.id) as { ledger_code: string }[];
    expect(codes.map((c) => c.ledger_code)).toEqual([a.ledger_code, expect.stringMatching(new RegExp(`^${a.ledger_code}-[0-9A-F]{4}$`))]);
    // And the second laptop no longer shares the tag.
    expect(two.context('samecode', null).settings.device_tag).not.toBe(ctx1.settings.device_tag);
  }, 120_000);
});


describe('status changed on two devices offline', () => {
  it('reads as one line of history, ending at the status both devices hold', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('forked');
    const lead = leadService.create(ctx1, { id: 'L-fork', name: 'Forked', lead_date: '2025-11-01' });
    await syncTenant(one, 'forked', { url });
    await syncTenant(two, 'forked', { url });
    leadService.update(ctx1, lead.id, { status: 'contacted' });
    await new Promise((r) => setTimeout(r, 5));
    leadService.update(ctx2, lead.id, { status: 'qualified' });
    await syncTenant(one, 'forked', { url });
    await syncTenant(two, 'forked', { url });
    await syncTenant(one, 'forked', { url });
    for (const ctx of [ctx1, ctx2]) {
      expect(leadService.get(ctx, lead.id).status).toBe('qualified');
      const history = leadStatusHistoryOf(ctx, lead.id).map((h) => [h.from_status, h.to_status, (h as { recorded_from_status?: string }).recorded_from_status ?? null]);
      expect(history).toEqual([[null, 'new', null], ['new', 'contacted', null], ['contacted', 'qualified', 'new']]);
    }
  }, 120_000);
});


describe('mistakes a branch makes', () => {
  it('an edit made on a laptop 2 hours fast does not beat one made elsewhere a moment later', async () => {
    const { one, two, url, ctx1 } = await twoDevices('early-fast');
    const fastClock = () => new Date(Date.now() + 2 * 3_600_000);
    leadService.update(two.context('early-fast', null, { clock: fastClock }), 'L1', { company: 'made first, on the fast laptop' });
    await new Promise((r) => setTimeout(r, 20));
    leadService.update(ctx1, 'L1', { company: 'made a moment later, on time' });
    await syncTenant(one, 'early-fast', { url });
    const s = await syncTenant(two, 'early-fast', { url, clock: fastClock });
    expect(s.clock_offset_ms).toBeLessThan(-2 * 3_600_000 + 60_000);
    await syncTenant(one, 'early-fast', { url });
    expect(leadService.get(ctx1, 'L1').company).toBe('made a moment later, on time');
    expect(leadService.get(two.context('early-fast', null), 'L1').company).toBe('made a moment later, on time');
  }, 120_000);

  it('syncing with another tenant\'s login is refused before anything moves either way', async () => {
    const { url } = await twoDevices('theirs');
    const mine = device('mine', 'Mine');
    const ctx = mine.context('mine', null);
    leadService.create(ctx, { id: 'L-secret', name: 'A secret lead', lead_date: '2025-11-01' });
    const before = syncedRows(ctx);
    await expect(syncTenant(mine, 'mine', { url })).rejects.toThrow(/this login belongs to tenant 'theirs', not 'mine'/);
    expect(syncedRows(ctx)).toEqual(before);
    expect(mine.context('mine', null).settings.name).toBe('Mine');
    const admin = new pg.Client({ connectionString: central.adminUrl });
    await admin.connect();
    try {
      expect((await admin.query("SELECT count(*)::int AS n FROM milepost_data.sales_leads WHERE id = 'L-secret'")).rows[0].n).toBe(0);
    } finally {
      await admin.end();
    }
  }, 120_000);
});
