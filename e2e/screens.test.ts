import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, startApp } from './harness.js';

const skip = browserUnavailable();

describe.skipIf(skip)('every screen, with demo data, in Chromium', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    app = await startApp({ demoLeads: 400 });
  }, 120_000);
  afterAll(() => app?.close());

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
    expect(await page.getByRole('table', { name: 'Leads' }).getByText(/^stale · \d+ d idle$/).count()).toBeGreaterThan(0);
    await app.screenshot('14-stale-leads');
    expect(app.consoleErrors, app.consoleErrors.join('\n')).toEqual([]);
  }, 120_000);
});
