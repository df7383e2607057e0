import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeApi } from '../../test/apiFixture.js';
import { makeFakeElectron } from '../../test/fakeElectron.js';
import { addReps, tempDir } from '../../test/tenantFixture.js';
import { CHANNEL } from '../api/bridge.js';
import { contract } from '../api/contract.js';

// The Electron shell's wiring, with the `electron` module replaced by a recording
// fake. Electron itself does not run in these tests (its binary cannot be fetched
// here); everything the shell calls is tested under Node and in Chromium elsewhere.

const fake = vi.hoisted(() => ({ current: null as null | ReturnType<typeof import('../../test/fakeElectron.js').makeFakeElectron> }));
vi.mock('electron', async () => {
  const { makeFakeElectron: make } = await import('../../test/fakeElectron.js');
  fake.current = make();
  return { default: fake.current.electron, ...fake.current.electron };
});

const { registerIpc } = await import('./ipc.js');
const { createMainWindow } = await import('./window.js');
const { hardenContents, isTrustedUrl, limitPermissions } = await import('./security.js');
const { backupIfDue } = await import('../engine/backups.js');
const f = () => fake.current!;

const ROOT = 'file:///opt/milepost/dist/renderer/';
const trusted = { senderFrame: { url: `${ROOT}index.html` } };
const untrusted = { senderFrame: { url: 'https://evil.example/' } };

describe('IPC registration', () => {
  let api: Awaited<ReturnType<typeof makeApi>>;
  let call: (channel: string, event: unknown, ...args: unknown[]) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const ipc = makeFakeElectron();
  beforeAll(async () => {
    api = await makeApi();
    registerIpc(ipc.electron.ipcMain as never, { engine: api.engine, sessions: api.sessions, isTrusted: (u) => isTrustedUrl(u, ROOT), saveCsv: async () => undefined });
    call = async (channel, event, ...args) => ipc.handlers.get(channel)!(event, ...args);
  });
  afterAll(() => api.close());

  it('registers every contract operation exactly once, plus sign-in, sign-out, session and save', () => {
    const ops = Object.keys(contract).map(CHANNEL.op);
    expect(new Set(ipc.handleCalls).size).toBe(ipc.handleCalls.length);
    expect([...ipc.handleCalls].sort()).toEqual([...ops, CHANNEL.signIn, CHANNEL.signOut, CHANNEL.hasSession, CHANNEL.saveCsv, CHANNEL.saveDocument].sort());
  });

  it('refuses a call from an untrusted frame', async () => {
    expect(await call(CHANNEL.op('leads.list'), untrusted, {})).toEqual({ error: { code: 'forbidden', message: 'this window may not call Milepost', details: [] } });
    expect(await call(CHANNEL.signIn, { senderFrame: { url: 'file:///tmp/other/index.html' } }, { tenant_id: 't1', username: 'admin', password: 'S3cret-pass' }))
      .toMatchObject({ error: { code: 'forbidden' } });
    expect(await call(CHANNEL.hasSession, trusted)).toBe(false);
  });

  it('holds the session in the main process and answers like HTTP, errors included', async () => {
    expect(await call(CHANNEL.op('leads.list'), trusted, {})).toMatchObject({ error: { code: 'unauthorized' } });
    expect(await call(CHANNEL.signIn, trusted, { tenant_id: 't1', username: 'admin', password: 'wrong' })).toMatchObject({ error: { code: 'unauthorized', message: 'tenant, username or password is wrong' } });
    expect(await call(CHANNEL.signIn, trusted, { tenant_id: 't1', username: 'admin', password: 'S3cret-pass' })).toMatchObject({ data: { user: { username: 'admin', role: 'admin' } } });
    expect(await call(CHANNEL.hasSession, trusted)).toBe(true);

    const bad = { lead_id: 'lead-x', engagement_type: 'fax_sent', engagement_channel: 'phone' };
    const viaIpc = await call(CHANNEL.op('engagements.create'), trusted, bad);
    const viaHttp = await api.request('POST', '/api/v1/sales/engagement', { body: bad, headers: await api.login() });
    expect(viaHttp.status).toBe(422);
    expect(viaIpc).toEqual({ error: viaHttp.body.error });

    const created = await call(CHANNEL.op('leads.create'), trusted, { name: 'Over IPC' });
    expect(created.data).toMatchObject({ name: 'Over IPC', status: 'new', created_by: expect.any(String) });
    // The renderer cannot pick a tenant: the input has no such field, and the session's tenant is used.
    expect(await call(CHANNEL.op('leads.list'), trusted, { tenant_id: 't2' })).toMatchObject({ error: { code: 'validation_failed', details: [{ field: 'tenant_id', message: 'is not a known field' }] } });
    expect(api.manager.get('t2').db.prepare("SELECT count(*) AS n FROM sales_leads WHERE name = 'Over IPC'").get()).toEqual({ n: 0 });
    await call(CHANNEL.signOut, trusted);
    expect(await call(CHANNEL.hasSession, trusted)).toBe(false);
  });

  it('holds a sales rep to SPEC §11 as HTTP does (issue 17)', async () => {
    expect(await call(CHANNEL.signIn, trusted, { tenant_id: 't1', username: 'rep', password: 'rep-pass-1' })).toMatchObject({ data: { user: { role: 'sales_rep' } } });
    const ctx = api.manager.context('t1', 'user-admin');
    const { leadService } = await import('../services/leads.js');
    addReps(ctx, 'priya');
    leadService.create(ctx, { id: 'lead-priya', name: 'Not mine', assigned_to: 'priya' });
    const before = api.counts();
    const refused = [
      await call(CHANNEL.op('leads.update'), trusted, { id: 'lead-priya', status: 'lost', lost_reason: 'x' }),
      await call(CHANNEL.op('ledger.create'), trusted, { customer_id: 'nobody', transaction_type: 'credit_note', credit_amount: 19900000 }),
      await call(CHANNEL.op('campaigns.create'), trusted, { campaign_code: 'X', campaign_name: 'x', campaign_type: 'email' }),
      await call(CHANNEL.op('users.add'), trusted, { username: 'eve', password: 'long-enough-1', role: 'admin' }),
    ];
    expect(refused.map((r) => [r.error.code, r.error.details[0].field])).toEqual([['forbidden', 'role'], ['forbidden', 'transaction_type'], ['forbidden', 'role'], ['forbidden', 'role']]);
    expect(api.counts()).toEqual(before);
    // Their own new lead is theirs.
    expect((await call(CHANNEL.op('leads.create'), trusted, { name: 'Walk-in' })).data).toMatchObject({ assigned_to: 'rep' });
    // Under rep_scope = own the desktop shows them their leads only, as HTTP does.
    const { updateSettings } = await import('../services/tenantSetup.js');
    const names = async () => ((await call(CHANNEL.op('leads.list'), trusted, { limit: 500 })).data.items as { name: string }[]).map((l) => l.name);
    expect(await names()).toContain('Not mine');
    updateSettings(ctx, { rep_scope: 'own' });
    try {
      expect(await names()).toEqual(['Walk-in']);
      expect(await call(CHANNEL.op('leads.get'), trusted, { id: 'lead-priya' })).toMatchObject({ error: { code: 'not_found' } });
    } finally {
      updateSettings(ctx, { rep_scope: 'all' });
    }
    await call(CHANNEL.signOut, trusted);
  });

  it('ends the desktop session at once when the user is deactivated or their role changes (issue 17)', async () => {
    const { addUser, updateUser } = await import('../services/users.js');
    const ctx = api.manager.context('t1', 'user-admin');
    const u = addUser(ctx, { username: 'desk', password: 'desk-pass-1', role: 'manager' });
    await call(CHANNEL.signIn, trusted, { tenant_id: 't1', username: 'desk', password: 'desk-pass-1' });
    expect(await call(CHANNEL.op('leads.list'), trusted, {})).toHaveProperty('data');
    updateUser(ctx, u.id, { role: 'sales_rep' });
    expect(await call(CHANNEL.op('leads.list'), trusted, {})).toMatchObject({ error: { code: 'unauthorized', message: 'your account was changed: sign in again' } });
    expect(await call(CHANNEL.hasSession, trusted)).toBe(false);
    await call(CHANNEL.signIn, trusted, { tenant_id: 't1', username: 'desk', password: 'desk-pass-1' });
    expect((await call(CHANNEL.op('session.me'), trusted, {})).data.user.role).toBe('sales_rep');
    updateUser(ctx, u.id, { active: false });
    expect(await call(CHANNEL.op('leads.list'), trusted, {})).toMatchObject({ error: { code: 'unauthorized' } });
    expect(await call(CHANNEL.hasSession, trusted)).toBe(false);
  });
});


/** The save dialog answering with a file of this name in a new folder; what it was asked, kept. */
function saveDialogChoosing(name: string) {
  const dir = tempDir();
  const dialog = f().electron.dialog as { showSaveDialog: (...a: unknown[]) => Promise<{ canceled: boolean; filePath?: string }> };
  const asked: unknown[] = [];
  dialog.showSaveDialog = async (...a) => (asked.push(a.at(-1)), { canceled: false, filePath: path.join(dir, name) });
  return { dir, dialog, asked };
}

describe('saving an export', () => {
  it('checks what the renderer hands over before the dialog opens', async () => {
    const ipc = makeFakeElectron();
    const api = await makeApi();
    const saved: unknown[] = [];
    registerIpc(ipc.electron.ipcMain as never, { engine: api.engine, sessions: api.sessions, isTrusted: (u) => isTrustedUrl(u, ROOT), saveCsv: async (_e, file) => void saved.push(file) });
    const save = ipc.handlers.get(CHANNEL.saveCsv)!;
    const file = { filename: 'funnel.csv', csv: 'month\r\n', details: { filename: 'funnel.about.json', text: '{}' } };
    expect(await save(trusted, file)).toEqual({ data: null });
    expect(await save(trusted, { filename: 'funnel.csv', csv: 42 })).toMatchObject({ error: { code: 'validation_failed', details: [{ field: 'csv', message: 'must be CSV text' }] } });
    expect(await save(untrusted, file)).toMatchObject({ error: { code: 'forbidden' } });
    expect(saved).toEqual([file]);
    await api.close();
  });

  it('writes the CSV where the user chose and its side file beside it, or nothing when cancelled', async () => {
    const { saveCsvWithDialog } = await import('./dialogs.js');
    const { dir, dialog, asked } = saveDialogChoosing('Q3 funnel.csv');
    const event = { sender: {} } as never;
    await saveCsvWithDialog(event, { filename: 'funnel.csv', csv: '\uFEFFmonth\r\n2025-10\r\n', details: { filename: 'funnel.about.json', text: '{"export":"funnel"}\n' } });
    expect(asked).toEqual([{ defaultPath: 'funnel.csv', filters: [{ name: 'CSV', extensions: ['csv'] }] }]);
    expect(fs.readdirSync(dir).sort()).toEqual(['Q3 funnel.about.json', 'Q3 funnel.csv']);
    expect(fs.readFileSync(path.join(dir, 'Q3 funnel.csv'), 'utf8')).toBe('\uFEFFmonth\r\n2025-10\r\n');
    dialog.showSaveDialog = async () => ({ canceled: true });
    await saveCsvWithDialog(event, { filename: 'leads.csv', csv: 'id\r\n' });
    expect(fs.readdirSync(dir)).toHaveLength(2);
  });

  it('writes a document (a statement PDF) where the user chose, its bytes as made', async () => {
    const { saveDocumentWithDialog } = await import('./dialogs.js');
    const { dir, asked } = saveDialogChoosing('Asha statement.pdf');
    const bytes = Buffer.from('%PDF-1.3\n%âãÏÓ\n');
    await saveDocumentWithDialog({ sender: {} } as never, { file_name: 'statement-K1-2025-12-31.pdf', content_type: 'application/pdf', data_base64: bytes.toString('base64') });
    expect(asked).toEqual([{ defaultPath: 'statement-K1-2025-12-31.pdf', filters: [{ name: 'PDF', extensions: ['pdf'] }] }]);
    expect(fs.readFileSync(path.join(dir, 'Asha statement.pdf'))).toEqual(bytes);
  });
});

describe('the window and its hardening', () => {
  it('creates the window with the hardened preferences and loads the built renderer', () => {
    const stateFile = path.join(tempDir(), 'window-state.json');
    fs.writeFileSync(stateFile, JSON.stringify({ width: 1400, height: 900 }));
    createMainWindow({ preload: '/opt/milepost/dist/main/preload.cjs', rendererIndex: '/opt/milepost/dist/renderer/index.html', rendererRoot: ROOT, stateFile });
    const win = f().created.at(-1)!;
    expect(win.options).toMatchObject({ width: 1400, height: 900 });
    expect(win.options.webPreferences).toMatchObject({
      preload: '/opt/milepost/dist/main/preload.cjs', contextIsolation: true, nodeIntegration: false, sandbox: true, webSecurity: true, webviewTag: false,
    });
    expect(win.loaded).toBe('/opt/milepost/dist/renderer/index.html');
  });

  it('prevents navigation to another origin and denies new windows', () => {
    const contents = new (makeFakeElectron().electron.BrowserWindow)({}).webContents;
    const opened: string[] = [];
    hardenContents(contents as never, ROOT, (url) => opened.push(url));
    const navigate = (url: string) => {
      const event = { prevented: false, preventDefault() { this.prevented = true; } };
      contents.emit('will-navigate', event, url);
      return event.prevented;
    };
    expect(navigate('https://evil.example/phish')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate(`${ROOT}index.html#/reports`)).toBe(false);
    const redirect = { prevented: false, preventDefault() { this.prevented = true; } };
    contents.emit('will-redirect', redirect, 'http://127.0.0.1:9/');
    expect(redirect.prevented).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://milepost.invalid/help' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'file:///bin/sh' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://milepost.invalid/help']);
    const webview = { prevented: false, preventDefault() { this.prevented = true; } };
    contents.emit('will-attach-webview', webview);
    expect(webview.prevented).toBe(true);
  });

  it('grants geolocation and nothing else', () => {
    const e = makeFakeElectron();
    limitPermissions(e.electron.session.defaultSession as never);
    const answers: Record<string, boolean> = {};
    for (const p of ['geolocation', 'media', 'notifications', 'clipboard-read', 'openExternal']) e.permission.request!(null, p, (ok) => (answers[p] = ok));
    expect(answers).toEqual({ geolocation: true, media: false, notifications: false, 'clipboard-read': false, openExternal: false });
  });
});

describe('the preload', () => {
  it('exposes only the bridge functions, never ipcRenderer', async () => {
    await import('./preload.js');
    expect(f().exposed.map((x) => x.key)).toEqual(['milepost']);
    const bridge = f().exposed[0]!.api;
    expect(Object.keys(bridge).sort()).toEqual(['hasSession', 'invoke', 'onNavigate', 'saveCsv', 'saveDocument', 'signIn', 'signOut']);
    expect(Object.values(bridge).every((v) => typeof v === 'function')).toBe(true);
    await (bridge.invoke as (op: string, i: unknown) => Promise<unknown>)('leads.list', { limit: 5 });
    expect(f().invoked.at(-1)).toEqual({ channel: 'milepost:op:leads.list', args: [{ limit: 5 }] });
    expect(await (bridge.invoke as (op: string, i: unknown) => Promise<unknown>)('../../etc', {})).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('daily backups', () => {
  it('backs a tenant up once a day and keeps the last seven', async () => {
    const api = await makeApi();
    for (let d = 1; d <= 9; d += 1) {
      expect(backupIfDue(api.manager, 't1', new Date(`2026-11-0${d}T10:00:00Z`))).toMatch(new RegExp(`t1-2026-11-0${d}\\.sqlite$`));
      expect(backupIfDue(api.manager, 't1', new Date(`2026-11-0${d}T12:00:00Z`))).toBeNull();
    }
    const kept = fs.readdirSync(path.join(api.dataDir, 'backups', 'daily', 't1')).sort();
    expect(kept).toEqual(['03', '04', '05', '06', '07', '08', '09'].map((d) => `t1-2026-11-${d}.sqlite`));
    await api.close();
  });
});

describe('the built main bundle', () => {
  it('creates the hardened window when loaded with electron replaced', async () => {
    const bundle = path.resolve(import.meta.dirname, '../../dist/main/index.cjs');
    expect(fs.existsSync(bundle), 'npm run build makes dist/main/index.cjs').toBe(true);
    const shell = makeFakeElectron();
    const dataDir = tempDir();
    const { TenantManager } = await import('../tenants.js');
    const { createTenant } = await import('../services/tenantSetup.js');
    const manager = new TenantManager(dataDir);
    createTenant(manager, { tenant_id: 'desk', name: 'Desk', admin_username: 'admin', admin_password: 'S3cret-pass' });
    manager.closeAll();
    process.env.MILEPOST_DATA_DIR = dataDir;
    const load = (Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown })._load;
    (Module as unknown as { _load: typeof load })._load = function (req: string, ...rest: unknown[]) {
      return req === 'electron' ? shell.electron : load.call(this, req, ...rest);
    };
    try {
      Module.createRequire(import.meta.url)(bundle);
      shell.ready();
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      (Module as unknown as { _load: typeof load })._load = load;
      delete process.env.MILEPOST_DATA_DIR;
    }
    expect(shell.created).toHaveLength(1);
    expect(shell.created[0]!.options.webPreferences).toMatchObject({ contextIsolation: true, nodeIntegration: false, sandbox: true, webSecurity: true });
    expect(shell.created[0]!.options.webPreferences.preload).toBe(path.join(process.cwd(), 'dist', 'main', 'preload.cjs'));
    expect(shell.created[0]!.loaded).toBe(path.join(process.cwd(), 'dist', 'renderer', 'index.html'));
    expect(shell.handleCalls).toContain('milepost:op:reports.dashboard');
    // The bundle's engine answers from a process of its own (a worker thread standing in for the utility process).
    const call = (channel: string, ...args: unknown[]) => shell.handlers.get(channel)!({ senderFrame: { url: pathToFileURL(shell.created[0]!.loaded!).href } }, ...args) as Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(await call(CHANNEL.signIn, { tenant_id: 'desk', username: 'admin', password: 'S3cret-pass' })).toMatchObject({ data: { user: { username: 'admin' } } });
    expect(shell.forked).toEqual([path.join(process.cwd(), 'dist', 'main', 'engine.cjs')]);
    expect((await call(CHANNEL.op('leads.create'), { name: 'From the engine process' })).data).toMatchObject({ name: 'From the engine process', status: 'new' });
    expect(await call(CHANNEL.op('leads.list'), { limit: 'x' })).toMatchObject({ error: { code: 'validation_failed' } });
    // Quitting waits for the engine to close the database: its WAL is checkpointed away.
    shell.electron.app.emit('before-quit', { preventDefault: () => undefined });
    await vi.waitFor(() => expect(fs.existsSync(path.join(dataDir, 'tenants', 'desk.sqlite-wal'))).toBe(false), { timeout: 10_000 });
    const reopened = new TenantManager(dataDir);
    expect(reopened.context('desk', null).db.prepare('SELECT name FROM sales_leads').pluck().all()).toEqual(['From the engine process']);
    reopened.closeAll();
    expect(shell.permission.check!(null, 'geolocation')).toBe(true);
    expect(shell.permission.check!(null, 'camera')).toBe(false);
  });
});
