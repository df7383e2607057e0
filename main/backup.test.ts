import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTenant, tempDir } from '../test/tenantFixture.js';
import { backupTenant, restoreTenant } from './backup.js';
import { leadService } from './services/leads.js';
import { tenantFile } from './tenants.js';

// A restore trusts nothing in the backup but what the migrations make.
let t: ReturnType<typeof makeTenant>;
afterEach(() => t?.close());

function backedUp() {
  t = makeTenant();
  leadService.create(t.ctx, { id: 'L1', name: 'Kept lead', lead_date: '2025-11-01' });
  const file = path.join(tempDir(), 'backup.sqlite');
  backupTenant(t.manager, 't1', file);
  return file;
}

const liveLeads = () => (t.manager.get('t1').db.prepare('SELECT name FROM sales_leads ORDER BY name').all() as { name: string }[]).map((r) => r.name);

describe('restoring a backup (issue 17)', () => {
  it('refuses a backup carrying a trigger of its own, naming it, and leaves the live database as it was', () => {
    const file = backedUp();
    const doctored = new Database(file);
    doctored.exec("CREATE TRIGGER make_me_admin AFTER INSERT ON sales_leads BEGIN UPDATE users SET role = 'admin'; END");
    doctored.close();
    leadService.create(t.ctx, { name: 'Made after the backup', lead_date: '2025-11-02' });
    expect(() => restoreTenant(t.manager, 't1', file)).toThrow(/does not have the schema Milepost makes: trigger make_me_admin is not Milepost's/);
    expect(liveLeads()).toEqual(['Kept lead', 'Made after the backup']);
  });

  it('refuses a backup whose index or view was changed, or a hollow one holding only settings and the migration journal', () => {
    const file = backedUp();
    const changed = new Database(file);
    changed.exec('DROP VIEW v_customer_ledger_summary; CREATE VIEW v_customer_ledger_summary AS SELECT username, password_hash FROM users');
    changed.close();
    expect(() => restoreTenant(t.manager, 't1', file)).toThrow(/view v_customer_ledger_summary is not as Milepost makes it/);

    const hollow = path.join(tempDir(), 'hollow.sqlite');
    const h = new Database(hollow);
    h.exec(`ATTACH '${file.replace(/'/g, "''")}' AS b;
      CREATE TABLE tenant_settings AS SELECT * FROM b.tenant_settings;
      CREATE TABLE __drizzle_migrations AS SELECT * FROM b.__drizzle_migrations;
      DETACH b;`);
    h.close();
    expect(() => restoreTenant(t.manager, 't1', hollow)).toThrow(/does not have the schema Milepost makes: table .*table agg_bookings_daily is missing.* and \d+ more/);
    expect(liveLeads()).toEqual(['Kept lead']);
  });

  it('restores a backup as Milepost made it', () => {
    const file = backedUp();
    leadService.create(t.ctx, { name: 'Made after the backup', lead_date: '2025-11-02' });
    restoreTenant(t.manager, 't1', file);
    expect(liveLeads()).toEqual(['Kept lead']);
    expect(fs.existsSync(tenantFile(t.manager.dataDir, 't1'))).toBe(true);
  });
});
