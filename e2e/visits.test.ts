import type { Locator } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { pointAt } from '../main/domain/geo.js';
import { today } from '../main/domain/context.js';
import { browserUnavailable, useApp, fillIn, goTo } from './harness.js';

const skip = browserUnavailable();

/** An image's decoded size in the page ([0, 0] until it has loaded). */
const naturalSize = (img: Locator) => img.evaluate((el) => [(el as unknown as { naturalWidth: number }).naturalWidth, (el as unknown as { naturalHeight: number }).naturalHeight]);

// A site visit recorded in the browser with the device's location and a photo,
// judged off site against the project's site, and seen on the timeline.
describe.skipIf(skip)('a site visit that proves itself, in Chromium', () => {
  const app = useApp({ demoLeads: 60 });

  it('records a visit with the device location and a photo; the timeline shows the off-site flag and the thumbnail', async () => {
    const { page, context } = app;
    const ctx = app.manager.context('acme', null);
    // The demo's Green Meadows site: 500 m around 12.9352, 77.5346. The device stands 2.3 km north-east.
    const here = pointAt({ latitude: 12.9352, longitude: 77.5346 }, 2300, 45);
    await context.grantPermissions(['geolocation']);
    await context.setGeolocation({ latitude: here.latitude, longitude: here.longitude, accuracy: 18 });
    const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#7a5' } }).jpeg().toBuffer();

    await app.signIn();
    await goTo(page, 'Milestone tracking');
    await page.getByLabel('Lead', { exact: true }).fill('a');
    await page.getByRole('option').first().click();
    await page.getByRole('list', { name: 'Milestone timeline' }).waitFor();

    const form = page.getByRole('form', { name: 'Record a milestone' });
    await form.getByLabel('Milestone type').selectOption('revisit');
    await form.getByRole('button', { name: 'Use my location' }).click();
    await form.getByText('Location found (within 18 m).').waitFor();
    expect(await form.getByLabel('Latitude').inputValue()).toBe(here.latitude.toFixed(6));
    expect(await form.getByLabel('Accuracy (m)').inputValue()).toBe('18');
    await fillIn(form, { 'Project site': 'Green Meadows', 'Visited by': 'vikram.r', Outcome: 'positive' });
    await form.getByLabel('Photos').setInputFiles({ name: 'show-flat.jpg', mimeType: 'image/jpeg', buffer: photo });
    await form.getByRole('list', { name: 'Photos to attach' }).getByRole('img', { name: 'show-flat.jpg' }).waitFor();

    // A positive visit asks for its follow-up date before anything is saved.
    await form.getByRole('button', { name: 'Record milestone' }).click();
    await form.getByText('a positive visit needs a follow-up date: when is the next step?').waitFor();
    const followUp = new Date(Date.parse(`${today(ctx)}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);
    await form.getByLabel('Follow-up date').fill(followUp);
    await form.getByRole('button', { name: 'Record milestone' }).click();
    await page.getByText('Revisit recorded with 1 photo.').waitFor();

    const visit = page.getByRole('list', { name: 'Milestone timeline' }).locator('li[data-type="revisit"]').last();
    await visit.getByText('2.3 km from the centre of Green Meadows').waitFor();
    expect(await visit.locator('.badge').filter({ hasText: 'off site' }).count()).toBe(1);
    expect(await visit.getByText(/±18 m · fix /).count()).toBe(1);
    const thumb = visit.getByRole('button', { name: 'Photo show-flat.jpg' }).getByRole('img');
    await thumb.waitFor();
    await expect.poll(() => naturalSize(thumb)).toEqual([320, 240]);
    await visit.scrollIntoViewIfNeeded();
    await app.screenshot('17-site-visit-with-photo');
    await thumb.click();
    const viewer = page.getByRole('dialog', { name: 'Photo' }).getByRole('img');
    await viewer.waitFor();
    await expect.poll(() => naturalSize(viewer)).toEqual([1200, 900]);
    // Escape closes it; a click does too.
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Photo' }).waitFor({ state: 'detached' });
    await thumb.click();
    await viewer.waitFor();
    await page.getByRole('dialog', { name: 'Photo' }).click();
    await page.getByRole('dialog', { name: 'Photo' }).waitFor({ state: 'detached' });

    // Stored: the milestone carries the fix and the judgement, the photo its file.
    const row = ctx.db.prepare("SELECT off_site, site_distance_m, location_accuracy_m, location_fixed_at FROM sales_lead_milestones WHERE visited_by = 'vikram.r' AND milestone_type = 'revisit'").get() as Record<string, unknown>;
    expect(row).toMatchObject({ off_site: 1, site_distance_m: 2300, location_accuracy_m: 18 });
    expect(row.location_fixed_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    // The Reports screen counts it for vikram.r.
    await goTo(page, 'Reports');
    const staff = page.getByRole('table', { name: 'Site visits by staff' }).getByRole('row', { name: /vikram\.r/ });
    await staff.waitFor();
    expect(Number(await staff.getByRole('cell').nth(4).innerText())).toBeGreaterThanOrEqual(1);
    expect(app.consoleErrors, app.consoleErrors.join('\n')).toEqual([]);
  }, 120_000);
});
