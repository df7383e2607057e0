import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, openBrowser, startApp } from './harness.js';

// Issue 17 in a real Chromium: an admin adds a sales rep on the Users screen; the rep
// signs in in another browser; the admin deactivates them and the rep's very next
// request is refused, sending them back to sign in. A rep sees no Users screen and is
// not offered a manager's actions.
const skip = browserUnavailable();

describe.skipIf(skip)('the Users screen', () => {
  let admin: Awaited<ReturnType<typeof startApp>>;
  let rep: Awaited<ReturnType<typeof openBrowser>>;
  beforeAll(async () => {
    admin = await startApp({ demoLeads: 10 });
    await admin.signIn();
  }, 120_000);
  afterAll(async () => {
    await rep?.close();
    await admin?.close();
  });

  it('adds a rep, who signs in elsewhere, is deactivated, and is refused at once', async () => {
    const { page } = admin;
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Users' }).click();
    const form = page.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('Username', { exact: true }).fill('neha');
    await form.getByLabel('Name', { exact: true }).fill('Neha Joshi');
    await form.getByLabel('Password').fill('short');
    await form.getByRole('button', { name: 'Add user' }).click();
    await form.getByText('must be at least 8 characters').waitFor();
    await form.getByLabel('Password').fill('neha-field-1');
    await form.getByRole('button', { name: 'Add user' }).click();
    await page.getByText('Added sales rep neha.').waitFor();
    const row = page.getByRole('table', { name: 'Users' }).getByRole('row', { name: /^neha Neha/ });
    expect(await row.innerText()).toContain('Neha Joshi');
    await admin.screenshot('users-1280x800');

    // The rep, in another browser: no Users screen, no manager's actions.
    rep = await openBrowser(admin.url, 'acme');
    await rep.signIn('neha', 'neha-field-1');
    const repNav = rep.page.getByRole('navigation', { name: 'Main' });
    expect(await repNav.getByRole('link', { name: 'Users' }).count()).toBe(0);
    expect(await repNav.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    await repNav.getByRole('link', { name: 'Leads' }).click();
    await rep.page.getByRole('button', { name: 'New lead' }).waitFor();
    expect(await rep.page.getByRole('button', { name: 'Import leads' }).count()).toBe(0);

    // Deactivated: the rep's next request is refused and they are back at sign-in.
    await row.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByText('neha is deactivated; their sessions have ended.').waitFor();
    await repNav.getByRole('link', { name: 'Today' }).click();
    await rep.page.getByRole('button', { name: 'Sign in' }).waitFor();
    await rep.page.getByText('Your session ended: this account is no longer active.').waitFor();
    await rep.page.getByLabel('Tenant').fill('acme');
    await rep.page.getByLabel('Username').fill('neha');
    await rep.page.getByLabel('Password').fill('neha-field-1');
    await rep.page.getByRole('button', { name: 'Sign in' }).click();
    await rep.page.getByText(/tenant, username or password is wrong/i).waitFor();
    expect(admin.consoleErrors, admin.consoleErrors.join('\n')).toEqual([]);
  });

  it('changes a tenant setting, sending only what changed', async () => {
    const { page } = admin;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'Tenant settings' });
    await form.getByLabel('Time zone').waitFor();
    expect(await form.getByLabel('Time zone').inputValue()).toBe('Asia/Kolkata');
    await form.getByLabel('Demand notice days').fill('10');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved: demand notice days.').waitFor();
    expect(admin.manager.get('acme').settings.demand_notice_days).toBe(10);
    await form.getByLabel('Time zone').fill('Mars/Olympus');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByText('must be an IANA time zone such as Asia/Kolkata').waitFor();
    expect(admin.manager.get('acme').settings.timezone).toBe('Asia/Kolkata');
  });
});
