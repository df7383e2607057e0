import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadService } from '../main/services/leads.js';
import { browserUnavailable, startApp } from './harness.js';

const skip = browserUnavailable();

// Issue 8: a lead import in the browser — preview, duplicate decisions, confirmation, progress.
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
    await expect.poll(() => summary.innerText()).toMatch(/expo\.csv: 6 rows · will create 3, merge 0, skip 2 · 1 row\(s\) with errors/);
    expect(await page.getByRole('table', { name: 'Column mapping' }).getByLabel('Field for Mobile').inputValue()).toBe('phone');
    expect(await page.getByRole('list', { name: 'Row errors' }).innerText()).toBe('Row 7: name is required');
    const duplicates = page.getByRole('table', { name: 'Duplicates' });
    expect(await duplicates.getByRole('row', { name: /Meera I\./ }).innerText()).toMatch(/lead “Meera Iyer”\s+same phone/);
    expect(await duplicates.getByRole('row', { name: /Asha \(office\)/ }).innerText()).toMatch(/row 2 of this file\s+same email/);

    await duplicates.getByLabel('Action for row 4').selectOption('merge');
    await duplicates.getByLabel('Action for row 5').selectOption('keep');
    await expect.poll(() => summary.innerText()).toMatch(/will create 4, merge 1, skip 0/);
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
});
