import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberTypes } from '../../db/pg/reports.js';
import { SYNCED_TABLES } from '../../db/schema/sync.js';
import { buildSmallDataset } from '../../test/smallDataset.js';
import { startCentral, syncedRows, aggregateRows } from '../../test/syncFixture.js';
import { makeTenant, tempDir } from '../../test/tenantFixture.js';
import { reportNames, reportTable } from '../services/reports.js';
import { syncReport, syncStatus, syncTenant } from '../services/sync.js';
import { TenantManager } from '../tenants.js';
import { centralReport } from './server.js';

let central: Awaited<ReturnType<typeof startCentral>>;
beforeAll(async () => {
  central = await startCentral();
}, 120_000);
afterAll(async () => {
  await central?.pg.stop();
});

describe('sync with the central Postgres (SPEC §8)', () => {
  it('sends a device\'s records and builds a new device from the server, users included', async () => {
    const a = makeTenant();
    buildSmallDataset(a.ctx);
    const url = await central.deviceUrl('t1');
    const first = await syncTenant(a.manager, 't1', { url });
    expect(first.pushed).toBeGreaterThan(10);
    expect(first.pending).toBe(0);
    expect(syncStatus(a.ctx).pending_changes).toBe(0);

    const bDir = tempDir();
    const b = new TenantManager(bDir);
    const boot = await syncTenant(b, 't1', { url });
    expect(boot.pulled).toBeGreaterThan(10);
    const bctx = b.context('t1', null);
    expect(syncedRows(bctx)).toEqual(syncedRows(a.ctx));
    expect(aggregateRows(bctx)).toEqual(aggregateRows(a.ctx));
    expect(bctx.settings.name).toBe(a.ctx.settings.name);
    expect(bctx.settings.device_tag).not.toBe(a.ctx.settings.device_tag);

    // Head office's reports over the central data equal each device's.
    for (const name of reportNames) {
      const input = name === 'milestone-timeline' || name === 'engagement-stats' ? { lead_id: 'L2' } : name === 'inventory' ? {} : { as_of: '2025-11-25' };
      const device = reportTable(a.ctx, name, { ...input });
      const { tenant, ...onServer } = await centralReport(central.adminUrl, 't1', name, input, '2025-11-25');
      expect(onServer, name).toEqual(device);
      expect(tenant).toEqual({ name: 'Tenant One', timezone: 'UTC', locale: 'en-IN' });
    }
    b.closeAll();
    a.close();
  }, 120_000);
});

describe('tenants kept apart by Postgres', () => {
  it('gives tenant A\'s login nothing of tenant B, through the sync functions or plain SQL', async () => {
    // Two tenants holding the same ids (L1…).
    const bManager = new TenantManager(tempDir());
    const { createTenant } = await import('../services/tenantSetup.js');
    createTenant(bManager, { tenant_id: 'iso-b', name: 'B', admin_username: 'admin', admin_password: 'S3cret-pass' });
    const bctx = bManager.context('iso-b', null);
    buildSmallDataset(bctx);
    const aManager = new TenantManager(tempDir());
    createTenant(aManager, { tenant_id: 'iso-a', name: 'A', admin_username: 'admin', admin_password: 'S3cret-pass' });
    buildSmallDataset(aManager.context('iso-a', null));
    await syncTenant(aManager, 'iso-a', { url: await central.deviceUrl('iso-a') });
    await syncTenant(bManager, 'iso-b', { url: await central.deviceUrl('iso-b') });
    const asA = new pg.Client({ connectionString: await central.deviceUrl('iso-a'), types: numberTypes });
    await asA.connect();
    const admin = new pg.Client({ connectionString: central.adminUrl, types: numberTypes });
    await admin.connect();
    const bRows = async () => {
      await admin.query("SELECT set_config('milepost.tenant', 'iso-b', false)");
      const out: Record<string, unknown[]> = {};
      for (const t of SYNCED_TABLES) out[t] = (await admin.query(`SELECT * FROM milepost."${t}" ORDER BY id`)).rows;
      return out;
    };
    const before = await bRows();
    expect(before.sales_leads).toHaveLength(6);
    try {
      for (const t of SYNCED_TABLES) {
        // The data schema: no privilege at all.
        for (const sql of [`SELECT * FROM milepost_data."${t}"`, `DELETE FROM milepost_data."${t}"`, `UPDATE milepost_data."${t}" SET id = id`,
          `INSERT INTO milepost_data."${t}" (tenant_id, id) VALUES ('iso-b', 'x')`]) {
          await expect(asA.query(sql), sql).rejects.toThrow(/permission denied/);
        }
        // The views: its own rows only, read-only.
        const seen = (await asA.query(`SELECT * FROM milepost."${t}"`)).rows as { id: string }[];
        const mine = (await admin.query(`SELECT id FROM milepost_data."${t}" WHERE tenant_id = 'iso-a'`)).rows as { id: string }[];
        expect(seen.map((r) => r.id).sort(), t).toEqual(mine.map((r) => r.id).sort());
        for (const sql of [`DELETE FROM milepost."${t}"`, `UPDATE milepost."${t}" SET id = id`, `INSERT INTO milepost."${t}" (id) VALUES ('x')`]) {
          await expect(asA.query(sql), sql).rejects.toThrow(/permission denied/);
        }
      }
      // Naming another tenant changes nothing for a device login.
      await asA.query("SELECT set_config('milepost.tenant', 'iso-b', false)");
      expect((await asA.query('SELECT milepost.current_tenant() AS t')).rows[0]).toEqual({ t: 'iso-a' });
      // The internal functions are out of reach.
      await expect(asA.query("SELECT milepost_data.apply_change('iso-b', 1, '{}'::jsonb, 'x', '[]'::jsonb)")).rejects.toThrow(/permission denied/);
      // Forged tenant ids in a push land in A (or nowhere), never in B.
      const client = 'f'.repeat(32);
      const now = String(Date.now()).padStart(15, '0');
      const forged = [
        { id: 1, hlc: `${now}:00000:ffff`, sum: 'a', changes: [{ t: 'sales_leads', id: 'L1', op: 'update', v: { tenant_id: 'iso-b', name: 'taken over' } }] },
        { id: 2, hlc: `${now}:00001:ffff`, sum: 'b', changes: [{ t: 'sales_leads', id: 'L-new', op: 'insert', v: { tenant_id: 'iso-b', id: 'L-new', name: 'planted', lead_date: '2025-11-01', status: 'new', reached_rank: 0, created_at: 'x', updated_at: 'x' } }] },
        { id: 3, hlc: `${now}:00002:ffff`, sum: 'c', changes: [{ t: 'milepost_data.roles', id: 'x', op: 'insert', v: {} }] },
      ];
      const res = (await asA.query('SELECT milepost.push($1, $2::jsonb) AS r', [client, JSON.stringify(forged)])).rows[0].r as { applied: number; rejected: { id: number }[] };
      expect(res.rejected.map((r) => r.id)).toEqual([3]);
      expect(await bRows()).toEqual(before);
      const planted = (await admin.query("SELECT tenant_id, id, name FROM milepost_data.sales_leads WHERE id IN ('L-new', 'L1') AND tenant_id LIKE 'iso-%' ORDER BY tenant_id, id")).rows;
      expect(planted).toEqual([
        { tenant_id: 'iso-a', id: 'L-new', name: 'planted' },
        { tenant_id: 'iso-a', id: 'L1', name: 'taken over' },
        { tenant_id: 'iso-b', id: 'L1', name: 'Lead L1' },
      ]);
      // Pull gives A's rows only.
      const pulled = (await asA.query("SELECT tbl, row_id, data FROM milepost.pull(0, '', '', 10000)")).rows as { data: Record<string, unknown> }[];
      expect(pulled.length).toBeGreaterThan(0);
      expect(JSON.stringify(pulled)).not.toContain('iso-b');
    } finally {
      await asA.end();
      await admin.end();
      aManager.closeAll();
      bManager.closeAll();
    }
  }, 120_000);
});

/** A tenant on its own device with the small dataset, synced once; and a second device made from the server. */
async function twoDevices(tenant: string) {
  const { createTenant } = await import('../services/tenantSetup.js');
  const one = new TenantManager(tempDir());
  createTenant(one, { tenant_id: tenant, name: tenant, admin_username: 'admin', admin_password: 'S3cret-pass' });
  buildSmallDataset(one.context(tenant, null));
  const url = await central.deviceUrl(tenant);
  await syncTenant(one, tenant, { url });
  const two = new TenantManager(tempDir());
  await syncTenant(two, tenant, { url });
  return { one, two, url, ctx1: one.context(tenant, null), ctx2: two.context(tenant, null) };
}

describe('sync survives', () => {
  it('Postgres stopped and started in the middle of a sync: the next sync completes and nothing is lost', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('restart');
    const { leadService } = await import('../services/leads.js');
    for (let i = 0; i < 30; i += 1) leadService.create(ctx1, { name: `Walk-in ${i}`, lead_date: '2025-11-20' });
    const { defaultConnect } = await import('./engine.js');
    let restarted = false;
    const restartDuringPush = async (u: string) => {
      const client = await defaultConnect(u);
      const query = client.query.bind(client) as (text: string, values?: unknown[]) => Promise<unknown>;
      (client as unknown as { query: unknown }).query = async (text: string, values?: unknown[]) => {
        if (!restarted && text.includes('milepost.push')) {
          restarted = true;
          const sent = query(text, values);
          sent.catch(() => {}); // it fails while Postgres restarts; awaited below
          await central.pg.restart();
          return sent;
        }
        return query(text, values);
      };
      return client;
    };
    await expect(syncTenant(one, 'restart', { url, connect: restartDuringPush, pushBatch: 5 })).rejects.toThrow();
    expect(restarted).toBe(true);
    await syncTenant(one, 'restart', { url });
    await syncTenant(two, 'restart', { url });
    expect(syncedRows(ctx2)).toEqual(syncedRows(ctx1));
    expect((ctx2.db.prepare("SELECT count(*) AS n FROM sales_leads WHERE name LIKE 'Walk-in %'").get() as { n: number }).n).toBe(30);
    one.closeAll();
    two.closeAll();
  }, 120_000);

  it('a device restored from an old backup: no deleted row comes back, no old change is applied again, new ones go through', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('restore');
    const { backupTenant, restoreTenant } = await import('../backup.js');
    const { leadService } = await import('../services/leads.js');
    const file = `${tempDir()}/old.sqlite`;
    backupTenant(one, 'restore', file);
    // After the backup: a lead added, one deleted, one renamed — all synced.
    leadService.create(ctx1, { id: 'L-after', name: 'After the backup', lead_date: '2025-11-21' });
    leadService.remove(ctx1, 'L4');
    leadService.update(ctx1, 'L2', { name: 'Renamed after the backup' });
    await syncTenant(one, 'restore', { url });
    // The laptop is restored from the old file, and someone keeps working on it.
    restoreTenant(one, 'restore', file);
    const restored = one.context('restore', null);
    expect(leadService.get(restored, 'L4').deleted_at).toBeNull();
    leadService.create(restored, { id: 'L-restored', name: 'Made on the restored laptop', lead_date: '2025-11-22' });
    leadService.update(restored, 'L3', { notes: 'edited after the restore' });
    const s = await syncTenant(one, 'restore', { url });
    expect(s.new_identity).toBe(true);
    await syncTenant(two, 'restore', { url });
    await syncTenant(one, 'restore', { url });
    expect(syncedRows(restored)).toEqual(syncedRows(ctx2));
    const lead = (id: string) => ctx2.db.prepare('SELECT name, notes, deleted_at FROM sales_leads WHERE id = ?').get(id) as { name: string; notes: string | null; deleted_at: string | null };
    expect(lead('L4').deleted_at).not.toBeNull(); // not resurrected
    expect(lead('L2').name).toBe('Renamed after the backup'); // the old name did not come back
    expect(lead('L-after').name).toBe('After the backup');
    expect(lead('L-restored').name).toBe('Made on the restored laptop');
    expect(lead('L3').notes).toBe('edited after the restore');
    one.closeAll();
    two.closeAll();
  }, 120_000);
});

describe('conflicts', () => {
  it('flags the second of two offline bookings of the last unit, on every device', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('overbook');
    const { unitInventoryService } = await import('../services/catalog.js');
    const { bookUnit } = await import('../services/bookings.js');
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
    one.closeAll();
    two.closeAll();
  }, 120_000);

  it('one unit held, then booked, on two devices offline: the later hold is released, the second booking flagged, on every device', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('unit-twice');
    const { unitInventoryService } = await import('../services/catalog.js');
    const { bookUnit } = await import('../services/bookings.js');
    const { createUnit, getUnit } = await import('../services/units.js');
    const { holdUnit } = await import('../services/holds.js');
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
    one.closeAll();
    two.closeAll();
  }, 120_000);

  it('the same unit set up on two devices offline and booked on each: one unit, both bookings on it, the second flagged', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('unit-merge');
    const { unitInventoryService } = await import('../services/catalog.js');
    const { bookUnit } = await import('../services/bookings.js');
    const { createUnits, getUnit, listUnits } = await import('../services/units.js');
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
    one.closeAll();
    two.closeAll();
  }, 120_000);

  it('keeps a change stamped an hour ahead of the server: applied under the server\'s clock, on every device, and later edits still win', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('skew');
    const { leadService } = await import('../services/leads.js');
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
    one.closeAll();
    two.closeAll();
  }, 120_000);
});

describe('sync in the running app', () => {
  it('runs in the background once configured, and keeps a failure for the screen without the password', async () => {
    const { SyncRuntime } = await import('./runtime.js');
    const { createTenant } = await import('../services/tenantSetup.js');
    const manager = new TenantManager(tempDir());
    createTenant(manager, { tenant_id: 'bg', name: 'Background', admin_username: 'admin', admin_password: 'S3cret-pass' });
    const ctx = manager.context('bg', null);
    buildSmallDataset(ctx);
    const runtime = new SyncRuntime(manager, undefined, 60_000);
    try {
      const url = await central.deviceUrl('bg');
      const status = runtime.configure(ctx, { url });
      expect(status).toMatchObject({ configured: true, has_password: true, password_kept: 'memory', last_sync: null });
      expect(status.url).not.toContain(new URL(url).password);
      expect(status.next_run_at).not.toBeNull();
      expect(status.pending_changes).toBeGreaterThan(0);
      await runtime.tick();
      expect(runtime.status(ctx)).toMatchObject({ pending_changes: 0, last_error: null, last_sync: { pending: 0 } });

      // A wrong password: the sync fails, the screen gets the reason, not the password.
      const wrong = new URL(url);
      wrong.password = 'not-the-password';
      runtime.configure(ctx, { url: wrong.toString() });
      await runtime.tick();
      const failed = runtime.status(ctx);
      expect(failed.last_error).toMatch(/password authentication failed/);
      expect(failed.last_error).not.toContain('not-the-password');
      await expect(runtime.run(ctx)).rejects.toMatchObject({ code: 'unavailable' });
    } finally {
      runtime.stop();
      manager.closeAll();
    }
  }, 120_000);
});

describe('schema versions', () => {
  it('refuses to sync a device whose tenant schema differs from the central one', async () => {
    const { createTenant } = await import('../services/tenantSetup.js');
    const manager = new TenantManager(tempDir());
    createTenant(manager, { tenant_id: 'older', name: 'Older', admin_username: 'admin', admin_password: 'S3cret-pass' });
    const admin = new pg.Client({ connectionString: central.adminUrl });
    await admin.connect();
    try {
      await admin.query("UPDATE milepost_data.meta SET value = (value::int + 1)::text WHERE key = 'schema_version'");
      await expect(syncTenant(manager, 'older', { url: await central.deviceUrl('older') })).rejects.toThrow(/update Milepost on this device before syncing/);
      expect((await admin.query("SELECT count(*)::int AS n FROM milepost_data.sales_leads WHERE tenant_id = 'older'")).rows[0].n).toBe(0);
    } finally {
      await admin.query("UPDATE milepost_data.meta SET value = (value::int - 1)::text WHERE key = 'schema_version'");
      await admin.end();
      manager.closeAll();
    }
  }, 60_000);
});

describe('codes made offline under the same device tag', () => {
  it('keeps both ledger entries, gives the later one a suffixed code on every device', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('samecode');
    const { createLedgerEntry } = await import('../services/ledger.js');
    // The second laptop ended up with the first one's tag, its counter where the first one's is.
    ctx2.db.prepare('UPDATE tenant_settings SET device_tag = ?').run(ctx1.settings.device_tag);
    two.reloadSettings('samecode');
    const next = ctx1.db.prepare("SELECT next_value FROM code_sequences WHERE name = 'LED'").get() as { next_value: number };
    ctx2.db.prepare("INSERT INTO code_sequences (name, next_value) VALUES ('LED', ?) ON CONFLICT (name) DO UPDATE SET next_value = excluded.next_value").run(next.next_value);
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
    one.closeAll();
    two.closeAll();
  }, 120_000);
});

describe('realistic edges, in process', () => {
  it('a code collision whose two rows lie pages apart, the push answer lost: the device is never stuck on the code', async () => {
    const { createTenant } = await import('../services/tenantSetup.js');
    const { createLedgerEntry } = await import('../services/ledger.js');
    const { createEngagement } = await import('../services/engagements.js');
    const { defaultConnect } = await import('./engine.js');
    const { one, two, url, ctx1, ctx2 } = await twoDevices('pages');
    // The second laptop has the first one's tag and counter: its next ledger code is the first one's.
    ctx2.db.prepare('UPDATE tenant_settings SET device_tag = ?').run(ctx1.settings.device_tag);
    two.reloadSettings('pages');
    const next = ctx1.db.prepare("SELECT next_value FROM code_sequences WHERE name = 'LED'").get() as { next_value: number };
    ctx2.db.prepare("INSERT INTO code_sequences (name, next_value) VALUES ('LED', ?) ON CONFLICT (name) DO UPDATE SET next_value = excluded.next_value").run(next.next_value);
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
    void createTenant;
    one.closeAll();
    two.closeAll();
  }, 120_000);

  it('changes made with a clock 3 hours slow before the device first met the server move forward by the same amount', async () => {
    const { createTenant } = await import('../services/tenantSetup.js');
    const { leadService } = await import('../services/leads.js');
    const { one, url, ctx1 } = await twoDevices('early-slow');
    // A laptop set up from the server, then offline for its first edits, its clock 3 h slow.
    const slowClock = () => new Date(Date.now() - 3 * 3_600_000);
    const slowDir = tempDir();
    const slow = new TenantManager(slowDir);
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
    void createTenant;
    one.closeAll();
    slow.closeAll();
  }, 120_000);

  it('a laptop restored from a backup that makes no change still gets back what it had sent after the backup', async () => {
    const { backupTenant, restoreTenant } = await import('../backup.js');
    const { leadService } = await import('../services/leads.js');
    const { one, two, url, ctx1, ctx2 } = await twoDevices('restore-quiet');
    const file = `${tempDir()}/old.sqlite`;
    backupTenant(one, 'restore-quiet', file);
    leadService.create(ctx1, { id: 'L-sent-after', name: 'Sent after the backup', lead_date: '2025-11-21' });
    await syncTenant(one, 'restore-quiet', { url });
    restoreTenant(one, 'restore-quiet', file);
    const restored = one.context('restore-quiet', null);
    const s = await syncTenant(one, 'restore-quiet', { url });
    expect(s.new_identity).toBe(true);
    expect(leadService.get(restored, 'L-sent-after').name).toBe('Sent after the backup');
    await syncTenant(two, 'restore-quiet', { url });
    expect(syncedRows(restored)).toEqual(syncedRows(ctx2));
    one.closeAll();
    two.closeAll();
  }, 120_000);

  it('one username made on two devices: one account, both passwords sign in, a session of the merged account goes on', async () => {
    const { addUser, authenticate } = await import('../services/users.js');
    const { Sessions } = await import('../api/session.js');
    const { Engine } = await import('../engine/engine.js');
    const { inlineEngine } = await import('../engine/host.js');
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
    one.closeAll();
    two.closeAll();
  }, 120_000);

  it('the same booking cancelled and the same entry reversed on two devices: one event each', async () => {
    const { bookUnit } = await import('../services/bookings.js');
    const { cancelBooking } = await import('../services/cancellations.js');
    const { createLedgerEntry, reverseLedgerEntry } = await import('../services/ledger.js');
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
    one.closeAll();
    two.closeAll();
  }, 120_000);
});

describe('a new laptop made from the server', () => {
  it('cut off in the middle of its first pull: the next sync finishes it, with every aggregate counted', async () => {
    const { createTenant } = await import('../services/tenantSetup.js');
    const { runDemo } = await import('../demo/demoData.js');
    const { defaultConnect } = await import('./engine.js');
    const one = new TenantManager(tempDir());
    createTenant(one, { tenant_id: 'boot-cut', name: 'Boot', admin_username: 'admin', admin_password: 'S3cret-pass' });
    const ctx1 = one.context('boot-cut', null);
    runDemo(ctx1, { leads: 60, seed: 3, today: '2025-11-25' });
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
    const two = new TenantManager(tempDir());
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
    one.closeAll();
    two.closeAll();
  }, 120_000);
});

describe('status changed on two devices offline', () => {
  it('reads as one line of history, ending at the status both devices hold', async () => {
    const { leadService, leadStatusHistoryOf } = await import('../services/leads.js');
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
    one.closeAll();
    two.closeAll();
  }, 120_000);
});

describe('a lead made and moved along before its first sync', () => {
  it('reaches the server as it stands, each field under the clock of its last change, and comes back to no one twice', async () => {
    const { leadService } = await import('../services/leads.js');
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
    one.closeAll();
    two.closeAll();
  }, 120_000);
});

describe('a database that held records before sync existed', () => {
  it('sends every row once, as inserts, and a new laptop built from the server equals it', async () => {
    const { createTenant } = await import('../services/tenantSetup.js');
    const { runDemo } = await import('../demo/demoData.js');
    const old = new TenantManager(tempDir());
    createTenant(old, { tenant_id: 'pre-sync', name: 'Pre-sync', admin_username: 'admin', admin_password: 'S3cret-pass' });
    const ctx = old.context('pre-sync', null);
    runDemo(ctx, { leads: 40, seed: 6, today: '2025-11-25' });
    // As migration 0008 leaves a database made before sync: rows, no outbox, marked for seeding.
    ctx.db.exec("DELETE FROM sync_outbox; DELETE FROM sqlite_sequence WHERE name = 'sync_outbox'; DELETE FROM sync_clocks; INSERT INTO sync_state (key, value) VALUES ('needs_seed', '1')");
    const url = await central.deviceUrl('pre-sync');
    const s = await syncTenant(old, 'pre-sync', { url });
    const rows = Object.values(syncedRows(ctx)).reduce((n, r) => n + r.length, 0);
    expect(s.pending).toBe(0);
    expect(s.pulled).toBe(0);
    const fresh = new TenantManager(tempDir());
    const boot = await syncTenant(fresh, 'pre-sync', { url });
    expect(boot.pulled).toBe(rows);
    expect(syncedRows(fresh.context('pre-sync', null))).toEqual(syncedRows(ctx));
    old.closeAll();
    fresh.closeAll();
  }, 120_000);
});

describe('mistakes a branch makes', () => {
  it('an edit made on a laptop 2 hours fast does not beat one made elsewhere a moment later', async () => {
    const { leadService } = await import('../services/leads.js');
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
    one.closeAll();
    two.closeAll();
  }, 120_000);

  it('syncing with another tenant\'s login is refused before anything moves either way', async () => {
    const { createTenant } = await import('../services/tenantSetup.js');
    const { leadService } = await import('../services/leads.js');
    const { one, url } = await twoDevices('theirs');
    const mine = new TenantManager(tempDir());
    createTenant(mine, { tenant_id: 'mine', name: 'Mine', admin_username: 'admin', admin_password: 'S3cret-pass' });
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
    one.closeAll();
    mine.closeAll();
  }, 120_000);
});
