import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadService } from '../main/services/leads.js';
import { browserUnavailable, startApp, goTo } from './harness.js';

const skip = browserUnavailable();

// A lead import in the browser — preview, duplicate decisions, confirmation, progress.
describe.skipIf(skip)('importing leads, in Chromium', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    app = await startApp();
    leadService.create(app.manager.context('acme', null), { id: 'E1', name: 'Meera Iyer', phone: '+919845011111', lead_date: '2026-10-01' });
  }, 60_000);
  afterAll(() => app?.close());

  it('previews a file, takes a decision per duplicate, writes nothing until confirmed, then imports with progress', async () => {
    const { page } = app;
    const ctx = app.manager.context('acme', null);
    const count = () => (ctx.db.prepare('SELECT count(*) AS n FROM sales_leads').get() as { n: number }).n;
    const csv = [
      'Name,Mobile,Email,Company,Remarks',
      'Asha Rao,98450 22222,asha@example.com,,',
      'Dev Kapoor,98450 33333,dev@example.com,Wipro,',
      'Meera I.,098450 11111,,Tata Steel,Met at the expo', // row 4: phone of Meera Iyer
      'Asha (office),,ASHA@example.com,,', // row 5: email of row 2
      'Tara Joshi,98450 44444,,,',
      ',98450 55555,,,', // row 7: no name
    ].join('\r\n');

    await app.signIn();
    await page.getByRole('button', { name: 'Import leads' }).click();
    await page.getByLabel('CSV or Excel (.xlsx) file').setInputFiles({ name: 'expo.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const summary = page.getByRole('status', { name: 'Import preview' });
    await expect.poll(() => summary.innerText(), { timeout: 15_000 }).toMatch(/expo\.csv: 6 rows · will create 3, merge 0, skip 2 · 1 row\(s\) with errors/);
    expect(await page.getByRole('table', { name: 'Column mapping' }).getByLabel('Field for Mobile').inputValue()).toBe('phone');
    expect(await page.getByRole('list', { name: 'Row errors' }).innerText()).toBe('Row 7: name is required');
    const duplicates = page.getByRole('table', { name: 'Duplicates' });
    expect(await duplicates.getByRole('row', { name: /Meera I\./ }).innerText()).toMatch(/lead “Meera Iyer”\s+same phone/);
    expect(await duplicates.getByRole('row', { name: /Asha \(office\)/ }).innerText()).toMatch(/row 2 of this file\s+same email/);

    await duplicates.getByLabel('Action for row 4').selectOption('merge');
    await duplicates.getByLabel('Action for row 5').selectOption('keep');
    await expect.poll(() => summary.innerText(), { timeout: 15_000 }).toMatch(/will create 4, merge 1, skip 0/);
    await app.screenshot('18-import-preview');
    expect(count()).toBe(1);

    await page.getByRole('button', { name: 'Import 4 new leads and merge 1' }).click();
    await page.getByText('Imported 4 new lead(s); 1 merged, 0 skipped, 1 row(s) with errors left out.').waitFor();
    expect(count()).toBe(5);
    expect(leadService.get(ctx, 'E1')).toMatchObject({ name: 'Meera Iyer', company: 'Tata Steel', notes: 'Met at the expo' });
    const asha = ctx.db.prepare("SELECT name, phone, email FROM sales_leads WHERE name LIKE 'Asha%' ORDER BY name").all();
    expect(asha).toEqual([{ name: 'Asha (office)', phone: null, email: 'ASHA@example.com' }, { name: 'Asha Rao', phone: '+919845022222', email: 'asha@example.com' }]);
    await page.getByRole('table', { name: 'Leads' }).getByText('Tara Joshi').waitFor();
    expect(app.consoleErrors, app.consoleErrors.join('\n')).toEqual([]);
  }, 60_000);

  it("imports another branch's leads export: its sources and campaigns listed, created when ticked, its reps' leads unassigned (issue 18)", async () => {
    const { page } = app;
    const ctx = app.manager.context('acme', null);
    // The other branch: a demo tenant of its own, exported as its manager would.
    const { createTenant } = await import('../main/services/tenantSetup.js');
    const { runDemo } = await import('../main/demo/demoData.js');
    const { exportCsv } = await import('../main/services/exports.js');
    createTenant(app.manager, { tenant_id: 'pune', name: 'Pune branch', admin_username: 'admin', admin_password: 'S3cret-pass', timezone: 'Asia/Kolkata' });
    const pune = app.manager.context('pune', null);
    runDemo(pune, { leads: 60, seed: 3 });
    const { csv } = exportCsv(pune, { name: 'leads', details: 'comment' });
    const before = (ctx.db.prepare('SELECT count(*) FROM sales_leads').pluck().get() as number);

    await goTo(page, 'Leads');
    await page.getByRole('button', { name: 'Import leads' }).click();
    await page.getByLabel('CSV or Excel (.xlsx) file').setInputFiles({ name: 'pune-leads.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const missing = page.getByRole('region', { name: 'Sources and campaigns not in this tenant' });
    await missing.getByText(/^Source Walk-in/).waitFor();
    const summary = page.getByRole('status', { name: 'Import preview' });
    await missing.getByLabel(/^Create \d+ source\(s\) and \d+ campaign\(s\) with the import/).check();
    await page.getByRole('region', { name: 'Assigned to people who are not users here' }).getByLabel(/Import their leads unassigned/).check();
    await expect.poll(() => summary.innerText(), { timeout: 15_000 }).toMatch(/pune-leads\.csv: 60 rows · will create 60, merge 0, skip 0 · 0 row\(s\) with errors/);
    await app.screenshot('18-import-other-branch');
    await page.getByRole('button', { name: 'Import 60 new leads' }).click();
    await page.getByText('Imported 60 new lead(s); 0 merged, 0 skipped.').waitFor();
    expect(ctx.db.prepare('SELECT count(*) FROM sales_leads').pluck().get()).toBe(before + 60);
    const ids = pune.db.prepare('SELECT id FROM sales_leads').pluck().all() as string[];
    // The same leads, named the same, with the same sources and campaigns — by name and code.
    expect(ctx.db.prepare(`SELECT l.name, l.phone, s.source_name, cp.campaign_code FROM sales_leads l LEFT JOIN sales_lead_sources s ON s.id = l.source_id
      LEFT JOIN sales_campaigns cp ON cp.id = l.campaign_id WHERE l.id IN (SELECT value FROM json_each(?)) ORDER BY l.id`).all(JSON.stringify(ids)))
      .toEqual(pune.db.prepare(`SELECT l.name, l.phone, s.source_name, cp.campaign_code FROM sales_leads l LEFT JOIN sales_lead_sources s ON s.id = l.source_id
      LEFT JOIN sales_campaigns cp ON cp.id = l.campaign_id ORDER BY l.id`).all());
    expect(app.consoleErrors, app.consoleErrors.join('\n')).toEqual([]);
  }, 120_000);
});
