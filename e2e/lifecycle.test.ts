import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Download } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { funnelReport } from '../db/reports/funnel.js';
import { today } from '../main/domain/context.js';
import { browserUnavailable, useApp, fillIn, submitIn } from './harness.js';

const skip = browserUnavailable();

// The seed's "Complete Lead Lifecycle", through the UI only.
describe.skipIf(skip)('a lead from first contact to payment, in the browser', () => {
  const app = useApp({}, 60_000);

  it('walks the lifecycle and the reports agree', async () => {
    const { page } = app;
    const ctx = app.manager.context('acme', null);
    const day = today(ctx);
    await app.signIn();

    // 1. A new lead.
    await page.getByRole('button', { name: 'New lead' }).click();
    const leadForm = page.getByRole('form', { name: 'New lead' });
    await submitIn(leadForm, { Name: 'Priya Shah', Phone: '+91 98450 12345', Email: 'priya@example.com' }, 'Create lead');
    await page.getByText('Lead “Priya Shah” created.').waitFor();
    await page.getByRole('row', { name: /Priya Shah/ }).getByRole('button', { name: 'Milestones →' }).click();
    await page.getByRole('heading', { level: 2, name: 'Priya Shah' }).waitFor();

    // 2. An introduction email, then its response.
    await page.getByRole('tab', { name: 'Engagement' }).click();
    const engagementForm = page.getByRole('form', { name: 'Log an engagement' });
    await submitIn(engagementForm, { 'Engagement type': 'email_sent', Channel: 'email', Subject: 'Introduction' }, 'Log engagement');
    await page.getByText('Email sent logged.').waitFor();
    await page.getByRole('button', { name: 'Record response' }).click();
    const response = page.getByRole('form', { name: 'Record response' });
    await submitIn(response, { 'Response notes': 'Wants to visit on Saturday' }, 'Save response');
    await page.getByText(/Response .*Wants to visit on Saturday/).waitFor();

    // 3. A site visit with location, visitor, duration, a positive outcome and a follow-up.
    await page.getByRole('tab', { name: 'Milestones' }).click();
    const milestoneForm = page.getByRole('form', { name: 'Record a milestone' });
    await fillIn(milestoneForm, { 'Milestone type': 'site_visit', 'Location name': 'Green Meadows site office', Latitude: '12.9716', Longitude: '77.5946', 'Visited by': 'asha.k', 'Duration (minutes)': '45', Outcome: 'positive' });
    const followUp = new Date(Date.parse(`${day}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
    await milestoneForm.getByLabel('Follow-up date').fill(followUp);
    await milestoneForm.getByRole('button', { name: 'Record milestone' }).click();
    await page.getByText('Site visit recorded.').waitFor();
    const timeline = page.getByRole('list', { name: 'Milestone timeline' });
    await timeline.getByText('Green Meadows site office · by asha.k · 45 min').waitFor();
    expect(await page.locator('.lead-summary .badge').textContent()).toBe('qualified');

    // 4. A demo meeting scheduled.
    await page.getByRole('tab', { name: 'Engagement' }).click();
    await submitIn(engagementForm, { 'Engagement type': 'meeting_scheduled', Channel: 'in_person', 'Engagement status': 'scheduled', Subject: 'Demo of the floor plans' }, 'Log engagement');
    await page.getByText('Meeting scheduled logged.').waitFor();

    // 5. Book a unit: booking, booking milestone and invoice together.
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Bookings' }).click();
    await page.getByRole('button', { name: 'Book a unit' }).click();
    const book = page.getByRole('form', { name: 'Book a unit' });
    await book.getByLabel('Lead', { exact: true }).fill('Priya');
    await page.getByRole('option', { name: /Priya Shah/ }).click();
    await submitIn(book, { 'Booking amount': '500000', Project: 'Green Meadows', 'Unit type': '2BHK' }, 'Book unit');
    await page.getByText(/Booked BKG-.* for Priya Shah: invoice LED-.* of ₹5,00,000\.00 raised\./).waitFor();
    await page.getByRole('table', { name: 'Bookings' }).getByText('₹5,00,000.00').waitFor();

    // 6. A payment in the ledger.
    await nav.getByRole('link', { name: 'Ledger' }).click();
    await page.getByLabel('Customer', { exact: true }).fill('Priya');
    await page.getByRole('option', { name: /Priya Shah/ }).click();
    const entry = page.getByRole('form', { name: 'Add a ledger entry' });
    await submitIn(entry, { 'Transaction type': 'payment', 'Credit amount': '100000', 'Reference number': 'RCPT-1' }, 'Add entry');
    await page.getByText(/Payment LED-.* added; balance now ₹4,00,000\.00\./).waitFor();
    const entries = page.getByRole('table', { name: 'Ledger entries' });
    await entries.getByRole('row', { name: /RCPT|Payment/ }).waitFor();
    expect(await entries.locator('tbody tr td:nth-child(6)').allTextContents()).toEqual(['₹5,00,000.00', '₹4,00,000.00']);

    // The reports.
    await nav.getByRole('link', { name: 'Reports' }).click();
    const widget = (name: string) => page.getByRole('region', { name }).locator('strong');
    expect(await widget('Total Leads').textContent()).toBe('1');
    expect(await widget('Conversion Rate').textContent()).toBe('100%');
    expect(await widget('Outstanding Balance').textContent()).toBe('₹4,00,000.00');
    expect(await widget('Pending Follow-ups').textContent()).toBe('1');
    const month = day.slice(0, 7);
    const row = page.getByRole('table', { name: 'Lead funnel' }).getByRole('row', { name: new RegExp(`^${month}`) });
    expect((await row.locator('td').allTextContents()).slice(1)).toEqual(['1', '1', '1', '1', '1', '0', '100%']);

    // Export CSV downloads the same rows as the API, its details in the first line (the default).
    await page.getByRole('button', { name: 'Export CSV: funnel' }).click();
    const exportOptions = page.getByRole('dialog', { name: 'Export funnel' });
    expect(await exportOptions.getByRole('radio', { name: 'In the first line' }).isChecked()).toBe(true);
    expect(await exportOptions.locator('select').inputValue()).toBe('locale');
    const [download] = await Promise.all([page.waitForEvent('download'), exportOptions.getByRole('button', { name: 'Save funnel.csv' }).click()]);
    expect(download.suggestedFilename()).toBe('funnel.csv');
    const text = fs.readFileSync((await download.path())!, 'utf8');
    const zone = ctx.settings.timezone.replace('/', '\\/');
    expect(text.split('\r\n')[0]).toMatch(new RegExp(`^\uFEFF# Milepost export: funnel \\| tenant: .+ \\(acme\\) \\| filters: as_of=${day} \\| time zone: ${zone} \\| generated: ${day}T`));
    const csv = parse(text, { bom: true, from_line: 2, columns: true }) as Record<string, string>[];
    const api = funnelReport(ctx.db, { as_of: day });
    expect(csv.map((r) => [r.month, Number(r.total_leads), Number(r.converted), Number(r.conversion_rate)]))
      .toEqual(api.map((r) => [r.month, r.total_leads, r.converted, r.conversion_rate]));
    expect(csv.at(-1)).toMatchObject({ month, total_leads: '1', converted: '1', conversion_rate: '100' });

    // The details in a separate file instead: two downloads, the choice remembered.
    await page.getByRole('button', { name: 'Export CSV: funnel' }).click();
    await exportOptions.getByRole('radio', { name: 'In a separate file' }).check();
    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await exportOptions.getByRole('button', { name: 'Save funnel.csv' }).click();
    await expect.poll(() => downloads.length).toBe(2);
    expect(downloads.map((d) => d.suggestedFilename())).toEqual(['funnel.csv', 'funnel.about.json']);
    const about = JSON.parse(fs.readFileSync((await downloads[1]!.path())!, 'utf8')) as Record<string, unknown>;
    expect(about).toMatchObject({ export: 'funnel', tenant_id: 'acme', filters: { as_of: day }, time_zone: ctx.settings.timezone, rows: csv.length, delimiter: ',' });
    expect(fs.readFileSync((await downloads[0]!.path())!, 'utf8').startsWith('\uFEFFmonth,total_leads,')).toBe(true);
    await page.reload();
    await page.getByRole('button', { name: 'Export CSV: funnel' }).click();
    expect(await exportOptions.getByRole('radio', { name: 'In a separate file' }).isChecked()).toBe(true);
    expect(app.consoleErrors).toEqual([]);
  }, 120_000);
});
