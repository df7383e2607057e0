import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test/tenantFixture.js';
import { createTenant } from './services/tenantSetup.js';
import { assertTenantId } from './domain/tenantId.js';
import { tenantFile, TenantManager } from './tenants.js';
import { authenticate } from './services/users.js';
import { eventId } from './domain/context.js';
import { runMigrations } from '../db/migrate.js';

const managers: TenantManager[] = [];
afterEach(() => managers.splice(0).forEach((m) => m.closeAll()));
const manager = (dir = tempDir()) => {
  const m = new TenantManager(dir);
  managers.push(m);
  return m;
};
/** A copy of the migrations up to and including `lastTag`: a database as an older Milepost left it. */
function migrationsUpTo(lastTag: string): string {
  const from = path.resolve(import.meta.dirname, '../migrations');
  const to = tempDir();
  fs.mkdirSync(path.join(to, 'meta'));
  const journal = JSON.parse(fs.readFileSync(path.join(from, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const last = journal.entries.findIndex((e) => e.tag === lastTag);
  if (last < 0) throw new Error(`no migration ${lastTag}`);
  journal.entries = journal.entries.slice(0, last + 1);
  for (const e of journal.entries) fs.copyFileSync(path.join(from, `${e.tag}.sql`), path.join(to, `${e.tag}.sql`));
  fs.writeFileSync(path.join(to, 'meta/_journal.json'), JSON.stringify(journal));
  return to;
}

const create = (m: TenantManager, tenant_id = 't1') =>
  createTenant(m, { tenant_id, name: 'Tenant One', admin_username: 'admin', admin_password: 'S3cret-pass', timezone: 'Asia/Kolkata' });

// SPEC §3: every table and column the product promises.
const expectedColumns: Record<string, string[]> = {
  tenant_settings: ['tenant_id', 'name', 'timezone', 'currency', 'locale'],
  users: ['id', 'username', 'display_name', 'role', 'password_hash', 'active'],
  sales_customers: ['id', 'customer_code', 'name', 'email', 'phone', 'address', 'lead_id'],
  sales_lead_sources: ['id', 'source_name', 'source_type', 'subsource_name', 'channel', 'is_active'],
  sales_campaigns: ['id', 'campaign_code', 'campaign_name', 'campaign_type', 'start_date', 'end_date', 'budget', 'expected_roi', 'assigned_to', 'status', 'description'],
  sales_leads: ['id', 'lead_code', 'name', 'email', 'phone', 'company', 'source_id', 'campaign_id', 'assigned_to', 'status', 'lead_date', 'customer_id', 'lost_reason', 'notes'],
  sales_lead_status_history: ['id', 'lead_id', 'from_status', 'to_status', 'changed_at', 'changed_by', 'cause'],
  sales_lead_milestones: [
    'id', 'lead_id', 'milestone_type', 'milestone_date', 'milestone_time', 'location_latitude', 'location_longitude', 'location_name', 'visited_by',
    'duration_minutes', 'outcome', 'follow_up_required', 'follow_up_date', 'follow_up_completed_at', 'notes', 'metadata',
  ],
  sales_lead_engagement: [
    'id', 'lead_id', 'engagement_type', 'engagement_channel', 'engagement_date', 'subject', 'notes', 'status', 'response_received', 'response_date',
    'response_notes', 'duration_seconds',
  ],
  sales_bookings: [
    'id', 'booking_code', 'customer_id', 'lead_id', 'booking_date', 'booking_amount', 'project_name', 'unit_type', 'unit_count', 'units_booked',
    'units_available', 'status', 'cancellation_date', 'cancellation_reason', 'refund_amount', 'delivery_date', 'notes',
  ],
  sales_unit_inventory: ['id', 'project_name', 'unit_type', 'total_units'],
  sales_account_ledgers: [
    'id', 'ledger_code', 'customer_id', 'transaction_date', 'transaction_type', 'debit_amount', 'credit_amount', 'reference_document_type',
    'reference_document_id', 'description', 'status',
  ],
  audit_log: ['entity', 'entity_id', 'action', 'actor', 'at', 'changes'],
};
const recordColumns = ['created_at', 'updated_at', 'created_by', 'deleted_at'];
const views = ['v_booking_summary', 'v_campaign_performance', 'v_customer_ledger_summary', 'v_lead_funnel_analysis', 'v_lead_milestone_timeline', 'v_lead_source_performance'];

describe('tenant databases (SPEC §1)', () => {
  it('creates <data-dir>/tenants/<id>.sqlite with every table, column and view, and a hashed admin password', () => {
    const m = manager();
    create(m);
    const file = path.join(m.dataDir, 'tenants', 't1.sqlite');
    const db = new Database(file, { readonly: true });
    for (const [table, columns] of Object.entries(expectedColumns)) {
      const have = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name);
      const want = table === 'tenant_settings' || table === 'audit_log' ? columns : [...columns, ...recordColumns];
      expect(have, table).toEqual(expect.arrayContaining(want));
    }
    expect((db.prepare("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name").all() as { name: string }[]).map((v) => v.name)).toEqual(views);
    const admin = db.prepare("SELECT role, password_hash FROM users WHERE username = 'admin'").get() as { role: string; password_hash: string };
    expect(admin.role).toBe('admin');
    expect(admin.password_hash).toMatch(/^scrypt\$/);
    expect(admin.password_hash).not.toContain('S3cret-pass');
    db.close();
    const ctx = m.context('t1', null);
    expect(authenticate(ctx, 'admin', 'S3cret-pass')?.username).toBe('admin');
    expect(authenticate(ctx, 'admin', 'wrong')).toBeNull();
    expect(ctx.settings).toMatchObject({ tenant_id: 't1', timezone: 'Asia/Kolkata', currency: 'INR', locale: 'en-IN' });
  });

  it('opens with WAL, foreign keys, a busy timeout and synchronous=FULL', () => {
    const m = manager();
    create(m);
    const { db } = m.get('t1');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('refuses to create a tenant twice and leaves the first untouched', () => {
    const m = manager();
    create(m);
    const file = tenantFile(m.dataDir, 't1');
    const before = fs.readFileSync(file);
    expect(() => create(m)).toThrow("tenant 't1' already exists");
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['t1.sqlite']);
  });

  it('leaves no file behind when creation fails half-way (bad admin password)', () => {
    const m = manager();
    expect(() => createTenant(m, { tenant_id: 't2', name: 'T', admin_username: 'admin', admin_password: 'short' })).toThrow(/password/);
    expect(fs.readdirSync(path.join(m.dataDir, 'tenants'))).toEqual([]);
  });

  it.each([['../x'], ['t1/../../etc'], [''], ['Tenant'], ['a'.repeat(64)], ['-t'], ['t 1'], ['t1\0']])(
    'refuses the tenant id %j before building any path',
    (id) => {
      const dir = tempDir();
      expect(() => assertTenantId(id)).toThrow(/tenant_id: must match/);
      expect(() => tenantFile(dir, id)).toThrow(/tenant_id/);
      expect(() => manager(dir).get(id)).toThrow(/tenant_id/);
      expect(() => create(manager(dir), id)).toThrow(/tenant_id/);
      expect(fs.readdirSync(dir)).toEqual([]);
    },
  );

  it('accepts the longest valid id (63 characters)', () => {
    expect(assertTenantId(`a${'b'.repeat(62)}`)).toHaveLength(63);
  });

  it('refuses a database written by a newer Milepost, with a clear message', () => {
    const m = manager();
    create(m);
    const file = tenantFile(m.dataDir, 't1');
    const db = new Database(file);
    db.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', Date.now() + 10 ** 10);
    db.close();
    expect(() => manager(m.dataDir).get('t1')).toThrow(/written by a newer version of Milepost \(schema 21, this version knows 20\)/);
  });

  it('copies the database aside before applying pending migrations, brings old inventory names to one spelling and old cancellations to the money rule', () => {
    // A database as Milepost left it before issue 15 (units, SPEC §3's matching) and
    // issue 16 (refunds, the cancellation rule), where `villa` was stocked beside
    // `Villa` and booked under any case, and a booking was cancelled the old way.
    const m = { dataDir: tempDir() };
    const file = tenantFile(m.dataDir, 't1');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    runMigrations(db, { migrationsFolder: migrationsUpTo('0011_user_merge') });
    db.prepare("INSERT INTO tenant_settings (tenant_id, name, device_tag, created_at, updated_at) VALUES ('t1', 'Tenant One', 'A1B2', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')").run();
    const at = (d: string) => `${d}T10:00:00.000Z`;
    const inv = db.prepare('INSERT INTO sales_unit_inventory (id, created_at, updated_at, project_name, unit_type, total_units) VALUES (?, ?, ?, ?, ?, ?)');
    inv.run('i1', at('2025-01-01'), at('2025-01-01'), 'Green Meadows', 'Villa', 3);
    inv.run('i2', at('2025-02-01'), at('2025-02-01'), 'green  meadows', 'villa ', 2);
    inv.run('i3', at('2025-03-01'), at('2025-03-01'), 'Lakeview  Towers', '2BHK', 5);
    db.prepare("INSERT INTO sales_customers (id, created_at, updated_at, customer_code, name) VALUES ('c1', ?, ?, 'CUS-1', 'Asha')").run(at('2025-04-01'), at('2025-04-01'));
    const booking = db.prepare("INSERT INTO sales_bookings (id, created_at, updated_at, booking_code, customer_id, booking_date, booking_amount, project_name, unit_type) VALUES (?, ?, ?, ?, 'c1', '2025-04-02', 100, ?, ?)");
    booking.run('b1', at('2025-04-02'), at('2025-04-02'), 'B-1', 'GREEN MEADOWS', 'villa');
    booking.run('b2', at('2025-04-02'), at('2025-04-02'), 'B-2', null, 'Villa');
    booking.run('b3', at('2025-04-02'), at('2025-04-02'), 'B-3', 'Elsewhere', 'villa');
    // B-3 invoiced 100.00, 40.00 received, cancelled with 40.00 refunded as a credit note (the old rule): the ledger said 60.00 owed.
    db.prepare("UPDATE sales_bookings SET booking_amount = 10000, status = 'cancelled', cancellation_date = '2025-04-10', cancellation_reason = 'Changed mind', refund_amount = 4000 WHERE id = 'b3'").run();
    const entry = db.prepare("INSERT INTO sales_account_ledgers (id, created_at, updated_at, ledger_code, customer_id, transaction_date, transaction_type, debit_amount, credit_amount, reference_document_type, reference_document_id) VALUES (?, ?, ?, ?, 'c1', ?, ?, ?, ?, ?, ?)");
    entry.run('e1', at('2025-04-02'), at('2025-04-02'), 'LED-1', '2025-04-02', 'invoice', 10000, 0, 'booking', 'b3');
    entry.run('e2', at('2025-04-05'), at('2025-04-05'), 'LED-2', '2025-04-05', 'payment', 0, 4000, 'booking', 'b3');
    entry.run(eventId('cancellation-credit-note', 'b3'), at('2025-04-10'), at('2025-04-10'), 'LED-3', '2025-04-10', 'credit_note', 0, 4000, 'booking', 'b3');
    db.close();
    const reopened = manager(m.dataDir).get('t1');
    expect(reopened.db.prepare('SELECT id, project_name, unit_type, total_units, deleted_at IS NOT NULL AS retired FROM sales_unit_inventory ORDER BY id').all()).toEqual([
      { id: 'i1', project_name: 'Green Meadows', unit_type: 'Villa', total_units: 3, retired: 0 },
      { id: 'i2', project_name: 'green meadows', unit_type: 'villa', total_units: 2, retired: 1 },
      { id: 'i3', project_name: 'Lakeview Towers', unit_type: '2BHK', total_units: 5, retired: 0 },
    ]);
    expect(reopened.db.prepare('SELECT id, project_name, unit_type FROM sales_bookings ORDER BY id').all()).toEqual([
      { id: 'b1', project_name: 'Green Meadows', unit_type: 'Villa' },
      { id: 'b2', project_name: null, unit_type: 'Villa' },
      { id: 'b3', project_name: 'Elsewhere', unit_type: 'villa' },
    ]);
    expect(reopened.db.prepare('SELECT unit_hold_hours FROM tenant_settings').get()).toEqual({ unit_hold_hours: 48 });
    // The old credit note reversed, a credit note of the whole 100.00 and a refund of 40.00: 0 owed.
    const rows = reopened.db.prepare("SELECT transaction_type, status, debit_amount - credit_amount AS amount FROM sales_account_ledgers WHERE customer_id = 'c1' ORDER BY transaction_date, created_at, id").all() as { transaction_type: string }[];
    expect(rows.slice(0, 3)).toEqual([
      { transaction_type: 'invoice', status: 'active', amount: 10000 }, { transaction_type: 'payment', status: 'active', amount: -4000 },
      { transaction_type: 'credit_note', status: 'reversed', amount: -4000 },
    ]);
    // Made in one instant on the cancellation date: their order among themselves is by id.
    expect(rows.slice(3).sort((a, b) => a.transaction_type.localeCompare(b.transaction_type))).toEqual([
      { transaction_type: 'adjustment', status: 'active', amount: 4000 }, { transaction_type: 'credit_note', status: 'active', amount: -10000 },
      { transaction_type: 'refund', status: 'active', amount: 4000 },
    ]);
    expect(reopened.db.prepare("SELECT sum(debit_amount - credit_amount) FROM sales_account_ledgers WHERE customer_id = 'c1' AND status <> 'cancelled'").pluck().get()).toBe(0);
    expect(reopened.db.prepare("SELECT outstanding_balance, total_refunds FROM v_customer_ledger_summary WHERE customer_id = 'c1'").get()).toEqual({ outstanding_balance: 0, total_refunds: 40 });
    const backups = fs.readdirSync(path.join(m.dataDir, 'backups'));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(/^t1-pre-migration-\d+\.sqlite$/);
    const copy = new Database(path.join(m.dataDir, 'backups', backups[0]!), { readonly: true });
    expect(copy.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'sales_units'").get()).toEqual({ n: 0 });
    copy.close();
  });
});

describe('tenant files are their user\'s alone (issue 17)', () => {
  it.skipIf(process.platform === 'win32')('makes the database, its WAL and shared memory, backups and their folders readable by the owner only', async () => {
    const m = manager();
    create(m);
    const file = tenantFile(m.dataDir, 't1');
    // A write, so the WAL and shared-memory files exist.
    m.get('t1').db.prepare("UPDATE tenant_settings SET name = 'Renamed'").run();
    const mode = (f: string) => fs.statSync(f).mode & 0o777;
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f), f).toBe(0o600);
    expect(mode(path.dirname(file))).toBe(0o700);
    const { backupTenant } = await import('./backup.js');
    const out = path.join(m.dataDir, 'backups', 'by-hand.sqlite');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    backupTenant(m, 't1', out);
    expect(mode(out)).toBe(0o600);
    // A database made before this, readable by others, is made private when opened.
    m.closeAll();
    fs.chmodSync(file, 0o644);
    manager(m.dataDir).get('t1');
    expect(mode(file)).toBe(0o600);
    // An in-memory database has no file: none is made for it.
    const { openSqlite } = await import('../db/connection.js');
    openSqlite(':memory:').close();
    expect(fs.existsSync(path.join(process.cwd(), ':memory:'))).toBe(false);
  });
});
