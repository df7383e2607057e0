import { describe, expect, it } from 'vitest';
import { counts, device, deviceRows, onDevice, serve, type Device } from '../syncHarness.js';
import { addTenant, AS_OF, converged, sync, syncToQuiet, useCentralServer, tenantOn, demoOn } from './realisticSuite.js';


// Sync under the data and the mistakes of real branches, black box — the
// README's commands as their own processes (a device clock set wrong with faketime),
// the API through `milepost serve`, a real Postgres. Every case ends with the same
// proof: every synced table and every export equal on every device and on the server,
// every report equal to head office's `export --pg`, nothing pending, nothing doubled,
// balances equal to their entries, everyone able to sign in.

useCentralServer();

describe('the README\'s own steps', () => {
  it('syncs a demo made today, at whatever hour, in one go: every row on the server, nothing pulled back', async () => {
    // UTC+14: most of the tenant's "today" lies ahead of the server's clock, whatever the hour here.
    const laptop = device('readme');
    await tenantOn(laptop, 'readme', 'Readme Realty', '--timezone', 'Pacific/Kiritimati');
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const future = await laptop.run('demo', '--tenant', 'readme', '--today', tomorrow);
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/today: must not be after the tenant's today/);
    await laptop.ok('demo', '--tenant', 'readme', '--leads', '300', '--seed', '3');
    const url = await addTenant('readme');
    const first = await sync(laptop, 'readme', url);
    expect(first.stdout).toMatch(/synced tenant readme: pushed \d+, pulled 0, conflicts 0, still pending 0/);
    expect(first.stdout).not.toMatch(/refused|warning/);
    expect((await sync(laptop, 'readme', url)).stdout).toMatch(/pushed 0, pulled 0/);
    const stamps = onDevice(laptop, 'readme', (db) => (db.prepare("SELECT max(json_extract(clocks, '$.\"*\"')) AS m FROM sync_clocks").get() as { m: string }).m);
    expect(Number(stamps.slice(0, 15))).toBeLessThanOrEqual(Date.now());
    await converged('readme', [laptop], [{ username: 'admin', password: 'S3cret-pass' }]);
  }, 300_000);
});

describe('two branches that each started on their own', () => {
  it('join one tenant: every row of both on both, codes made unique and said so, the tenant\'s settings taken, both admins sign in everywhere', async () => {
    const [a, b] = [device('branch-a'), device('branch-b')];
    await a.ok('tenant', 'create', '--tenant', 'joined', '--name', 'Head Office', '--admin', 'admin', '--password', 'A-secret-1', '--timezone', 'Asia/Kolkata');
    await b.ok('tenant', 'create', '--tenant', 'joined', '--name', 'Pune Branch', '--admin', 'admin', '--password', 'B-secret-2', '--timezone', 'Europe/Berlin', '--currency', 'EUR', '--locale', 'de-DE');
    await a.ok('user', 'add', '--tenant', 'joined', '--username', 'meera', '--password', 'meera-on-a', '--role', 'sales_rep');
    await b.ok('user', 'add', '--tenant', 'joined', '--username', 'meera', '--password', 'meera-on-b', '--role', 'sales_rep');
    await a.ok('demo', '--tenant', 'joined', '--leads', '2000', '--seed', '11');
    await b.ok('demo', '--tenant', 'joined', '--leads', '2000', '--seed', '12');
    const before = { a: counts(deviceRows(a, 'joined')), b: counts(deviceRows(b, 'joined')) };
    const url = await addTenant('joined');
    await sync(a, 'joined', url);
    const joined = await sync(b, 'joined', url, '--pull-page', '500');
    expect(joined.stdout).toMatch(/took the tenant's time zone from the server: Asia\/Kolkata \(was Europe\/Berlin\)/);
    expect(joined.stdout).toMatch(/took the tenant's currency from the server: INR \(was EUR\)/);
    expect(joined.stdout).toMatch(/campaign code (CMP-[\d-]+) was already taken on the server by a record made on another device: this one is \1-[0-9A-F]{4} now/);
    expect(joined.stdout).toMatch(/the server refused unit type [^\n]+ \/ [^\n]+: that unit type was already set up on another device, so this device now uses the one the server has/);
    expect(joined.stdout).toMatch(/user 'admin' was also made on another device: the two are one account now/);
    // Both branches set up the same towers: one unit each, the holds and bookings of both on them.
    expect(joined.stdout).toMatch(/unit V?\d+ was also set up on another device: the two are one unit now/);
    await syncToQuiet('joined', url, [a, b]);
    const after = counts(deviceRows(a, 'joined'));
    // Every lead, milestone, engagement, booking and entry of both branches is there.
    for (const t of ['sales_leads', 'sales_lead_milestones', 'sales_lead_engagement', 'sales_bookings', 'sales_account_ledgers', 'sales_customers', 'sales_campaigns', 'sales_unit_holds']) {
      expect(after[t], t).toBe(before.a[t]! + before.b[t]!);
    }
    const liveUnits = (d: typeof a) => onDevice(d, 'joined', (db) => db.prepare('SELECT count(*) AS n FROM sales_units WHERE deleted_at IS NULL').get());
    expect(liveUnits(a)).toEqual({ n: 1360 });
    expect(liveUnits(b)).toEqual({ n: 1360 });
    // No booking or hold is left on a retired unit.
    expect(onDevice(b, 'joined', (db) => db.prepare(`SELECT count(*) AS n FROM sales_bookings b JOIN sales_units u ON u.id = b.unit_id WHERE u.deleted_at IS NOT NULL`).get())).toEqual({ n: 0 });
    expect(onDevice(b, 'joined', (db) => db.prepare('SELECT timezone, currency, locale, name FROM tenant_settings').get())).toEqual({ timezone: 'Asia/Kolkata', currency: 'INR', locale: 'en-IN', name: 'Head Office' });
    await converged('joined', [a, b], [
      { username: 'admin', password: 'A-secret-1' }, { username: 'admin', password: 'B-secret-2' },
      { username: 'meera', password: 'meera-on-a' }, { username: 'meera', password: 'meera-on-b' },
    ]);
  }, 600_000);
});

describe('device clocks', () => {
  it('a laptop 2 hours fast: its edits kept (not refused), then its clock corrected and its edits still win', async () => {
    const fast = device('fast', '+2h');
    const other = device('other');
    await fast.withClock(undefined).ok('tenant', 'create', '--tenant', 'clocks', '--name', 'Clocks', '--admin', 'admin', '--password', 'S3cret-pass');
    await fast.withClock(undefined).ok('demo', '--tenant', 'clocks', '--leads', '60', '--seed', '5');
    const url = await addTenant('clocks');
    await fast.withClock(undefined).ok('sync', '--tenant', 'clocks', '--pg', url);
    await sync(other, 'clocks', url);
    const [l1, l2, l3] = onDevice(fast, 'clocks', (db) => (db.prepare('SELECT id FROM sales_leads ORDER BY id LIMIT 3').all() as { id: string }[]).map((r) => r.id));

    // Two hours fast: edits, a new lead, a payment.
    let app = await serve(fast, 'clocks', 'admin', 'S3cret-pass');
    await app.op('leads.update', { id: l1, name: 'Edited with the clock 2 h fast' });
    const made = await app.op<{ id: string }>('leads.create', { name: 'Walk-in on a fast clock', lead_date: AS_OF });
    const customer = onDevice(fast, 'clocks', (db) => (db.prepare('SELECT id FROM sales_customers ORDER BY id LIMIT 1').get() as { id: string }).id);
    await app.op('ledger.create', { customer_id: customer, transaction_type: 'payment', credit_amount: 1234.56, transaction_date: AS_OF });
    await app.stop();
    const s1 = await sync(fast, 'clocks', url);
    expect(s1.stdout).toMatch(/warning: this device's clock is 2 h ahead of the server's/);
    expect(s1.stdout).not.toMatch(/refused/);
    await sync(other, 'clocks', url);
    expect(onDevice(other, 'clocks', (db) => db.prepare('SELECT name FROM sales_leads WHERE id IN (?, ?) ORDER BY name').all(l1, made.id))).toEqual([
      { name: 'Edited with the clock 2 h fast' }, { name: 'Walk-in on a fast clock' },
    ]);

    // Another laptop edits after it, at the right time: that edit wins everywhere.
    let otherApp = await serve(other, 'clocks', 'admin', 'S3cret-pass');
    await otherApp.op('leads.update', { id: l1, notes: 'note from the other laptop' });
    await otherApp.op('leads.update', { id: l2, name: 'Renamed on the other laptop' });
    await otherApp.stop();
    await sync(other, 'clocks', url);

    // The clock is put right: edits made now are stamped now, and win over the earlier ones.
    const corrected = fast.withClock(undefined);
    await corrected.ok('sync', '--tenant', 'clocks', '--pg', url);
    app = await serve({ dataDir: fast.dataDir }, 'clocks', 'admin', 'S3cret-pass');
    await app.op('leads.update', { id: l1, name: 'Edited after the clock was corrected' });
    await app.op('leads.update', { id: l2, name: 'Renamed again after the correction' });
    await app.stop();
    const s2 = await corrected.ok('sync', '--tenant', 'clocks', '--pg', url);
    expect(s2.stdout).not.toMatch(/refused|warning|stamped ahead/);
    await sync(other, 'clocks', url);
    otherApp = await serve(other, 'clocks', 'admin', 'S3cret-pass');
    expect(await otherApp.op('leads.get', { id: l1 })).toMatchObject({ name: 'Edited after the clock was corrected', notes: 'note from the other laptop' });
    expect(await otherApp.op('leads.get', { id: l2 })).toMatchObject({ name: 'Renamed again after the correction' });
    expect(await otherApp.op('leads.get', { id: l3 })).toMatchObject({ id: l3 });
    await otherApp.stop();
    const plain: Device = { ...fast, faketime: undefined, ok: corrected.ok };
    await syncToQuiet('clocks', url, [plain, other]);
    await converged('clocks', [plain, other], [{ username: 'admin', password: 'S3cret-pass' }]);
  }, 600_000);

  it('a laptop 3 hours slow: its later edit beats an earlier one made elsewhere', async () => {
    const a = device('on-time');
    const slow = device('slow', '-3h');
    await demoOn(a, 'slow', 'Slow', 40, 8);
    const url = await addTenant('slow');
    await sync(a, 'slow', url);
    const first = await sync(slow, 'slow', url); // a new laptop, made from the server
    expect(first.stdout).toMatch(/warning: this device's clock is 3 h behind the server's/);
    const [l1, l2] = onDevice(a, 'slow', (db) => (db.prepare('SELECT id FROM sales_leads ORDER BY id LIMIT 2').all() as { id: string }[]).map((r) => r.id));

    // Offline, both edit the same lead; the slow laptop a little later.
    const onTime = await serve(a, 'slow', 'admin', 'S3cret-pass');
    await onTime.op('leads.update', { id: l1, notes: 'first, on the laptop with the right time' });
    await onTime.op('leads.update', { id: l2, notes: 'made on time, then overtaken' });
    await onTime.stop();
    await new Promise((r) => setTimeout(r, 1500));
    const late = await serve(slow, 'slow', 'admin', 'S3cret-pass');
    await late.op('leads.update', { id: l1, notes: 'second, on the laptop 3 hours slow' });
    await late.op('leads.update', { id: l2, notes: 'overtaken by the slow laptop' });
    await late.stop();
    await sync(a, 'slow', url);
    await sync(slow, 'slow', url);
    await sync(a, 'slow', url);
    const notes = (d: Device) => onDevice(d, 'slow', (db) => db.prepare('SELECT notes FROM sales_leads WHERE id IN (?, ?) ORDER BY id').all(l1, l2));
    expect(notes(a)).toEqual([{ notes: 'second, on the laptop 3 hours slow' }, { notes: 'overtaken by the slow laptop' }]);
    expect(notes(slow)).toEqual(notes(a));
    await converged('slow', [a, slow], [{ username: 'admin', password: 'S3cret-pass' }]);
  }, 600_000);
});

describe('one event made on two devices', () => {
  it('the same booking cancelled and the same entry reversed on two laptops offline: one credit note, one milestone, one counter-entry', async () => {
    const [p, q] = [device('cancel-p'), device('cancel-q')];
    await demoOn(p, 'twice', 'Twice', 120, 4);
    const url = await addTenant('twice');
    await sync(p, 'twice', url);
    await sync(q, 'twice', url);
    const { booking, entry } = onDevice(p, 'twice', (db) => ({
      booking: db.prepare("SELECT id, booking_amount, customer_id FROM sales_bookings WHERE status = 'confirmed' AND lead_id IS NOT NULL ORDER BY id LIMIT 1").get() as { id: string; booking_amount: number; customer_id: string },
      entry: db.prepare("SELECT id, credit_amount, customer_id FROM sales_account_ledgers WHERE status = 'active' AND transaction_type = 'payment' ORDER BY id LIMIT 1").get() as { id: string; credit_amount: number; customer_id: string },
    }));
    expect(booking).toBeDefined();
    expect(entry).toBeDefined();
    const outstanding = (d: Device, customer: string) => onDevice(d, 'twice', (db) => (db.prepare("SELECT sum(debit_amount - credit_amount) AS n FROM sales_account_ledgers WHERE customer_id = ? AND status <> 'cancelled' AND deleted_at IS NULL").get(customer) as { n: number }).n);
    const before = outstanding(p, entry.customer_id);
    for (const [d, refund] of [[p, 5000], [q, 5000]] as const) {
      const app = await serve(d, 'twice', 'admin', 'S3cret-pass');
      await app.op('bookings.cancel', { id: booking.id, cancellation_date: AS_OF, cancellation_reason: `cancelled on ${d.name}`, refund_amount: refund });
      await app.op('ledger.reverse', { id: entry.id, transaction_date: AS_OF });
      await app.stop();
    }
    await syncToQuiet('twice', url, [p, q]);
    for (const d of [p, q]) {
      onDevice(d, 'twice', (db) => {
        // SPEC §10: one credit note of the whole amount (nothing forfeited) and one refund of the 5,000.00 paid back.
        expect(db.prepare("SELECT count(*) AS n, sum(credit_amount) AS amount FROM sales_account_ledgers WHERE transaction_type = 'credit_note' AND reference_document_id = ?").get(booking.id)).toEqual({ n: 1, amount: booking.booking_amount });
        expect(db.prepare("SELECT count(*) AS n, sum(debit_amount) AS amount FROM sales_account_ledgers WHERE transaction_type = 'refund' AND reference_document_id = ?").get(booking.id)).toEqual({ n: 1, amount: 500000 });
        expect((db.prepare("SELECT count(*) AS n FROM sales_lead_milestones WHERE milestone_type = 'cancellation' AND json_extract(metadata, '$.booking_id') = ?").get(booking.id) as { n: number }).n).toBe(1);
        expect(db.prepare("SELECT count(*) AS n, sum(debit_amount) AS amount FROM sales_account_ledgers WHERE reference_document_type = 'ledger_entry' AND reference_document_id = ?").get(entry.id)).toEqual({ n: 1, amount: entry.credit_amount });
      });
      // Reversing a payment puts its amount back on the balance, once.
      expect(outstanding(d, entry.customer_id)).toBe(before + entry.credit_amount + (entry.customer_id === booking.customer_id ? 500000 - booking.booking_amount : 0));
    }
    await converged('twice', [p, q], [{ username: 'admin', password: 'S3cret-pass' }]);
  }, 600_000);
});

