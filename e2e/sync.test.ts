import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentral } from '../test/syncFixture.js';
import { browserUnavailable, startApp } from './harness.js';

// The Sync screen in a real Chromium against `milepost serve` and a real Postgres:
// set up the connection, sync now, see nothing pending and the last sync.
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
    await form.getByLabel('Connection URL').fill('http://not-postgres');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('must look like postgres://login@host:5432/database').waitFor();

    const url = new URL(await central.deviceUrl('acme'));
    const password = decodeURIComponent(url.password);
    url.password = '';
    await form.getByLabel('Connection URL').fill(url.toString());
    await form.getByLabel('Password').fill(password);
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Sync is set up.').waitFor();
    const status = page.getByRole('definition').filter({ hasText: /^\d+$/ }).first();
    expect(Number(await status.textContent())).toBeGreaterThan(0); // changes waiting

    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByText(/^Synced: \d+ change\(s\) sent, \d+ received\.$/).waitFor({ timeout: 30_000 });
    await page.getByText(/Changes waiting to be sent/).waitFor();
    expect(await page.getByRole('definition').filter({ hasText: /^\d+$/ }).first().textContent()).toBe('0');
    await page.getByText('kept in memory until Milepost closes').waitFor();
    await page.getByText('No conflicts.', { exact: false }).waitFor();
    expect(await page.content()).not.toContain(password);
    await app.screenshot('sync');
    expect(app.consoleErrors).toEqual([]);
  }, 120_000);
});
