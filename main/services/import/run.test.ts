import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildAggregates } from '../../../db/aggregates.js';
import { toCsv } from '../../csv/csvWriter.js';
import { campaignService, leadSourceService } from '../catalog.js';
import { exportCsv, exportTable } from '../exports.js';
import { previewImport, runImport } from './run.js';
import { leadService } from '../leads.js';
import type { AppError } from '../../domain/errors.js';
import { holdImport } from './reader.js';
import { updateUser, userIdOf } from '../users.js';
import { addReps, makeTenant, snapshot } from '../../../test/tenantFixture.js';
import { runDemo } from '../../demo/demoData.js';

// Lead import. A 50-row file: 40 new leads, 7 duplicates of three kinds (phone,
// email, name and company; of the tenant's leads and of earlier rows) and 3 bad rows.

let t: ReturnType<typeof makeTenant>;
beforeAll(() => {
  t = makeTenant();
  leadSourceService.create(t.ctx, { id: 'src-web', source_name: 'Website', source_type: 'website' });
  campaignService.create(t.ctx, { id: 'cmp-1', campaign_code: 'DIWALI-25', campaign_name: 'Diwali', campaign_type: 'digital', budget: 1000 });
  leadService.create(t.ctx, { id: 'E1', name: 'Meera Iyer', phone: '+91 98450 11111', lead_date: '2025-09-01' });
  leadService.create(t.ctx, { id: 'E2', name: 'Rohan Das', email: 'rohan@example.com', company: 'Wipro', lead_date: '2025-09-02' });
  leadService.create(t.ctx, { id: 'E3', name: 'Kavya Nair', company: 'HDFC Bank', lead_date: '2025-09-03' });
});
afterAll(() => t.close());

const HEADER = ['Full Name', 'Mobile', 'E-mail', 'Company', 'Lead Source', 'Campaign', 'Date', 'Remarks'];
const good = Array.from({ length: 40 }, (_, i) => [
  `Buyer ${i + 1}`, `98450 2${String(i).padStart(4, '0')}`, `buyer${i + 1}@example.com`, i % 3 === 0 ? 'Infosys' : '',
  i % 2 === 0 ? 'Website' : '', i % 4 === 0 ? 'diwali-25' : '', `${(i % 28) + 1}/10/2025`, i === 5 ? '=HYPERLINK("x")' : '',
]);
const dupes = [
  ['Meera I.', '098450 11111', '', 'Tata Steel', '', '', '02/11/2025', 'Met at the expo'], // line 42: phone of E1
  ['R. Das', '', 'ROHAN@example.com', '', '', '', '03/11/2025', ''], // line 43: email of E2
  ['kavya nair', '', '', 'HDFC BANK', '', '', '04/11/2025', ''], // line 44: name and company of E3
  ['Buyer one again', '+91 98450 20000', '', '', '', '', '05/11/2025', ''], // line 45: phone of line 2
  ['Buyer 2 (work)', '', 'buyer2@example.com', '', '', '', '06/11/2025', ''], // line 46: email of line 3
  ['Buyer 1', '', 'other1@example.com', 'INFOSYS', '', '', '07/11/2025', ''], // line 47: name and company of line 2
  ['Buyer 5 spouse', '9845020004', '', '', '', '', '08/11/2025', ''], // line 48: phone of line 6
];
const bad = [
  ['', '98450 30001', '', '', '', '', '01/11/2025', ''], // line 49: no name
  ['Bad Phone', '12345', '', '', '', '', '01/11/2025', ''], // line 50: not a phone number
  ['Bad Date', '98450 30003', '', '', '', '', '31/02/2025', ''], // line 51: no such day
];
const rows = [HEADER, ...good, ...dupes, ...bad];
const csvFile = { file_name: 'expo-leads.csv', data_base64: Buffer.from(stringify(rows)).toString('base64') };

describe('lead import (issue 8)', () => {
  it('previews a 50-row file: mapping, E.164 phones, 7 duplicates of three kinds, 3 bad rows — writing nothing', async () => {
    const before = snapshot(t.ctx);
    const p = await previewImport(t.ctx, csvFile);
    expect(snapshot(t.ctx)).toEqual(before);
    expect(p.mapping).toEqual({ 'Full Name': 'name', Mobile: 'phone', 'E-mail': 'email', Company: 'company', 'Lead Source': 'source', Campaign: 'campaign', Date: 'lead_date', Remarks: 'notes' });
    expect(p.default_country).toBe('IN');
    expect([p.total_rows, p.valid_rows, p.error_count, p.duplicate_count]).toEqual([50, 47, 3, 7]);
    expect(p.errors).toEqual([
      { row: 49, field: 'name', message: 'is required' },
      { row: 50, field: 'phone', message: '“12345” is not a possible phone number for India (IN) (5 digits): type it as it is dialled there, or with its country code (+91 …)' },
      { row: 51, field: 'lead_date', message: '"31/02/2025" is not a date (YYYY-MM-DD or D/M/YYYY)' },
    ]);
    expect(p.duplicates.map((d) => [d.row, d.kind, d.lead_id ?? d.file_row])).toEqual([
      [42, 'phone', 'E1'], [43, 'email', 'E2'], [44, 'name_company', 'E3'], [45, 'phone', 2], [46, 'email', 3], [47, 'name_company', 2], [48, 'phone', 6],
    ]);
    expect(p.duplicates[0]).toMatchObject({ name: 'Meera I.', lead_name: 'Meera Iyer', action: 'skip' });
    expect(p.plan).toEqual({ create: 40, merge: 0, skip: 7, keep: 0, errors: 3 });
    expect(p.sample[0]).toEqual({
      row: 2,
      lead: { name: 'Buyer 1', phone: '+919845020000', email: 'buyer1@example.com', company: 'Infosys', source_id: 'src-web', campaign_id: 'cmp-1', lead_date: '2025-10-01' },
    });
    // The formula guard of an export is undone; a formula typed in a spreadsheet stays text.
    expect(p.sample[5]!.lead.notes).toBe('=HYPERLINK("x")');
  });

  it('assigns a row to the user its Assigned to names, in any case; a name that is no user is the row\'s error (SPEC §11)', async () => {
    addReps(t.ctx, 'Kiran.S', 'sunil.d');
    updateUser(t.ctx, userIdOf(t.ctx, 'sunil.d'), { active: false });
    const file = { file_name: 'reps.csv', data_base64: Buffer.from(stringify([['Name', 'Sales rep'], ['One', 'kiran.s'], ['Two', 'Ravi K'], ['Three', 'SUNIL.D']])).toString('base64') };
    const p = await previewImport(t.ctx, file);
    expect(p.sample[0]!.lead).toMatchObject({ name: 'One', assigned_to: 'Kiran.S' });
    expect(p.errors).toEqual([
      { row: 3, field: 'assigned_to', message: 'no user "Ravi K": add them as a user, leave the column empty, or import such rows unassigned' },
      { row: 4, field: 'assigned_to', message: 'sunil.d is deactivated: reactivate them, assign the row to an active user, or import it unassigned' },
    ]);
    // Asked to, such rows come in unassigned, and the names are listed for the manager.
    const lenient = await previewImport(t.ctx, { ...file, unassign_unknown: true });
    expect(lenient.errors).toEqual([]);
    expect(lenient.missing.users).toEqual([{ username: 'Ravi K', rows: 1 }, { username: 'sunil.d', rows: 1 }]);
  });

  it('runs one import at a time in a tenant: previews take turns (one waiting), a third meanwhile is refused, as is a preview while an import runs (issue 17)', async () => {
    const first = previewImport(t.ctx, csvFile);
    const second = previewImport(t.ctx, { ...csvFile, file_name: 'second.csv' });
    const third = await previewImport(t.ctx, { ...csvFile, file_name: 'third.csv' }).catch((e: unknown) => e as AppError);
    expect(third).toMatchObject({ code: 'conflict', message: 'an import is already running in this tenant (a preview, with another waiting; this one was a preview of third.csv): try again when it finishes' });
    expect([(await first).total_rows, (await second).total_rows]).toEqual([50, 50]);
    const release = holdImport(t.ctx.settings.tenant_id, 'the import of expo-leads.csv');
    try {
      expect(await previewImport(t.ctx, csvFile).catch((e: unknown) => e as AppError)).toMatchObject({ code: 'conflict', message: 'an import is already running in this tenant (the import of expo-leads.csv): try again when it finishes' });
      expect(() => holdImport(t.ctx.settings.tenant_id, 'another')).toThrow('an import is already running in this tenant (the import of expo-leads.csv)');
    } finally {
      release();
    }
    expect((await previewImport(t.ctx, csvFile)).total_rows).toBe(50);
  });

  it('reads the same file saved as Excel (.xlsx) alike', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Leads');
    for (const r of rows) sheet.addRow(r);
    const xlsx = Buffer.from(await book.xlsx.writeBuffer());
    const p = await previewImport(t.ctx, { file_name: 'expo-leads.xlsx', data_base64: xlsx.toString('base64') });
    const c = await previewImport(t.ctx, csvFile);
    expect({ ...p, file_name: '', format: '' }).toEqual({ ...c, file_name: '', format: '' });
    expect(p.format).toBe('xlsx');
  });

  it('imports after confirmation with the decisions made: merge one, keep one, skip the rest', async () => {
    const result = await runImport(t.ctx, { ...csvFile, on_duplicate: 'skip', decisions: { 42: 'merge', 46: 'keep' } });
    expect(result).toMatchObject({ created: 41, merged: 1, skipped: 5, error_rows: 3 });
    const all = leadService.list(t.ctx, { limit: 500 }).items;
    expect(all).toHaveLength(3 + 41);
    // The merge filled what E1 lacked and kept what it had.
    expect(leadService.get(t.ctx, 'E1')).toMatchObject({ name: 'Meera Iyer', phone: '+919845011111', company: 'Tata Steel', notes: 'Met at the expo' });
    const byName = new Map(all.map((l) => [l.name, l]));
    expect(byName.get('Buyer 1')).toMatchObject({ phone: '+919845020000', source_id: 'src-web', campaign_id: 'cmp-1', lead_date: '2025-10-01', status: 'new' });
    expect(byName.get('Buyer 2 (work)')).toMatchObject({ email: 'buyer2@example.com' });
    for (const skipped of ['R. Das', 'kavya nair', 'Buyer one again', 'Buyer 5 spouse', '', 'Bad Phone', 'Bad Date']) expect(byName.has(skipped)).toBe(false);
    // The aggregates the reports read, counted for the imported set at once, equal a recount.
    const aggregates = () => Object.fromEntries((t.ctx.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'agg_%' ORDER BY name").all() as { name: string }[])
      .map(({ name }) => [name, t.ctx.db.prepare(`SELECT * FROM ${name}`).all().map((r) => JSON.stringify(r)).filter((r) => !/"n":0[,}]/.test(r)).sort()]));
    const kept = aggregates();
    rebuildAggregates(t.ctx.db);
    expect(aggregates()).toEqual(kept);
    expect(kept.agg_leads_daily!.length).toBeGreaterThan(10);
    // Imported again, every good row is now a duplicate: nothing new.
    const again = await previewImport(t.ctx, csvFile);
    expect(again.plan).toMatchObject({ create: 0, skip: 47 });
  });

  it('re-imports an exported leads CSV to identical leads, formula-looking text included', async () => {
    const a = makeTenant();
    const b = makeTenant();
    const c = makeTenant();
    try {
      for (const ctx of [a.ctx, b.ctx]) leadSourceService.create(ctx, { id: 'src-web', source_name: 'Website', source_type: 'website' });
      for (const ctx of [a.ctx, b.ctx, c.ctx]) addReps(ctx, 'asha');
      const tricky = ['=SUM(A1:A9)', '+44 trick', '-minus', '@mention', 'quote " and, comma', 'line\nbreak', 'नमस्ते 🙏'];
      tricky.forEach((notes, i) => leadService.create(a.ctx, {
        id: `lead-${i}`, lead_code: `LD-${i}`, name: `Lead ${i}`, email: `l${i}@example.com`, phone: `+9198450400${String(i).padStart(2, '0')}`,
        company: i % 2 ? 'Acme' : null, source_id: i % 2 ? 'src-web' : null, assigned_to: 'asha', status: (['new', 'contacted', 'qualified', 'lost'] as const)[i % 4],
        lead_date: `2025-10-0${i + 1}`, lost_reason: i % 4 === 3 ? 'Budget' : null, notes,
      }));
      leadService.update(a.ctx, 'lead-3', { status: 'qualified' });
      leadService.update(a.ctx, 'lead-3', { status: 'lost', lost_reason: 'Budget' });
      const { rows: exported, shape } = exportTable(a.ctx, { name: 'leads' });
      const csv = toCsv(exported, shape);
      expect(csv).toContain("'=SUM(A1:A9)");
      const result = await runImport(b.ctx, { file_name: 'leads.csv', data_base64: Buffer.from(csv).toString('base64') });
      expect(result).toMatchObject({ created: 7, merged: 0, skipped: 0, error_rows: 0 });
      const fields = 'id, lead_code, name, email, phone, company, source_id, campaign_id, assigned_to, status, reached_rank, lead_date, customer_id, lost_reason, notes';
      const read = (ctx: typeof a.ctx) => ctx.db.prepare(`SELECT ${fields} FROM sales_leads ORDER BY id`).all();
      expect(read(b.ctx)).toEqual(read(a.ctx));

      // The app's export with its details line and a ; delimiter imports back the same.
      const app = exportCsv(a.ctx, { name: 'leads', details: 'comment', delimiter: ';' });
      expect(app.csv).toMatch(/^\uFEFF# Milepost export: leads \|.*\r\nid;created_at;/);
      leadSourceService.create(c.ctx, { id: 'src-web', source_name: 'Website', source_type: 'website' });
      const preview = await previewImport(c.ctx, { file_name: 'leads.csv', data_base64: Buffer.from(app.csv).toString('base64') });
      expect([preview.total_rows, preview.error_count, preview.columns[0]]).toEqual([7, 0, 'id']);
      expect(await runImport(c.ctx, { file_name: 'leads.csv', data_base64: Buffer.from(app.csv).toString('base64') })).toMatchObject({ created: 7, error_rows: 0 });
      expect(read(c.ctx)).toEqual(read(a.ctx));
    } finally {
      a.close();
      b.close();
      c.close();
    }
  });

  it('imports a leads export of one branch (demo, 400 leads) into a fresh tenant: the same leads, its sources and campaigns created (issue 18)', async () => {
    const a = makeTenant({ now: '2026-11-27T10:00:00.000Z' });
    const b = makeTenant();
    try {
      runDemo(a.ctx, { leads: 400, seed: 7 });
      const { csv } = exportCsv(a.ctx, { name: 'leads', details: 'comment' });
      const file = { file_name: 'leads.csv', data_base64: Buffer.from(csv).toString('base64') };
      // As it arrived: every source and campaign missing, listed by the preview, and the rows naming them refused until asked.
      const refused = await previewImport(b.ctx, file);
      const sourcesUsed = a.ctx.db.prepare('SELECT DISTINCT s.source_name FROM sales_leads l JOIN sales_lead_sources s ON s.id = l.source_id ORDER BY 1').pluck().all();
      const campaignsUsed = a.ctx.db.prepare('SELECT DISTINCT c.campaign_code FROM sales_leads l JOIN sales_campaigns c ON c.id = l.campaign_id ORDER BY 1').pluck().all();
      expect(refused.missing.sources.map((m) => m.source_name).sort()).toEqual(sourcesUsed);
      expect(refused.missing.campaigns.map((m) => m.campaign_code).sort()).toEqual(campaignsUsed);
      expect(refused.missing.users.map((u) => u.username).sort()).toEqual(['asha.k', 'neha.j', 'priya.s', 'rahul.m', 'vikram.r']);
      expect(refused.plan.errors).toBeGreaterThan(300);
      expect(refused.errors[0]?.message).toMatch(/create it, or import with “create missing sources and campaigns”|import such rows unassigned/);
      expect(b.ctx.db.prepare('SELECT count(*) FROM sales_lead_sources').pluck().get()).toBe(0);

      // As a user would, with the duplicates left at "skip": two leads of one name and company but ids of their own are two leads.
      const asked = { ...file, create_missing: true, unassign_unknown: true };
      const preview = await previewImport(b.ctx, asked);
      expect([preview.error_count, preview.plan.create, preview.plan.skip]).toEqual([0, 400, 0]);
      const twins = a.ctx.db.prepare('SELECT count(*) FROM (SELECT 1 FROM sales_leads WHERE company IS NOT NULL GROUP BY lower(name), lower(company) HAVING count(*) > 1)').pluck().get() as number;
      expect(twins, 'the demo has leads sharing a name and company').toBeGreaterThan(0);
      expect(await runImport(b.ctx, asked)).toMatchObject({ created: 400, error_rows: 0 });
      const leadsOf = (ctx: typeof a.ctx) => ctx.db.prepare(`
        SELECT l.id, l.lead_code, l.name, l.email, l.phone, l.company, l.status, l.reached_rank, l.lead_date, l.lost_reason, l.notes,
               s.source_name, s.source_type, c.campaign_code, c.campaign_name, c.campaign_type
        FROM sales_leads l LEFT JOIN sales_lead_sources s ON s.id = l.source_id LEFT JOIN sales_campaigns c ON c.id = l.campaign_id
        WHERE l.deleted_at IS NULL ORDER BY l.id`).all();
      expect(leadsOf(b.ctx)).toEqual(leadsOf(a.ctx));
      // The sources and campaigns made keep their ids (free here), so the two branches agree on them.
      expect(b.ctx.db.prepare('SELECT id, source_name FROM sales_lead_sources ORDER BY id').all())
        .toEqual(a.ctx.db.prepare(`SELECT id, source_name FROM sales_lead_sources WHERE id IN (SELECT source_id FROM sales_leads) ORDER BY id`).all());
      expect(b.ctx.db.prepare('SELECT count(*) FROM sales_leads WHERE assigned_to IS NOT NULL').pluck().get()).toBe(0);
      // Imported again: every row is a duplicate of itself, nothing new made.
      const again = await previewImport(b.ctx, { ...file, create_missing: true, unassign_unknown: true });
      expect([again.missing.sources.length, again.missing.campaigns.length, again.plan.create, again.plan.skip]).toEqual([0, 0, 0, 400]);
    } finally {
      a.close();
      b.close();
    }
  }, 120_000);

  it('refuses a file it cannot read or a mapping without a name, naming the field', async () => {
    const refused = async (input: unknown) => {
      try {
        await previewImport(t.ctx, input);
      } catch (e) {
        return (e as { details: { field: string; message: string }[] }).details[0];
      }
      throw new Error('accepted');
    };
    expect(await refused({ file_name: 'x.csv', data_base64: '' })).toEqual({ field: 'data_base64', message: 'is an empty file' });
    expect(await refused({ ...csvFile, mapping: { 'Full Name': 'ignore' } })).toEqual({ field: 'mapping', message: 'must map a column to name' });
    expect(await refused({ ...csvFile, mapping: { Nope: 'name' } })).toEqual({ field: 'mapping.Nope', message: 'is not a column of the file' });
    expect(await refused({ ...csvFile, mapping: { Company: 'name' } })).toEqual({ field: 'mapping.Company', message: 'maps to name, as another column does' });
    expect(await refused({ file_name: 'old.xls', data_base64: Buffer.from('\xd0\xcf\x11\xe0 binary').toString('base64') })).toMatchObject({ field: 'file_name' });
  });
});
