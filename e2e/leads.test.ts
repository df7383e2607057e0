import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerService } from '../main/services/customers.js';
import { leadService } from '../main/services/leads.js';
import { browserUnavailable, startApp, goTo, submitIn } from './harness.js';

// The app a field team lives in: a caller found by the number on the line, a
// lead edited and reassigned, a status changed by a dialog that asks what it needs and
// refuses a stale copy, a lead with its own address, a half-typed edit kept over a reload.

const skip = browserUnavailable();

describe.skipIf(skip)('working a lead in the browser (issue 18)', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  const read = (id: string) => app.manager.context('acme', null).db.prepare('SELECT phone, email, assigned_to, status, lost_reason, notes, deleted_at FROM sales_leads WHERE id = ?').get(id) as Record<string, string | null>;
  beforeAll(async () => {
    app = await startApp({ demoLeads: 40 });
    leadService.create(app.manager.context('acme', null), { id: 'kavya', lead_code: 'LD-000777', name: 'Kavya Rao', phone: '98450 12345', company: 'Rao Textiles', lead_date: '2026-11-02' });
    await app.signIn();
  }, 120_000);
  afterAll(() => app?.close());

  it('finds the caller by the digits on the line, and opens the lead at its own address', async () => {
    const { page } = app;
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Leads' }).click();
    await page.getByLabel('Search leads').fill('9845012345');
    const row = page.getByRole('table', { name: 'Leads' }).getByRole('row', { name: /Kavya Rao/ });
    await row.waitFor();
    expect(await row.getByRole('cell').nth(2).textContent()).toBe('98450 12345');
    await row.getByRole('button', { name: 'Kavya Rao' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/leads\/LD-000777$/);
    const lead = page.getByRole('region', { name: 'Kavya Rao' });
    await lead.getByRole('definition').filter({ hasText: 'Rao Textiles' }).waitFor();
    // A reload and a pasted link come back to it.
    await page.reload();
    await page.getByRole('region', { name: 'Kavya Rao' }).waitFor();
    await page.goto(`${app.url}/#/leads`);
    await page.goto(`${app.url}/#/leads/LD-000777`);
    await page.getByRole('region', { name: 'Kavya Rao' }).waitFor();
    // Back goes to the list it came from.
    await page.goBack();
    await expect.poll(() => page.url()).toMatch(/#\/leads$/);
    await page.getByRole('region', { name: 'Kavya Rao' }).waitFor({ state: 'detached' });
  });

  it('edits the phone and email and reassigns the lead with the user picker', async () => {
    const { page } = app;
    await page.goto(`${app.url}/#/leads/LD-000777`);
    const lead = page.getByRole('region', { name: 'Kavya Rao' });
    await lead.getByRole('button', { name: 'Edit' }).click();
    const form = lead.getByRole('form', { name: 'Edit lead' });
    expect(await form.getByLabel('Phone').inputValue()).toBe('98450 12345');
    await submitIn(form, { Phone: '12345' }, 'Save lead');
    await form.locator('.field.invalid', { hasText: 'Phone' }).getByText(/“12345” is not a possible phone number for India/).waitFor();
    expect(read('kavya').phone).toBe('+919845012345');
    await submitIn(form, { Phone: '+91 99000 11111', Email: 'kavya@raotextiles.in', 'Assigned to': 'asha.k' }, 'Save lead');
    await page.getByText('Lead “Kavya Rao” saved.').waitFor();
    await lead.getByRole('definition').filter({ hasText: '99000 11111' }).waitFor();
    expect(read('kavya')).toMatchObject({ phone: '+919900011111', email: 'kavya@raotextiles.in', assigned_to: 'asha.k' });
  });

  it('keeps a half-typed edit over a reload, and warns before it is left', async () => {
    const { page } = app;
    const lead = page.getByRole('region', { name: 'Kavya Rao' });
    await lead.getByRole('button', { name: 'Edit' }).click();
    await lead.getByRole('form', { name: 'Edit lead' }).getByLabel('Notes').fill('Wants a corner unit, east facing');
    page.once('dialog', (d) => void d.accept()); // the browser's "leave site?" on reload
    await page.reload();
    const form = page.getByRole('region', { name: 'Kavya Rao' }).getByRole('form', { name: 'Edit lead' });
    await expect.poll(() => form.getByLabel('Notes').inputValue()).toBe('Wants a corner unit, east facing');
    let asked = '';
    page.once('dialog', (d) => void ((asked = d.message()), d.dismiss()));
    await goTo(page, 'Bookings');
    await expect.poll(() => asked).toBe('You have changes that are not saved. Leave and lose them?');
    expect(page.url()).toMatch(/#\/leads\/LD-000777$/);
    await form.getByRole('button', { name: 'Save lead' }).click();
    await page.getByText('Lead “Kavya Rao” saved.').waitFor();
    expect(read('kavya').notes).toBe('Wants a corner unit, east facing');
  });

  it('refuses a status change made on a stale copy and shows the newer status', async () => {
    const { page } = app;
    await page.goto(`${app.url}/#/leads`);
    await page.getByLabel('Search leads').fill('Kavya');
    const row = page.getByRole('table', { name: 'Leads' }).getByRole('row', { name: /Kavya Rao/ });
    await expect.poll(() => row.getByLabel('Status of Kavya Rao').inputValue()).toBe('new');
    // Meanwhile, on another device, the lead moved on.
    const elsewhere = app.manager.context('acme', 'user-asha.k');
    leadService.update(elsewhere, 'kavya', { status: 'qualified' });
    await row.getByLabel('Status of Kavya Rao').selectOption('contacted');
    const dialog = page.getByRole('dialog', { name: 'Change status of Kavya Rao' });
    await dialog.getByRole('button', { name: 'Move to Contacted' }).click();
    await dialog.getByText('Someone changed this lead while you had it open.').waitFor();
    await dialog.getByText('Qualified', { exact: true }).waitFor();
    expect(read('kavya').status).toBe('qualified');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => row.getByLabel('Status of Kavya Rao').inputValue()).toBe('qualified');
  });

  it('refuses "Converted" by hand without a booking, in words, and asks why a lead was lost', async () => {
    const { page } = app;
    const row = page.getByRole('table', { name: 'Leads' }).getByRole('row', { name: /Kavya Rao/ });
    await row.getByLabel('Status of Kavya Rao').selectOption('converted');
    const dialog = page.getByRole('dialog', { name: 'Change status of Kavya Rao' });
    await dialog.getByText(/converted by booking a unit/).waitFor();
    await dialog.getByRole('button', { name: 'Mark converted' }).click();
    await dialog.getByRole('alert').getByText(/this lead has no live booking: book a unit instead/).waitFor();
    expect(read('kavya').status).toBe('qualified');
    // "Book a unit instead" opens the booking form with the lead picked.
    await dialog.getByRole('button', { name: 'Book a unit instead →' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/bookings\/LD-000777$/);
    const book = page.getByRole('form', { name: 'Book a unit' });
    await expect.poll(() => book.getByLabel('Lead', { exact: true }).inputValue()).toBe('Kavya Rao');
    await page.goBack();
    await expect.poll(() => page.url()).toMatch(/#\/leads$/);

    await row.getByLabel('Status of Kavya Rao').selectOption('lost');
    const lost = page.getByRole('dialog', { name: 'Change status of Kavya Rao' });
    expect(await lost.getByRole('button', { name: 'Mark lost' }).isDisabled()).toBe(true);
    await submitIn(lost, { 'Why was it lost?': 'Bought in another project' }, 'Mark lost');
    await page.getByText('Kavya Rao is now Lost (lost: Bought in another project).').waitFor();
    expect(read('kavya')).toMatchObject({ status: 'lost', lost_reason: 'Bought in another project' });
  });

  it('a status changed in the open lead shows at once, and the next edit saves (a new-user pass found it refused)', async () => {
    const { page } = app;
    await page.goto(`${app.url}/#/leads/LD-000777`);
    const lead = page.getByRole('region', { name: 'Kavya Rao' });
    await lead.getByLabel('Change status of Kavya Rao').selectOption('contacted');
    await page.getByRole('dialog', { name: 'Change status of Kavya Rao' }).getByRole('button', { name: 'Move to Contacted' }).click();
    await page.getByText('Kavya Rao is now Contacted.').waitFor();
    await expect.poll(() => lead.getByLabel('Change status of Kavya Rao').inputValue()).toBe('contacted');
    expect(read('kavya')).toMatchObject({ status: 'contacted', lost_reason: null });
    await lead.getByRole('button', { name: 'Edit' }).click();
    await lead.getByRole('form', { name: 'Edit lead' }).getByLabel('Company').fill('Rao Textiles & Sons');
    await lead.getByRole('button', { name: 'Save lead' }).click();
    await page.getByText('Lead “Kavya Rao” saved.').waitFor();
    expect(read('kavya')).toMatchObject({ status: 'contacted' });
  });

  it("logs a call's length as people say it and shows it back (issue 18)", async () => {
    const { page } = app;
    await page.goto(`${app.url}/#/milestones/LD-000777`);
    await page.getByRole('tab', { name: 'Engagement' }).click();
    const form = page.getByRole('form', { name: 'Log an engagement' });
    await submitIn(form, { Duration: 'five' }, 'Log engagement');
    await form.getByText('must be minutes (5), minutes and seconds (5:30), or with units (2m 30s)').waitFor();
    await submitIn(form, { Duration: '5:30' }, 'Log engagement');
    await page.getByRole('list', { name: 'Engagement history' }).getByText(/Phone · .* · 5 min 30 s/).waitFor();
    expect(app.manager.context('acme', null).db.prepare("SELECT duration_seconds FROM sales_lead_engagement WHERE lead_id = 'kavya'").pluck().get()).toBe(330);
  });

  it("edits a customer's details; an edit made meanwhile elsewhere is refused and the newer details shown to redo it", async () => {
    const { page } = app;
    const ctx = app.manager.context('acme', null);
    const { id, customer_code: code } = customerService.create(ctx, { name: 'Meera Iyer', phone: '98450 77777', address: 'Indiranagar' });
    await page.goto(`${app.url}/#/ledger/${code}`);
    const details = page.getByRole('region', { name: 'Customer details' });
    await details.getByRole('button', { name: 'Edit' }).click();
    const form = details.getByRole('form', { name: 'Edit customer' });
    expect(await form.getByLabel('Phone').inputValue()).toBe('98450 77777');
    // Another user corrects the address first.
    customerService.update(app.manager.context('acme', 'user-asha.k'), id, { address: '12 CMH Road, Indiranagar' });
    await submitIn(form, { Phone: '98450 88888' }, 'Save details');
    await details.getByText('Someone changed these details while you were editing them.').waitFor();
    await expect.poll(() => form.getByLabel('Address').inputValue()).toBe('12 CMH Road, Indiranagar');
    expect(await form.getByLabel('Phone').inputValue()).toBe('98450 77777');
    expect(customerService.get(ctx, id).phone).toBe('+919845077777');
    await submitIn(form, { Phone: '98450 88888' }, 'Save details');
    await page.getByText("Meera Iyer's details saved.").waitFor();
    expect(customerService.get(ctx, id)).toMatchObject({ phone: '+919845088888', address: '12 CMH Road, Indiranagar' });
  });

  it('deletes a lead after asking, as a manager', async () => {
    const { page } = app;
    await page.goto(`${app.url}/#/leads/LD-000777`);
    const lead = page.getByRole('region', { name: 'Kavya Rao' });
    let asked = '';
    page.once('dialog', (d) => void ((asked = d.message()), d.accept()));
    await lead.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Lead “Kavya Rao” deleted.').waitFor();
    expect(asked).toMatch(/^Delete lead “Kavya Rao” \(LD-000777\)\?/);
    await expect.poll(() => page.url()).toMatch(/#\/leads$/);
    expect(read('kavya').deleted_at).not.toBeNull();
    expect(app.consoleErrors.filter((e) => !/409|422|Conflict|Unprocessable/.test(e))).toEqual([]);
  });
});
