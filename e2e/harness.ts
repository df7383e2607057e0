import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startServer, defaultRendererDir } from '../main/http/server.js';
import { createTenant } from '../main/services/tenantSetup.js';
import { TenantManager } from '../main/tenants.js';
import { runDemo } from '../main/demo/demoData.js';
import { tempDir } from '../test/tenantFixture.js';

// End-to-end harness: `milepost serve` (in-process, real HTTP on a free port) with
// the built renderer, driven by playwright-core in Debian's Chromium.

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
export const chromiumPath = CANDIDATES.find((p) => fs.existsSync(p));

/** Why the browser tests cannot run here, or null when they can. In CI a missing browser is a failure, not a skip. */
export function browserUnavailable(): string | null {
  if (chromiumPath && fs.existsSync(path.join(defaultRendererDir(), 'index.html'))) return null;
  const reason = !chromiumPath ? `no Chromium at ${CANDIDATES.join(' or ')}` : 'the renderer is not built (npm run build)';
  if (process.env.CI) throw new Error(`browser tests cannot run in CI: ${reason}`);
  console.warn(`skipping browser tests: ${reason}`);
  return reason;
}

export const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots');

/** The app for the tests of one describe: started before them (with `demoLeads` demo leads), closed after. */
export function useApp(options: { demoLeads?: number } = {}, timeoutMs = 120_000): App {
  const made: { app?: App } = {};
  beforeAll(async () => {
    made.app = await startApp(options);
  }, timeoutMs);
  afterAll(() => made.app?.close());
  return new Proxy({} as App, { get: (_, key) => (made.app as unknown as Record<string | symbol, unknown>)[key] });
}

export type App = Awaited<ReturnType<typeof startApp>>;

/** Fills a form's fields by their labels: text typed, a choice chosen. */
export async function fillIn(form: Pick<Locator, 'getByLabel'>, fields: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(fields)) {
    const field = form.getByLabel(label);
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
}

/** Fills a form by its labels and presses one of its buttons. */
export async function submitIn(form: Pick<Locator, 'getByLabel' | 'getByRole'>, fields: Record<string, string>, button: string): Promise<void> {
  await fillIn(form, fields);
  await form.getByRole('button', { name: button }).click();
}

/** Opens a screen from the main menu. */
export const goTo = (page: Page, screen: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: screen }).click();

export async function startApp({ demoLeads = 0 } = {}) {
  const dataDir = tempDir('milepost-e2e-');
  const manager = new TenantManager(dataDir);
  createTenant(manager, { tenant_id: 'acme', name: 'Acme Realty', admin_username: 'admin', admin_password: 'S3cret-pass', timezone: 'Asia/Kolkata' });
  if (demoLeads) runDemo(manager.context('acme', null), { leads: demoLeads, seed: 11 });
  const server = await startServer(manager, { port: 0 });
  const browser = await openBrowser(server.url, 'acme');
  return {
    ...browser,
    manager,
    async close() {
      await browser.close();
    },
  };
}

/** Chromium on an app already served at `url` (in this process or another), signed in to `tenant`. */
export async function openBrowser(url: string, tenant: string) {
  const server = { url };
  const browser: Browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, locale: 'en-IN', timezoneId: 'Asia/Kolkata' });
  const page: Page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  return {
    url: server.url,
    page,
    context,
    consoleErrors,
    async signIn(username = 'admin', password = 'S3cret-pass') {
      await page.goto(server.url);
      await page.getByLabel('Tenant').fill(tenant);
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
    },
    async screenshot(name: string) {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
    },
    async close() {
      await browser.close();
    },
  };
}

/** The app with demo data, signed in, for the tests of one describe block: started before them, closed after. */
export function appWithDemo(demoLeads: number): () => Awaited<ReturnType<typeof startApp>> {
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  beforeAll(async () => {
    app = await startApp({ demoLeads });
    await app.signIn();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });
  return () => app!;
}
