import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentral } from '../test/syncFixture.js';
import { browserUnavailable, startApp, submitIn } from './harness.js';

// The Sync screen in a real Chromium against `milepost serve` and a real Postgres:
// set up the connection, sync now, see nothing pending and the last sync; a laptop whose
// clock is fast and that joined on its own sees the clock warning, the renames in words,
// and a failure in red.
const skip = browserUnavailable();

describe.skipIf(skip)('the Sync screen', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let central: Awaited<ReturnType<typeof startCentral>>;
  beforeAll(async () => {
    central = await startCentral();
    app = await startApp({ demoLeads: 15 });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await central?.pg.stop();
  });

  it('sets up sync, syncs now and shows what happened', async () => {
    const { page } = app;
    await app.signIn();
    await page.getByRole('link', { name: 'Sync' }).click();
    await page.getByText('Sync is not set up').waitFor();
    await page.getByRole('button', { name: 'Set up sync' }).click();
    const form = page.getByRole('form', { name: 'Sync connection' });
    await submitIn(form, { 'Connection URL': 'http://not-postgres' }, 'Save');
    await form.getByText('must look like postgres://login@host:5432/database').waitFor();

    const url = new URL(await central.deviceUrl('acme'));
    const password = decodeURIComponent(url.password);
    url.password = '';
    await form.getByLabel('Connection URL').fill(url.toString());
    await form.getByLabel('Password').fill(password);
    // In the browser the password is kept by the serving process, not a keychain: the form says so.
    await form.getByText('Kept in the memory of the Milepost serving this page until it stops, never in a file: enter it again after a restart').waitFor();
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Sync is set up.').waitFor();
    const status = page.getByRole('definition').filter({ hasText: /^\d+$/ }).first();
    expect(Number(await status.textContent())).toBeGreaterThan(0); // changes waiting

    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByText(/^Synced: \d+ change\(s\) sent, \d+ received\.$/).waitFor({ timeout: 30_000 });
    await page.getByText(/Changes waiting to be sent/).waitFor();
    expect(await page.getByRole('definition').filter({ hasText: /^\d+$/ }).first().textContent()).toBe('0');
    await page.getByText('kept in memory until Milepost closes').waitFor();
    // The next sync's time is the tenant's (Asia/Kolkata, en-IN), not UTC nor the US format.
    const next = await page.locator('dl[aria-label="Sync connection"] dd').nth(2).textContent();
    expect(next).toMatch(/^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept|Oct|Nov|Dec) \d{4}, \d{1,2}:\d{2} (am|pm)$/);
    await page.getByText('No conflicts.', { exact: false }).waitFor();
    expect(await page.content()).not.toContain(password);
    await app.screenshot('sync');
    expect(app.consoleErrors).toEqual([]);
  }, 120_000);
});

describe.skipIf(skip)('the Sync screen tells the truth', () => {
  it('a laptop 2 hours fast that joined on its own: the clock warning, the renamed codes in words, and a failure in red', async () => {
    const { device, serve: serveApi } = await import('../test/syncHarness.js');
    const { openBrowser } = await import('./harness.js');
    const central = await startCentral();
    // Head office already has the tenant, with its first lead LD-000001.
    const office = device('office');
    await office.ok('tenant', 'create', '--tenant', 'truth', '--name', 'Truth Realty', '--admin', 'admin', '--password', 'S3cret-pass', '--timezone', 'Asia/Kolkata');
    await office.ok('demo', '--tenant', 'truth', '--leads', '5', '--seed', '2');
    const url = new URL(await central.deviceUrl('truth'));
    await office.ok('sync', '--tenant', 'truth', '--pg', url.toString());
    // A laptop set up on its own, its clock 2 hours fast, with a lead of its own.
    const laptop = device('laptop', '+2h');
    await laptop.ok('tenant', 'create', '--tenant', 'truth', '--name', 'Laptop', '--admin', 'admin', '--password', 'S3cret-pass');
    await laptop.ok('demo', '--tenant', 'truth', '--leads', '3', '--seed', '9');
    const api = await serveApi(laptop, 'truth', 'admin', 'S3cret-pass');
    await api.op('leads.create', { name: 'Walk-in at the site office', lead_date: '2026-11-20' });
    const browser = await openBrowser(api.url, 'truth');
    try {
      const { page } = browser;
      await browser.signIn();
      await page.getByRole('link', { name: 'Sync' }).click();
      await page.getByRole('button', { name: 'Set up sync' }).click();
      const form = page.getByRole('form', { name: 'Sync connection' });
      const password = decodeURIComponent(url.password);
      const bare = new URL(url);
      bare.password = '';
      await form.getByLabel('Connection URL').fill(bare.toString());
      await form.getByLabel('Password').fill(password);
      await form.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Sync is set up.').waitFor();
      await page.getByRole('button', { name: 'Sync now' }).click();
      await page.getByText(/^Synced: \d+ change\(s\) sent, \d+ received; the server changed or refused \d+ record\(s\), listed below\.$/).waitFor({ timeout: 30_000 });
      expect(await page.locator('.banner.ok').count()).toBe(1);
      const warning = page.getByRole('alert', { name: 'Clock warning' });
      expect(await warning.textContent()).toMatch(/this device's clock is 2 h ahead of the server's/);
      const told = page.getByRole('list', { name: 'What the server changed' });
      expect(await told.textContent()).toContain('lead code LD-000001 was already taken on the server by a record made on another device: this one is LD-000001-');
      expect(await told.textContent()).toContain("user 'admin' was also made on another device");
      for (const width of [1280, 1024, 800]) {
        await page.setViewportSize({ width, height: 800 });
        const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
        expect(overflow, `horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
        await browser.screenshot(`sync-told-${width}`);
      }

      // A wrong password: the failure is red and says nothing is lost.
      await page.getByRole('button', { name: 'Change connection' }).click();
      await submitIn(form, { Password: 'not-the-password' }, 'Save');
      await page.getByText('Sync is set up.').waitFor();
      await page.getByRole('button', { name: 'Sync now' }).click();
      const failed = page.locator('.banner.error', { hasText: 'Sync failed' });
      await failed.waitFor({ timeout: 30_000 });
      expect(await failed.getAttribute('role')).toBe('alert');
      expect(await failed.textContent()).toMatch(/password authentication failed.*Nothing was lost/);
      expect(await page.locator('.banner.ok').count()).toBe(0);
      expect(await page.content()).not.toContain('not-the-password');
      expect(browser.consoleErrors.filter((e) => !/the server responded with a status of 503/.test(e))).toEqual([]);
    } finally {
      await browser.close();
      await api.stop();
      await central.pg.stop();
    }
  }, 180_000);
});
