import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, startApp, fillIn, goTo, submitIn } from './harness.js';

const skip = browserUnavailable();

describe.skipIf(skip)('forms check before sending and say what went wrong', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  const sent: string[] = [];
  beforeAll(async () => {
    app = await startApp();
    app.page.on('request', (r) => r.url().includes('/api/v1/rpc/') && r.method() === 'POST' && sent.push(r.url().split('/rpc/')[1]!));
  }, 60_000);
  afterAll(() => app?.close());

  it('shows a wrong sign-in in words', async () => {
    const { page } = app;
    await page.goto(app.url);
    await submitIn(page, { Tenant: 'acme', Username: 'admin', Password: 'not-the-password' }, 'Sign in');
    await page.getByRole('alert').getByText('tenant, username or password is wrong').waitFor();
    await submitIn(page, { Tenant: 'Not A Tenant!' }, 'Sign in');
    await page.getByText('lower-case letters, digits, - and _').waitFor();
  });

  it('refuses invalid input beside the field and sends nothing', async () => {
    const { page } = app;
    await app.signIn();
    await page.getByRole('button', { name: 'New lead' }).click();
    const form = page.getByRole('form', { name: 'New lead' });
    await form.getByLabel('Email').fill('not-an-email');
    sent.length = 0;
    await form.getByRole('button', { name: 'Create lead' }).click();
    await form.locator('.field.invalid', { hasText: 'Name' }).getByText('is required').waitFor();
    await form.locator('.field.invalid', { hasText: 'Email' }).getByText('must be an email address').waitFor();
    expect(sent).toEqual([]);

    // Leaving a form with something typed asks first; staying keeps it, leaving drops it.
    const nav = page.getByRole('navigation', { name: 'Main' });
    const asked: string[] = [];
    page.once('dialog', (d) => void (asked.push(d.message()), d.dismiss()));
    await nav.getByRole('link', { name: 'Campaigns' }).click();
    await expect.poll(() => asked).toEqual(['You have changes that are not saved. Leave and lose them?']);
    expect(await form.getByLabel('Email').inputValue()).toBe('not-an-email');
    page.once('dialog', (d) => void d.accept());
    await nav.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('button', { name: 'New campaign' }).click();
    const campaign = page.getByRole('form', { name: 'New campaign' });
    await fillIn(campaign, { Code: 'Q1-EMAIL', 'Campaign name': 'Q1 Email', Budget: '100.005', 'Start date': '2026-03-01', 'End date': '2026-01-01' });
    sent.length = 0;
    await campaign.getByRole('button', { name: 'Create campaign' }).click();
    await campaign.getByText('has 3 decimals: amounts are kept to 2 (the paisa or cent)').waitFor();
    await campaign.getByText('must be on or after the start date').waitFor();
    expect(sent).toEqual([]);
  });

  it("shows the server's refusal in words and beside the field it names", async () => {
    const { page } = app;
    const campaign = page.getByRole('form', { name: 'New campaign' });
    // As people type it in en-IN: grouped, with the currency sign.
    await campaign.getByLabel('Budget').fill('₹5,50,000.50');
    await submitIn(campaign, { 'End date': '2026-03-31' }, 'Create campaign');
    await page.getByText('Campaign “Q1 Email” created.').waitFor();
    expect(app.manager.context('acme', null).db.prepare("SELECT budget FROM sales_campaigns WHERE campaign_code = 'Q1-EMAIL'").pluck().get()).toBe(55000050);
    await page.getByRole('button', { name: 'New campaign' }).click();
    const again = page.getByRole('form', { name: 'New campaign' });
    await again.getByLabel('Code').fill('Q1-EMAIL');
    await submitIn(again, { 'Campaign name': 'Q1 Email, again' }, 'Create campaign');
    await page.getByRole('alert').filter({ hasText: "campaign_code 'Q1-EMAIL' already exists" }).first().waitFor();
    await again.locator('.field.invalid', { hasText: 'Code' }).getByText("campaign_code 'Q1-EMAIL' already exists").waitFor();
  });

  it('explains a refused location permission', async () => {
    const { page } = app;
    page.once('dialog', (d) => void d.accept()); // the refused campaign is left unsaved
    await goTo(page, 'Leads');
    await page.getByRole('button', { name: 'New lead' }).click();
    const form = page.getByRole('form', { name: 'New lead' });
    await submitIn(form, { Name: 'Ravi Menon' }, 'Create lead');
    await page.getByRole('row', { name: /Ravi Menon/ }).getByRole('button', { name: 'Milestones →' }).click();
    await app.context.clearPermissions();
    await page.getByRole('button', { name: 'Use my location' }).click();
    await page.getByText(/Location permission was denied|Could not get a location/).waitFor();
    // With permission and a position, the coordinates are filled in.
    await app.context.grantPermissions(['geolocation']);
    await app.context.setGeolocation({ latitude: 12.9716, longitude: 77.5946, accuracy: 20 });
    await page.getByRole('button', { name: 'Use my location' }).click();
    await page.getByText('Location found (within 20 m).').waitFor();
    expect(await page.getByLabel('Latitude').inputValue()).toBe('12.971600');
    expect(await page.getByLabel('Longitude').inputValue()).toBe('77.594600');
  });
});
