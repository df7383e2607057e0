import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/tenantFixture.js';
import { cli, readCsv, repo, run, sha } from '../../test/cliFixture.js';

// `milepost` as a user runs it: tenants, users, units, errors, the phone check, .xlsx
// exports and the lead import.

describe('npx milepost', () => {
  it('creates a tenant, and a second create fails clearly without touching it', async () => {
    const dir = tempDir();
    const args = ['milepost', 'tenant', 'create', '--data-dir', dir, '--tenant', 't1', '--name', 'Tenant One', '--admin', 'admin', '--password', 'S3cret-pass', '--timezone', 'Asia/Kolkata'];
    const first = await run('npx', args, { cwd: repo });
    expect(first.stdout).toContain('created tenant t1');
    const file = path.join(dir, 'tenants', 't1.sqlite');
    const before = sha(file);
    const second = await run('npx', args, { cwd: repo }).then(() => null, (e: { code: number; stderr: string }) => e);
    expect(second?.code).toBe(1);
    expect(second?.stderr).toContain("error: tenant 't1' already exists");
    expect(sha(file)).toBe(before);
  });
});

describe('CLI errors', () => {
  it('names a missing option, an unknown option, a bad tenant id and an unknown command, with exit 2', async () => {
    expect(await cli('tenant', 'create', '--tenant', 't1')).toMatchObject({ code: 2, stderr: expect.stringContaining('missing --name, --admin, --password') });
    expect(await cli('backup', '--tenant', 't1', '--out', 'x', '--colour', 'red')).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--colour'") });
    expect(await cli('backup', '--data-dir', tempDir(), '--tenant', '../etc', '--out', 'x')).toMatchObject({ code: 2, stderr: expect.stringContaining('tenant_id: must match') });
    expect(await cli('frobnicate')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command: frobnicate') });
    expect(await cli('export', 'nonsense', '--data-dir', tempDir(), '--tenant', 't1', '--out', 'x.csv')).toMatchObject({ code: 2, stderr: expect.stringContaining('one of: funnel') });
    expect(await cli('export', 'funnel', '--data-dir', tempDir(), '--tenant', 't1', '--out', 'x.csv', '--lead', 'L1'))
      .toMatchObject({ code: 2, stderr: expect.stringContaining('--lead does not apply to the funnel export') });
  });

  it('adds a tower of units, names a bad value by its option, notes a missing --tower, and exports the inventory of one project', async () => {
    const dir = tempDir();
    await cli('tenant', 'create', '--data-dir', dir, '--tenant', 't1', '--name', 'T', '--admin', 'admin', '--password', 'S3cret-pass');
    const { TenantManager } = await import('../tenants.js');
    const { unitInventoryService } = await import('../services/catalog.js');
    const m = new TenantManager(dir);
    unitInventoryService.create(m.context('t1', null), { project_name: 'Green Meadows', unit_type: '2BHK', total_units: 0 });
    m.closeAll();
    const add = (...more: string[]) => cli('units', 'add', '--data-dir', dir, '--tenant', 't1', '--project', 'green meadows', '--type', '2bhk', ...more);
    expect(await add('--tower', 'A', '--floor-from', '1', '--floor-to', '2', '--per-floor', '4', '--price', '6500000.50'))
      .toMatchObject({ code: 0, stdout: 'added 8 units to Green Meadows A (2BHK): 101 … 204\n' });
    const badPrice = await add('--tower', 'B', '--floor-from', '1', '--floor-to', '1', '--per-floor', '2', '--price', 'lots');
    expect(badPrice).toMatchObject({ code: 2, stderr: 'error: invalid input: --price must be a number\n' });
    const noTower = await add('--floor-from', '0', '--floor-to', '0', '--per-floor', '2');
    expect(noTower.code).toBe(0);
    expect(noTower.stdout).toContain("note: no --tower given, so these units are in no tower; Green Meadows's other units are in A");
    // Basements: a negative floor needs no `=` after its option.
    expect(await add('--tower', 'P', '--floor-from', '-2', '--floor-to', '-1', '--per-floor', '1')).toMatchObject({ code: 0, stdout: expect.stringContaining('added 2 units to Green Meadows P (2BHK)') });
    const listed = await cli('units', 'list', '--data-dir', dir, '--tenant', 't1', '--project', 'Green Meadows');
    expect(listed.stdout.trim().split('\n')).toHaveLength(13);
    const out = path.join(dir, 'inventory.csv');
    expect(await cli('export', 'inventory', '--data-dir', dir, '--tenant', 't1', '--project', 'GREEN MEADOWS', '--out', out, '--details', 'none')).toMatchObject({ code: 0 });
    // 8 at 65,00,000.50 and 2 without a price: 5,20,00,004.00 listed, all of it still to sell.
    expect(readCsv(out)).toEqual([{
      project_name: 'Green Meadows', unit_type: '2BHK', total_units: '12', available: '12', held: '0', booked: '0', sold: '0', blocked: '0',
      list_value: '52000004.00', unsold_value: '52000004.00', sales_value: '0.00',
    }]);
    expect(await cli('export', 'funnel', '--data-dir', dir, '--tenant', 't1', '--out', out, '--project', 'X'))
      .toMatchObject({ code: 2, stderr: expect.stringContaining('--project does not apply to the funnel export') });
  });

  it('adds users with a role and refuses a duplicate username', async () => {
    const dir = tempDir();
    await cli('tenant', 'create', '--data-dir', dir, '--tenant', 't1', '--name', 'T', '--admin', 'admin', '--password', 'S3cret-pass');
    expect(await cli('user', 'add', '--data-dir', dir, '--tenant', 't1', '--username', 'asha', '--password', 'field-pass-1', '--role', 'sales_rep'))
      .toMatchObject({ code: 0, stdout: expect.stringContaining('added sales_rep asha') });
    expect(await cli('user', 'add', '--data-dir', dir, '--tenant', 't1', '--username', 'asha', '--password', 'field-pass-1', '--role', 'sales_rep'))
      .toMatchObject({ code: 1, stderr: expect.stringContaining("username 'asha' is taken") });
    expect(await cli('user', 'add', '--data-dir', dir, '--tenant', 't1', '--username', 'bo', '--password', 'field-pass-1', '--role', 'boss'))
      .toMatchObject({ code: 2, stderr: expect.stringContaining('role must be one of: admin, manager, sales_rep') });
    // List, change a role, reset a password, deactivate — by username in any case.
    expect(await cli('user', 'add', '--data-dir', dir, '--tenant', 't1', '--username', 'ASHA', '--password', 'field-pass-1', '--role', 'sales_rep'))
      .toMatchObject({ code: 1, stderr: expect.stringContaining("username 'ASHA' is taken (as asha)") });
    expect(await cli('user', 'set-role', '--data-dir', dir, '--tenant', 't1', '--username', 'Asha', '--role', 'manager'))
      .toMatchObject({ code: 0, stdout: 'asha is now manager; their sessions have ended\n' });
    expect(await cli('user', 'reset-password', '--data-dir', dir, '--tenant', 't1', '--username', 'asha', '--password', 'short'))
      .toMatchObject({ code: 2, stderr: expect.stringContaining('password must be at least 8 characters') });
    expect(await cli('user', 'reset-password', '--data-dir', dir, '--tenant', 't1', '--username', 'asha', '--password', 'new-field-pass-2')).toMatchObject({ code: 0 });
    expect(await cli('user', 'deactivate', '--data-dir', dir, '--tenant', 't1', '--username', 'asha')).toMatchObject({ code: 0, stdout: 'asha is deactivated; their sessions have ended\n' });
    expect(await cli('user', 'deactivate', '--data-dir', dir, '--tenant', 't1', '--username', 'admin'))
      .toMatchObject({ code: 1, stderr: expect.stringContaining('admin is the only active admin') });
    expect(await cli('user', 'deactivate', '--data-dir', dir, '--tenant', 't1', '--username', 'nobody')).toMatchObject({ code: 1, stderr: expect.stringContaining("no user 'nobody'") });
    expect((await cli('user', 'list', '--data-dir', dir, '--tenant', 't1')).stdout).toBe('admin\tadmin\tactive\tadmin\n');
    expect((await cli('user', 'list', '--data-dir', dir, '--tenant', 't1', '--all')).stdout).toBe('admin\tadmin\tactive\tadmin\nasha\tmanager\tinactive\tasha\n');
    expect(await cli('user', 'activate', '--data-dir', dir, '--tenant', 't1', '--username', 'ASHA')).toMatchObject({ code: 0, stdout: 'asha is active again\n' });
    expect((await cli('user', 'list', '--data-dir', dir, '--tenant', 't1')).stdout).toBe('admin\tadmin\tactive\tadmin\nasha\tmanager\tactive\tasha\n');
    // Tenant settings, partially, naming the option that is wrong.
    expect(await cli('tenant', 'set', '--data-dir', dir, '--tenant', 't1', '--demand-notice-days', '10', '--currency', 'USD'))
      .toMatchObject({ code: 0, stdout: expect.stringContaining('currency\tUSD\nlocale\ten-IN\nhold_hours\t48\ndemand_notice_days\t10') });
    expect(await cli('tenant', 'set', '--data-dir', dir, '--tenant', 't1', '--hold-hours', '0'))
      .toMatchObject({ code: 2, stderr: expect.stringContaining('hold-hours must be at least 1') });
    expect(await cli('tenant', 'set', '--data-dir', dir, '--tenant', 't1', '--rep-scope', 'own')).toMatchObject({ code: 0, stdout: expect.stringContaining('rep_scope\town') });
    expect(await cli('tenant', 'set', '--data-dir', dir, '--tenant', 't1', '--rep-scope', 'mine'))
      .toMatchObject({ code: 2, stderr: expect.stringContaining("rep-scope must be 'own' (reps see only their leads) or 'all'") });
  });
});

describe('milepost check phones (issue 18)', () => {
  it('lists the numbers kept as typed because they cannot be read, and says when all are readable', async () => {
    const dir = tempDir();
    await cli('tenant', 'create', '--data-dir', dir, '--tenant', 't1', '--name', 'T', '--admin', 'admin', '--password', 'S3cret-pass');
    expect(await cli('check', 'phones', '--data-dir', dir, '--tenant', 't1')).toMatchObject({ code: 0, stdout: 'every phone number is readable\n' });
    const db = new Database(path.join(dir, 'tenants', 't1.sqlite'));
    const at = '2025-11-01T00:00:00.000Z';
    db.prepare("INSERT INTO sales_leads (id, created_at, updated_at, lead_code, name, phone, status, reached_rank, lead_date) VALUES ('L1', ?, ?, 'LD-9', 'Meera', 'ask at reception', 'new', 0, '2025-11-01')").run(at, at);
    db.close();
    expect(await cli('check', 'phones', '--data-dir', dir, '--tenant', 't1')).toMatchObject({
      code: 0,
      stdout: '1 phone number(s) cannot be read as a number of any country:\nkind\tcode\tname\tphone as typed\tid\nlead\tLD-9\tMeera\task at reception\tL1\n',
    });
  });
});

describe('milepost export to .xlsx (issue 18)', () => {
  it('writes an Excel workbook when the file is named .xlsx: typed cells and the details on "About"', async () => {
    const dir = tempDir();
    await cli('tenant', 'create', '--data-dir', dir, '--tenant', 't1', '--name', 'T', '--admin', 'admin', '--password', 'S3cret-pass');
    const db = new Database(path.join(dir, 'tenants', 't1.sqlite'));
    const at = '2025-11-01T04:30:00.000Z';
    db.prepare("INSERT INTO sales_leads (id, created_at, updated_at, lead_code, name, phone, status, reached_rank, lead_date) VALUES ('L1', ?, ?, 'LD-1', 'Meera', '+919845012345', 'new', 0, '2025-11-01')").run(at, at);
    db.close();
    const out = path.join(dir, 'leads.xlsx');
    expect(await cli('export', 'leads', '--data-dir', dir, '--tenant', 't1', '--out', out)).toMatchObject({ code: 0, stdout: `wrote 1 rows to ${out}\n` });
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    expect(book.worksheets.map((w) => w.name)).toEqual(['leads', 'About']);
    const sheet = book.getWorksheet('leads')!;
    const header = (sheet.getRow(1).values as string[]).slice(1);
    const cell = (c: string) => sheet.getRow(2).getCell(header.indexOf(c) + 1);
    expect(cell('name').value).toBe('Meera');
    expect(cell('phone').value).toBe('98450 12345');
    expect((cell('lead_date').value as Date).toISOString()).toBe('2025-11-01T00:00:00.000Z');
  });
});


describe('milepost import leads', () => {
  it('prints the preview and writes nothing without --yes; imports with it, with the duplicate decision given', async () => {
    const dir = tempDir();
    await cli('tenant', 'create', '--data-dir', dir, '--tenant', 't1', '--name', 'T', '--admin', 'admin', '--password', 'S3cret-pass');
    const file = path.join(dir, 'expo.csv');
    fs.writeFileSync(file, 'Name;Mobile;Email\r\nAsha Rao;98450 11111;asha@example.com\r\nAsha R.;+91 98450 11111;\r\nNo Phone;12;\r\n');
    const tenantFile = path.join(dir, 'tenants', 't1.sqlite');
    const count = () => {
      const db = new Database(tenantFile, { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM sales_leads').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const preview = await cli('import', 'leads', '--data-dir', dir, '--tenant', 't1', '--file', file);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('expo.csv: 3 rows (csv, phones without a country code read as IN)');
    expect(preview.stdout).toContain('columns: Name → name, Mobile → phone, Email → email');
    expect(preview.stdout).toContain('would create 1, merge 0, skip 1 duplicate(s); 1 row(s) with errors');
    expect(preview.stdout).toContain('row 3 "Asha R.": same phone as row 2 → skip');
    expect(preview.stdout).toContain('row 4: phone “12” is not a possible phone number for India (IN) (2 digits)');
    expect(preview.stdout).toContain('nothing written: run again with --yes to import');
    expect(count()).toBe(0);

    const done = await cli('import', 'leads', '--data-dir', dir, '--tenant', 't1', '--file', file, '--on-duplicate', 'keep', '--yes');
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('imported: created 2, merged 0, skipped 0; 1 row(s) not imported for errors');
    expect(count()).toBe(2);

    const bad = await cli('import', 'leads', '--data-dir', dir, '--tenant', 't1', '--file', file, '--on-duplicate', 'maybe');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('on_duplicate must be skip, merge or keep');
  });
});
