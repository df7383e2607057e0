import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { localDateOf } from '../../db/values/dates.js';
import { engineScript } from '../engine/host.js';
import { leadService } from '../services/leads.js';
import { createMilestone } from '../services/milestones.js';
import { createTenant } from '../services/tenantSetup.js';
import { TenantManager } from '../tenants.js';
import { fakeSafeStorage } from '../../test/fakeElectron.js';
import { tempDir } from '../../test/tenantFixture.js';
import { desktopEngine } from './engineProcess.js';
import { KeychainSecrets } from './secrets.js';

// The desktop's engine process wiring, with Electron's utilityProcess.fork
// stood in for by a worker thread running the same engine: the keychain's sync
// passwords reach the engine, a password given there is kept in the keychain here (never
// in plain text), and the engine's reminders come back as notifications. Electron itself
// does not run in these tests.

let dataDir: string;
let keychain: KeychainSecrets;
const notes: { title: string; body: string }[] = [];
let engine: ReturnType<typeof desktopEngine>;
const forked: string[] = [];

beforeAll(() => {
  dataDir = tempDir('milepost-desktop-engine-');
  const manager = new TenantManager(dataDir);
  createTenant(manager, { tenant_id: 'north', name: 'North', admin_username: 'admin', admin_password: 'S3cret-pass', timezone: 'Asia/Kolkata' });
  const ctx = manager.context('north', null);
  const today = localDateOf(new Date(), 'Asia/Kolkata');
  leadService.create(ctx, { id: 'lead-1', name: 'Kavya Rao', lead_date: today });
  createMilestone(ctx, { lead_id: 'lead-1', milestone_type: 'site_visit', milestone_date: today, follow_up_date: today });
  manager.closeAll();
  keychain = new KeychainSecrets(fakeSafeStorage(), path.join(dataDir, 'secrets'));
  keychain.set('sync-password:north', 'kept-before');
  const fork = (modulePath: string) => {
    forked.push(modulePath);
    const worker = new Worker(modulePath, { stdout: false, stderr: false });
    return Object.assign(worker, { kill: () => void worker.terminate() }) as never;
  };
  engine = desktopEngine({ fork, script: fileURLToPath(engineScript()), dataDir, migrations: path.resolve('migrations'), secrets: keychain, notify: (n) => notes.push(n) });
});
afterAll(() => engine.host.close());

describe('the desktop engine process', () => {
  it('is started from the engine script, and knows the password the keychain kept', async () => {
    const found = await engine.host.authenticate('north', 'admin', 'S3cret-pass');
    const who = { tenantId: 'north', userId: found!.user.id, version: found!.version };
    expect(forked).toEqual([fileURLToPath(engineScript())]);
    expect(await engine.host.run(who, 'sync.status', {})).toMatchObject({ has_password: true, password_kept: 'keychain', passwords_kept_in: 'keychain' });
  });

  it('keeps a password given in the engine with the keychain, encrypted', async () => {
    const found = await engine.host.authenticate('north', 'admin', 'S3cret-pass');
    const who = { tenantId: 'north', userId: found!.user.id, version: found!.version };
    await engine.host.run(who, 'sync.configure', { url: 'postgres://north@central.example/milepost', password: 'given-now-123' });
    await vi.waitFor(() => expect(keychain.get('sync-password:north')).toBe('given-now-123'));
    const file = fs.readdirSync(path.join(dataDir, 'secrets')).find((f) => f.startsWith('sync-password'))!;
    expect(fs.readFileSync(path.join(dataDir, 'secrets', file)).toString('utf8')).not.toContain('given-now-123');
  });

  it('says the day\'s follow-ups when the user signs in, as a notification of this process', async () => {
    const found = await engine.host.authenticate('north', 'admin', 'S3cret-pass');
    await engine.host.signedIn({ tenantId: 'north', userId: found!.user.id, version: found!.version });
    await vi.waitFor(() => expect(notes).toEqual([{ title: 'Follow-ups for today', body: '1 due today.' }]));
    await engine.host.signedOut();
  });
});
