import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTenant, refusal, snapshot } from '../../test/tenantFixture.js';
import { customerService } from './customers.js';
import { exportCsv } from './exports.js';
import { leadService } from './leads.js';
import { runImport } from './import/run.js';
import { normaliseStoredPhones, unreadablePhones } from './phones.js';

// One phone reading for every path; a caller found by any digits of their number.
let t: ReturnType<typeof makeTenant>;
let u: ReturnType<typeof makeTenant> | undefined;
afterEach(() => (t?.close(), u?.close(), (u = undefined)));

describe('phone numbers of leads and customers', () => {
  it('stores a number typed any way in E.164 by the tenant\'s country, and refuses an impossible one naming the field', () => {
    t = makeTenant();
    expect(leadService.create(t.ctx, { id: 'L1', name: 'Ravi', phone: '98450 12345' }).phone).toBe('+919845012345');
    expect(leadService.create(t.ctx, { id: 'L2', name: 'Mary', phone: '+44 20 7946 0958' }).phone).toBe('+442079460958');
    expect(customerService.create(t.ctx, { name: 'Ravi', phone: '098450-12345' }).phone).toBe('+919845012345');
    const before = snapshot(t.ctx);
    const bad = refusal(() => leadService.create(t.ctx, { name: 'Short', phone: '12345' }));
    expect(bad).toMatchObject({ code: 'validation_failed', details: [{ field: 'phone', message: expect.stringMatching(/^“12345” is not a possible phone number for India \(IN\)/) }] });
    expect(refusal(() => leadService.update(t.ctx, 'L1', { phone: '12' })).details[0]?.field).toBe('phone');
    expect(refusal(() => customerService.create(t.ctx, { name: 'X', phone: 'ask reception' })).details[0]?.field).toBe('phone');
    expect(snapshot(t.ctx)).toEqual(before);
    expect(leadService.update(t.ctx, 'L1', { phone: '+91 98450 54321' }).phone).toBe('+919845054321');
    expect(leadService.update(t.ctx, 'L1', { phone: '' }).phone).toBeNull();
  });

  it('finds a lead and a customer by any digits of the number, whatever format was typed', () => {
    t = makeTenant();
    leadService.create(t.ctx, { id: 'L1', name: 'Ravi', phone: '98450 12345' });
    leadService.create(t.ctx, { id: 'L2', name: 'Asha', phone: '+91 99000 11111' });
    customerService.create(t.ctx, { id: 'C1', name: 'Ravi', phone: '98450 12345' });
    for (const search of ['9845012345', '98450 12345', '+91 98450 12345', '098450-12345', '12345', '50 123']) {
      expect(leadService.list(t.ctx, { search }).items.map((l) => l.id), search).toEqual(['L1']);
      expect(customerService.list(t.ctx, { search }).items.map((c) => c.id), search).toEqual(['C1']);
    }
    expect(leadService.list(t.ctx, { search: 'Asha' }).items.map((l) => l.id)).toEqual(['L2']);
  });

  it('brings numbers stored before to E.164 as synced changes, keeps the unreadable as typed and lists them', () => {
    t = makeTenant();
    const at = '2025-11-01T00:00:00.000Z';
    const insert = t.ctx.db.prepare('INSERT INTO sales_leads (id, created_at, updated_at, lead_code, name, phone, status, reached_rank, lead_date) VALUES (?, ?, ?, ?, ?, ?, \'new\', 0, \'2025-11-01\')');
    insert.run('OLD1', at, at, 'LD-1', 'Typed with a space', '98450 12345');
    insert.run('OLD2', at, at, 'LD-2', 'From the demo', '+91 9893152208');
    insert.run('OLD3', at, at, 'LD-3', 'Not a number', 'ask reception');
    insert.run('OLD4', at, at, 'LD-4', 'Already right', '+919845022222');
    const queued = (t.ctx.db.prepare('SELECT max(mutation_id) AS n FROM sync_outbox').get() as { n: number | null }).n ?? 0;
    expect(normaliseStoredPhones(t.ctx)).toEqual({ changed: 2, unreadable: 1 });
    const phones = t.ctx.db.prepare('SELECT id, phone FROM sales_leads WHERE id LIKE \'OLD%\' ORDER BY id').all();
    expect(phones).toEqual([{ id: 'OLD1', phone: '+919845012345' }, { id: 'OLD2', phone: '+919893152208' }, { id: 'OLD3', phone: 'ask reception' }, { id: 'OLD4', phone: '+919845022222' }]);
    // Each rewrite is a change that syncs, like an edit in the app.
    const sent = (t.ctx.db.prepare('SELECT changes FROM sync_outbox WHERE mutation_id > ?').all(queued) as { changes: string }[]).map((r) => r.changes).join('\n');
    expect(sent).toContain('+919845012345');
    expect(sent).toContain('+919893152208');
    expect(sent).not.toContain('ask reception');
    expect(unreadablePhones(t.ctx)).toEqual([{ kind: 'lead', id: 'OLD3', code: 'LD-3', name: 'Not a number', phone: 'ask reception' }]);
    expect(normaliseStoredPhones(t.ctx)).toEqual({ changed: 0, unreadable: 1 });
    // The unreadable one stays editable: sent back unchanged it is kept, a real number replaces it.
    expect(leadService.update(t.ctx, 'OLD3', { phone: 'ask reception', notes: 'called' }).phone).toBe('ask reception');
    expect(leadService.update(t.ctx, 'OLD3', { phone: '99000 22222' }).phone).toBe('+919900022222');
  });

  it('exports the tenant\'s country\'s numbers as a spreadsheet reads them, and the import reads them back to the same number', async () => {
    t = makeTenant();
    leadService.create(t.ctx, { id: 'L1', name: 'Ravi', phone: '98450 12345' });
    leadService.create(t.ctx, { id: 'L2', name: 'Mary', phone: '+44 20 7946 0958' });
    const { csv } = exportCsv(t.ctx, { name: 'leads' });
    const rows = parse(csv.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.phone)).toEqual(['98450 12345', "'+44 20 7946 0958"]);
    u = makeTenant();
    const result = await runImport(u.ctx, { file_name: 'leads.csv', data_base64: Buffer.from(csv).toString('base64') });
    expect(result).toMatchObject({ created: 2, error_rows: 0 });
    expect(u.ctx.db.prepare('SELECT id, phone FROM sales_leads ORDER BY id').all()).toEqual([{ id: 'L1', phone: '+919845012345' }, { id: 'L2', phone: '+442079460958' }]);
  });
});
