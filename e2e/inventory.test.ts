import { describe, expect, it } from 'vitest';
import { runReport } from '../main/services/reports.js';
import { createUnits, unitCounts } from '../main/services/units.js';
import { appWithDemo, browserUnavailable, goTo } from './harness.js';

// Through the UI: the demo's units as a grid by status; a unit held for a lead
// and then booked from the grid, its cell changing colour; the grid at two window sizes
// without horizontal scrolling.

const skip = browserUnavailable();

describe.skipIf(skip)('the Inventory grid, in the browser', () => {
  const appOf = appWithDemo(150);

  it('shows the demo\'s units by status, holds one for a lead, books it, and fits 1280 and 1024 px', async () => {
    const app = appOf();
    const { page } = app;
    await goTo(page, 'Inventory');
    await page.getByRole('combobox', { name: 'Project' }).selectOption('Green Meadows');
    await page.getByRole('region', { name: 'Tower A' }).waitFor();
    // Every unit of the project is a cell, coloured by the status the server derives.
    const counts = unitCounts(app.manager.context('acme', null), 'Green Meadows');
    const total = (status: 'available' | 'held' | 'booked' | 'sold' | 'blocked') => counts.reduce((n, c) => n + c[status], 0);
    expect(await page.locator('button.unit').count()).toBe(690);
    for (const status of ['available', 'held', 'booked'] as const) expect(await page.locator(`button.unit-${status}`).count(), status).toBe(total(status));
    expect(total('booked')).toBeGreaterThan(0);
    const table = page.getByRole('table', { name: 'Units by type and status' });
    expect(await table.getByRole('row', { name: /^2BHK/ }).textContent()).toContain(String(counts.find((c) => c.unit_type === '2BHK')!.total_units));

    for (const [width, height] of [[1280, 800], [1024, 700]] as const) {
      await page.setViewportSize({ width, height });
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
      expect(overflow, `horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
      await app.screenshot(`inventory-grid-${width}x${height}`);
    }
    // A unit clicked far down the grid opens its panel where the user is looking, at any width.
    await page.setViewportSize({ width: 1024, height: 700 });
    const low = page.getByRole('region', { name: 'Tower B' }).getByRole('button', { name: /^Unit 101,/ });
    await low.scrollIntoViewIfNeeded();
    await low.click();
    const shown = page.locator('.unit-panel');
    await shown.getByText('Unit 101').waitFor();
    const box = (await shown.boundingBox())!;
    expect(box.y, 'the unit panel opens in view').toBeLessThan(700);
    expect(box.y + 40, 'the unit panel opens in view').toBeGreaterThan(0);
    await shown.getByRole('button', { name: 'Close' }).click();
    await page.setViewportSize({ width: 1280, height: 800 });

    // Hold Tower A's top-floor first unit (free in the demo: it sells from the lower floors) for a lead.
    const cell = page.getByRole('region', { name: 'Tower A' }).getByRole('button', { name: /^Unit 2501, 2BHK, available/ });
    await cell.click();
    const panel = page.locator('.unit-panel');
    await panel.getByText('Unit 2501').waitFor();
    const { name: lead, lead_code: code } = app.manager.context('acme', null).db
      .prepare("SELECT name, lead_code FROM sales_leads WHERE status NOT IN ('converted', 'lost') ORDER BY lead_code LIMIT 1").get() as { name: string; lead_code: string };
    await panel.getByLabel('For lead').fill(code);
    await page.getByRole('option', { name: new RegExp(code) }).click();
    await panel.getByRole('button', { name: 'Hold for lead' }).click();
    await page.getByText(new RegExp(`Unit 2501 held for ${lead}`)).waitFor();
    const held = page.getByRole('region', { name: 'Tower A' }).getByRole('button', { name: /^Unit 2501, 2BHK, held, 1 d 23 h left/ });
    await held.waitFor();
    expect(await held.getAttribute('class')).toContain('unit-held');
    expect(await panel.getByRole('list', { name: 'Unit history' }).textContent()).toMatch(/Hold for .*live/);

    // Book it for the same lead, from the grid: the cell turns booked.
    await panel.getByRole('button', { name: 'Book for lead' }).click();
    await page.getByText(new RegExp(`Booked unit 2501 for ${lead}: BKG-`)).waitFor();
    const booked = page.getByRole('region', { name: 'Tower A' }).getByRole('button', { name: /^Unit 2501, 2BHK, booked/ });
    await booked.waitFor();
    expect(await booked.getAttribute('class')).toContain('unit-booked');
    expect(await panel.getByRole('list', { name: 'Unit history' }).textContent()).toMatch(/Booking BKG-.*Confirmed[\s\S]*Hold for .*booked/i);
    await app.screenshot('inventory-unit-booked-1280x800');
    // The booking names its unit in the Bookings list, and neither screen scrolls sideways
    // at 1024 or 800 px (the Book-a-unit form open).
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Bookings' }).click();
    await page.getByRole('table', { name: 'Bookings' }).getByText(/Green Meadows · 2BHK · unit A-2501/).waitFor();
    await page.getByRole('button', { name: 'Book a unit' }).click();
    // Every free unit can be picked, however many pages of 500 the type has (a new-user pass
    // found the 18 units past the 500th out of reach): a tower of 120 more takes 2BHK past 500.
    const ctx = app.manager.context('acme', null);
    createUnits(ctx, { project_name: 'Green Meadows', tower: 'Z', unit_type: '2BHK', floor_from: 1, floor_to: 20, units_per_floor: 6, list_price: 6_000_000 });
    const free2bhk = unitCounts(ctx, 'Green Meadows').find((c) => c.unit_type === '2BHK')!.available;
    expect(free2bhk).toBeGreaterThan(500);
    const book = page.getByRole('form', { name: 'Book a unit' });
    await book.getByLabel('Project').selectOption('Green Meadows');
    await book.getByLabel('Unit type').selectOption('2BHK');
    await book.getByLabel('Unit', { exact: true }).locator(`option:has-text("Z · 2006")`).waitFor({ state: 'attached' });
    expect(await book.getByLabel('Unit', { exact: true }).locator('option').count()).toBe(free2bhk + 1); // and "— choose —"
    for (const screen of ['Bookings', 'Inventory']) {
      if (screen === 'Inventory') {
        // The Book-a-unit form was filled in and not saved: leaving it asks first.
        page.once('dialog', (d) => void (expect(d.message()).toBe('You have changes that are not saved. Leave and lose them?'), d.accept()));
        await nav.getByRole('link', { name: 'Inventory' }).click();
      }
      for (const width of [1024, 800]) {
        await page.setViewportSize({ width, height: 800 });
        const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
        expect(overflow, `${screen}: horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
      }
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    expect(app.consoleErrors).toEqual([]);
  }, 120_000);

  it('filters the dashboard and bookings by project, with its inventory, at 1280, 1024 and 800 px', async () => {
    const app = appOf();
    const { page } = app;
    const ctx = app.manager.context('acme', null);
    await goTo(page, 'Reports');
    await page.getByRole('region', { name: 'Dashboard' }).waitFor();
    await page.getByRole('combobox', { name: 'Project' }).selectOption('Lakeview Towers');
    const board = runReport(ctx, 'dashboard', { project_name: 'Lakeview Towers' });
    const whole = runReport(ctx, 'dashboard', {});
    expect(board.total_bookings).toBeGreaterThan(0);
    expect(board.total_bookings).toBeLessThan(whole.total_bookings);
    const customers = page.getByRole('region', { name: 'Active Customers' });
    await customers.getByText(`${board.total_bookings} bookings of ${board.customer_count} customers`).waitFor();
    await page.getByText(/^Figures of Lakeview Towers/).waitFor();
    const confirmed = (runReport(ctx, 'bookings', { project_name: 'Lakeview Towers' }) as { status: string; booking_count: number }[]).find((r) => r.status === 'confirmed')!;
    expect(await page.getByRole('article', { name: 'Bookings confirmed' }).locator('strong').textContent()).toBe(String(confirmed.booking_count));
    const inventory = page.getByRole('table', { name: 'Unit inventory by type and status' });
    const rows = runReport(ctx, 'inventory', { project_name: 'Lakeview Towers' });
    expect(await inventory.locator('tbody tr').count()).toBe(rows.length);
    for (const width of [1280, 1024, 800]) {
      await page.setViewportSize({ width, height: 800 });
      // The charts redraw to the new width a frame or two later.
      let overflow = 0;
      for (let tries = 0; tries < 20; tries += 1) {
        overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
        if (overflow <= 0) break;
        await page.waitForTimeout(100);
      }
      expect(overflow, `Reports by project: horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
      if (width === 1024) await app.screenshot('reports-one-project-1024x800');
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(app.consoleErrors).toEqual([]);
  }, 60_000);
});
