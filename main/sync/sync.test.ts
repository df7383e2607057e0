import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { numberTypes } from '../../db/pg/reports.js';
import { SYNCED_TABLES } from '../../db/schema/sync.js';
import { buildSmallDataset } from '../../test/smallDataset.js';
import { syncedRows, aggregateRows } from '../../test/syncFixture.js';
import { makeTenant } from '../../test/tenantFixture.js';
import { reportNames, reportTable } from '../services/reports.js';
import { syncStatus, syncTenant } from './tenantSync.js';
import { centralReport } from './server.js';
import { device, twoDevicesOn, useCentral, backupNow, smallDevice } from '../../test/syncSuite.js';
import { leadService } from '../services/leads.js';
import { defaultConnect } from './engine.js';
import { restoreTenant } from '../backup.js';
import { SyncRuntime } from './runtime.js';

// SPEC §8 sync against a real Postgres: what a sync sends and builds, tenants kept
// apart, what it survives, the schema it insists on, and sync inside the running app.

const central = useCentral();
const twoDevices = (tenant: string) => twoDevicesOn(central, tenant);

describe('sync with the central Postgres (SPEC §8)', () => {
  it('sends a device\'s records and builds a new device from the server, users included', async () => {
    const a = makeTenant();
    buildSmallDataset(a.ctx);
    const url = await central.deviceUrl('t1');
    const first = await syncTenant(a.manager, 't1', { url });
    expect(first.pushed).toBeGreaterThan(10);
    expect(first.pending).toBe(0);
    expect(syncStatus(a.ctx).pending_changes).toBe(0);

    const b = device();
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
    a.close();
  }, 120_000);
});

describe('tenants kept apart by Postgres', () => {
  it('gives tenant A\'s login nothing of tenant B, through the sync functions or plain SQL', async () => {
    // Two tenants holding the same ids (L1…).
    const { manager: bManager } = smallDevice('iso-b', 'B');
    const { manager: aManager } = smallDevice('iso-a', 'A');
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
    }
  }, 120_000);
});

/** A tenant on its own device with the small dataset, synced once; and a second device made from the server. */
describe('sync survives', () => {
  it('Postgres stopped and started in the middle of a sync: the next sync completes and nothing is lost', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('restart');
    for (let i = 0; i < 30; i += 1) leadService.create(ctx1, { name: `Walk-in ${i}`, lead_date: '2025-11-20' });
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
  }, 120_000);

  it('a device restored from an old backup: no deleted row comes back, no old change is applied again, new ones go through', async () => {
    const { one, two, url, ctx1, ctx2 } = await twoDevices('restore');
    const file = backupNow(one, 'restore');
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
  }, 120_000);
});


describe('sync in the running app', () => {
  it('runs in the background once configured, and keeps a failure for the screen without the password', async () => {
    const { manager: manager, ctx: ctx } = smallDevice('bg', 'Background');
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
    }
  }, 120_000);
});

describe('schema versions', () => {
  it('refuses to sync a device whose tenant schema differs from the central one', async () => {
    const manager = device('older', 'Older');
    const admin = new pg.Client({ connectionString: central.adminUrl });
    await admin.connect();
    try {
      await admin.query("UPDATE milepost_data.meta SET value = (value::int + 1)::text WHERE key = 'schema_version'");
      await expect(syncTenant(manager, 'older', { url: await central.deviceUrl('older') })).rejects.toThrow(/update Milepost on this device before syncing/);
      expect((await admin.query("SELECT count(*)::int AS n FROM milepost_data.sales_leads WHERE tenant_id = 'older'")).rows[0].n).toBe(0);
    } finally {
      await admin.query("UPDATE milepost_data.meta SET value = (value::int - 1)::text WHERE key = 'schema_version'");
      await admin.end();
    }
  }, 60_000);
});

