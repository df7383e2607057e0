import { afterEach, describe, expect, it } from 'vitest';
import { browserUnavailable, useApp, goTo } from './harness.js';

const skip = browserUnavailable();

describe.skipIf(skip)('every screen, with demo data, in Chromium', () => {
  const app = useApp({ demoLeads: 400 });
  // Every screen visited leaves the browser's console clean.
  afterEach(() => expect(app.consoleErrors, app.consoleErrors.join('\n')).toEqual([]));

  it('signs in and shows each screen, screenshotting it at 1280×800', async () => {
    const { page } = app;
    await page.goto(app.url);
    await app.screenshot('01-sign-in');
    await app.signIn();
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const [i, name] of ['Leads', 'Milestone tracking', 'Bookings', 'Ledger', 'Campaigns', 'Reports', 'Sync'].entries()) {
      await nav.getByRole('link', { name }).click();
      await page.getByRole('heading', { level: 1, name }).waitFor();
      await page.waitForLoadState('networkidle');
      await app.screenshot(`${String(i + 2).padStart(2, '0')}-${name.toLowerCase().replace(/ /g, '-')}`);
    }
    // The milestone screen with a lead picked, and the ledger with a customer.
    await nav.getByRole('link', { name: 'Leads' }).click();
    await page.getByLabel('Filter by status').selectOption('negotiation');
    await page.getByRole('row').nth(1).getByRole('button', { name: 'Milestones →' }).click();
    await page.getByRole('list', { name: 'Milestone timeline' }).waitFor();
    await app.screenshot('09-milestone-timeline');
    await page.getByRole('tab', { name: 'Engagement' }).click();
    await page.getByRole('list', { name: 'Engagement history' }).waitFor();
    await app.screenshot('10-engagement-history');
    await nav.getByRole('link', { name: 'Ledger' }).click();
    await page.getByLabel('Customer', { exact: true }).fill('a');
    await page.getByRole('option').first().click();
    await page.getByRole('table', { name: 'Ledger entries' }).waitFor();
    await app.screenshot('11-ledger-customer');
    await nav.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('table', { name: 'Campaign ROI' }).scrollIntoViewIfNeeded();
    await app.screenshot('12-reports-lower');
    // Time in stage, grouped by source.
    await page.getByLabel('Group time in stage by').selectOption('source');
    const stages = page.getByRole('table', { name: 'Time in stage' });
    await stages.scrollIntoViewIfNeeded();
    expect(await stages.getByRole('columnheader', { name: 'Source' }).count()).toBe(1);
    expect(await stages.getByRole('row').count()).toBeGreaterThan(3);
    await app.screenshot('13-time-in-stage');
    // Stale leads: counted on the dashboard, flagged on the Leads screen.
    await page.getByRole('region', { name: 'Dashboard' }).scrollIntoViewIfNeeded();
    await nav.getByRole('link', { name: 'Leads' }).click();
    await page.getByLabel('Stale leads').waitFor();
    // The flags come with their own request after the rows: wait for the first.
    await page.getByRole('table', { name: 'Leads' }).getByText(/^stale · \d+ d idle$/).first().waitFor();
    expect(await page.getByRole('table', { name: 'Leads' }).getByText(/^stale · \d+ d idle$/).count()).toBeGreaterThan(0);
    await app.screenshot('14-stale-leads');
  }, 120_000);

  it('opens the records behind a dashboard number and a funnel cell (issue 8 drill-down)', async () => {
    const { page } = app;
    await goTo(page, 'Reports');
    const dashboard = page.getByRole('region', { name: 'Dashboard' });
    const overdue = dashboard.getByRole('button', { name: /^[\d,]+$/ }).and(dashboard.getByTitle('Show the records behind Overdue follow-ups'));
    const shown = Number((await overdue.innerText()).replace(/,/g, ''));
    expect(shown).toBeGreaterThan(0);
    await overdue.click();
    const panel = page.getByRole('dialog', { name: 'Records behind Overdue follow-ups' });
    await panel.getByRole('table').waitFor();
    expect(await panel.locator('.drill-summary strong').innerText()).toBe(String(shown));
    expect(await panel.getByRole('table').getByRole('row').count()).toBe(Math.min(shown, 100) + 1);
    await app.screenshot('15-drill-down-dashboard');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });

    // A funnel cell: the converted leads of a month, each one converted.
    const funnel = page.getByRole('table', { name: 'Lead funnel' });
    const cell = funnel.getByTitle(/^Show the records behind Converted — \d{4}-\d{2}$/).filter({ hasNotText: /^0$/ }).first();
    const month = (await cell.getAttribute('title'))!.slice(-7);
    const converted = Number(await cell.innerText());
    await cell.click();
    const list = page.getByRole('dialog', { name: `Records behind Converted — ${month}` }).getByRole('table', { name: 'converted leads' });
    await list.waitFor();
    expect(await list.getByRole('row').count()).toBe(converted + 1);
    expect(await list.getByRole('cell', { name: 'Converted', exact: true }).count()).toBe(converted);
    await app.screenshot('16-drill-down-funnel');
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  }, 60_000);

  it('lists the follow-ups due today and overdue, and completes one from the list (issue 8 Today)', async () => {
    const { page } = app;
    await goTo(page, 'Today');
    const overdue = page.getByRole('list', { name: 'Overdue follow-ups' });
    await overdue.waitFor();
    const before = await overdue.getByRole('listitem').count();
    expect(before).toBeGreaterThan(0);
    const first = overdue.getByRole('listitem').first();
    const lead = await first.getByRole('button').first().innerText();
    await app.screenshot('19-today');
    await first.getByRole('button', { name: `Mark the follow-up with ${lead} done` }).click();
    await page.getByText(`Follow-up with ${lead} marked done.`).waitFor();
    await expect.poll(() => overdue.getByRole('listitem').count()).toBe(before - 1);
  }, 60_000);
});
