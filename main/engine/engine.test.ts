import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.js';
import { customerService } from '../services/customers.js';
import { createLedgerEntry } from '../services/ledger.js';
import { createTenant } from '../services/tenantSetup.js';
import { addUser, updateUser } from '../services/users.js';
import { TenantManager } from '../tenants.js';
import { tempDir } from '../../test/tenantFixture.js';
import { Engine, type EngineReply } from './engine.js';
import { inlineEngine, workerPool, type EngineHost, type EnginePool } from './host.js';

// The engine behind both transports: the same calls answer the same in this
// thread and from a worker per tenant, errors included; a caller is checked against
// their account on every call; a tenant's engine is its own.

let dataDir: string;
let pool: EnginePool;
let engines: [string, EngineHost][];

beforeAll(() => {
  dataDir = tempDir('milepost-engine-');
  const manager = new TenantManager(dataDir);
  for (const tenant_id of ['north', 'south']) createTenant(manager, { tenant_id, name: tenant_id, admin_username: 'admin', admin_password: 'S3cret-pass', timezone: 'Asia/Kolkata' });
  const ctx = manager.context('north', null);
  addUser(ctx, { username: 'ravi', password: 'ravi-pass-1', role: 'sales_rep' }).id;
  customerService.create(ctx, { id: 'cust-1', customer_code: 'CUS-1', name: 'Meera Iyer' });
  createLedgerEntry(ctx, { customer_id: 'cust-1', transaction_type: 'invoice', debit_amount: 150000.5, transaction_date: '2026-11-02' });
  manager.closeAll();
  pool = workerPool({ dataDir });
  engines = [['in this thread', inlineEngine(new Engine(new TenantManager(dataDir)))], ['in a worker per tenant', pool.host]];
});
afterAll(async () => {
  for (const [, engine] of engines) await engine.close();
});

const admin = async (engine: EngineHost, tenantId = 'north') => {
  const found = await engine.authenticate(tenantId, 'admin', 'S3cret-pass');
  return { tenantId, userId: found!.user.id, version: found!.version };
};
/** A JSON reply as the transport sends it: its status, its answer, its version. */
const json = (reply: EngineReply) => {
  expect(reply.kind).toBe('json');
  const r = reply as Extract<EngineReply, { kind: 'json' }>;
  return { status: r.status, data: (JSON.parse(Buffer.from(r.body).toString('utf8')) as { data: any }).data, etag: r.etag }; // eslint-disable-line @typescript-eslint/no-explicit-any
};
const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
};

describe.each(['in this thread', 'in a worker per tenant'])('the engine %s', (where) => {
  const engine = () => engines.find(([name]) => name === where)![1];

  it('checks a password in the tenant and says nothing of which part was wrong', async () => {
    expect(await engine().authenticate('north', 'admin', 'S3cret-pass')).toMatchObject({ user: { username: 'admin', role: 'admin' }, version: 0 });
    expect(await engine().authenticate('north', 'admin', 'wrong')).toBeNull();
    expect(await engine().authenticate('nowhere', 'admin', 'S3cret-pass')).toBeNull();
    expect(await engine().authenticate('../etc', 'admin', 'S3cret-pass')).toBeNull();
  });

  it('answers a route as JSON with its status and version, a report as CSV, a document as its bytes, and /rpc as JSON always', async () => {
    const who = await admin(engine());
    const created = json(await engine().respond(who, { op: 'leads.create', input: { name: 'Kavya Rao', lead_date: '2026-11-20' } }));
    expect(created).toMatchObject({ status: 201, data: { name: 'Kavya Rao', status: 'new' } });
    const read = json(await engine().respond(who, { op: 'leads.get', input: { id: created.data.id }, byId: true }));
    expect(read).toMatchObject({ status: 200, data: { id: created.data.id }, etag: `"${created.data.updated_at}"` });
    const ledger = json(await engine().respond(who, { op: 'ledger.customer', input: { customer_id: 'CUS-1' } }));
    expect(ledger).toMatchObject({ status: 200, data: { summary: { total_invoiced: 150000.5, outstanding_balance: 150000.5 } } });
    const csv = await engine().respond(who, { op: 'reports.customerLedger', input: { customer_id: 'cust-1' }, format: 'csv' });
    expect(csv).toMatchObject({ kind: 'file', contentType: 'text/csv; charset=utf-8' });
    expect(String((csv as { body: string }).body)).toContain('150000.50');
    const pdf = await engine().respond(who, { op: 'documents.statement', input: { customer_id: 'cust-1' } });
    expect(pdf).toMatchObject({ kind: 'file', contentType: 'application/pdf', fileName: expect.stringMatching(/^statement-CUS-1.*\.pdf$/) });
    expect(Buffer.from((pdf as { body: Uint8Array }).body).subarray(0, 5).toString()).toBe('%PDF-');
    // The app's own transport takes the document as JSON, its bytes in base64.
    const viaRpc = json(await engine().respond(who, { op: 'documents.statement', input: { customer_id: 'cust-1' }, rpc: true }));
    expect(viaRpc).toMatchObject({ status: 200, data: { content_type: 'application/pdf', data_base64: expect.stringMatching(/^JVBERi0/) } });
  });

  it('sends a refusal across as the same error: code, message, fields and extra facts', async () => {
    const who = await admin(engine());
    const bad = await refusal(engine().run(who, 'engagements.create', { lead_id: 'x', engagement_type: 'fax_sent', engagement_channel: 'phone' }));
    expect(bad.code).toBe('validation_failed');
    expect(bad.details.map((d) => d.field)).toContain('engagement_type');
    const lead = (await engine().run(who, 'leads.create', { name: 'Stale copy' })) as { id: string; updated_at: string };
    await engine().run(who, 'leads.update', { id: lead.id, notes: 'changed first' });
    const stale = await refusal(engine().run(who, 'leads.update', { id: lead.id, notes: 'changed second', expected_updated_at: lead.updated_at }));
    expect([stale.code, stale.details[0]?.field]).toEqual(['conflict', 'expected_updated_at']);
    expect(stale.extra.current).toMatchObject({ id: lead.id, notes: 'changed first' });
    expect((await refusal(engine().run(who, 'no.such', {}))).code).toBe('not_found');
  });

  it('holds each caller to their account as it is now and to their own tenant', async () => {
    const found = await engine().authenticate('north', 'ravi', 'ravi-pass-1');
    const ravi = { tenantId: 'north', userId: found!.user.id, version: found!.version };
    expect(await engine().run(ravi, 'session.me', {})).toMatchObject({ user: { username: 'ravi', role: 'sales_rep' } });
    expect((await refusal(engine().run(ravi, 'users.add', { username: 'eve', password: 'long-enough-1', role: 'admin' }))).code).toBe('forbidden');
    // Their id in another tenant is nobody there.
    expect((await refusal(engine().run({ ...ravi, tenantId: 'south' }, 'leads.list', {}))).code).toBe('unauthorized');
    expect((await refusal(engine().run({ ...ravi, tenantId: 'gone' }, 'leads.list', {}))).code).toBe('unauthorized');
  });

  it('imports only for a role that may, and only one at a time in a tenant', async () => {
    const who = await admin(engine());
    expect(await engine().importRoom(who, 'imports.preview')).toEqual({ readingFull: false });
    const found = await engine().authenticate('north', 'ravi', 'ravi-pass-1');
    const ravi = { tenantId: 'north', userId: found!.user.id, version: found!.version };
    expect((await refusal(engine().importRoom(ravi, 'imports.start'))).code).toBe('forbidden');
    // Each engine imports its own callers (both serve the same data folder).
    const rows = Array.from({ length: 3000 }, (_, n) => `Visitor ${n},9845${where.length % 10}${String(10000 + n)}`).join('\n');
    const file = { file_name: 'expo.csv', data_base64: Buffer.from(`Name,Mobile\n${rows}\n`).toString('base64') };
    const job = (await engine().run(who, 'imports.start', file)) as { job_id: string };
    const busy = await refusal(engine().importRoom(who, 'imports.start'));
    expect([busy.code, busy.message]).toEqual(['conflict', 'an import is already running in this tenant (the import of expo.csv): try again when it finishes']);
    for (let tries = 0; tries < 200; tries += 1) {
      const status = (await engine().run(who, 'imports.status', job)) as { state: string; result: { created: number } | null };
      if (status.state !== 'running') {
        expect(status).toMatchObject({ state: 'done', result: { created: 3000 } });
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await engine().importRoom(who, 'imports.start')).toEqual({ readingFull: false });
  });
});

describe('the worker pool', () => {
  it('gives each tenant of the data folder an engine of its own, and every other name one shared engine', async () => {
    const before = pool.size;
    await pool.host.authenticate('south', 'admin', 'S3cret-pass');
    await pool.host.authenticate('nowhere', 'admin', 'x');
    await pool.host.authenticate('nowhere-else', 'admin', 'x');
    await pool.host.authenticate('north', 'admin', 'x');
    expect(pool.size).toBe(3);
    expect(before).toBeLessThanOrEqual(3);
  });

  it('ends a session at once when the account changes, in the worker as in this thread', async () => {
    const manager = new TenantManager(dataDir);
    const ctx = manager.context('south', null);
    const u = addUser(ctx, { username: 'desk', password: 'desk-pass-1', role: 'manager' });
    const found = await pool.host.authenticate('south', 'desk', 'desk-pass-1');
    const who = { tenantId: 'south', userId: found!.user.id, version: found!.version };
    expect(await pool.host.run(who, 'session.me', {})).toMatchObject({ user: { role: 'manager' } });
    updateUser(ctx, u.id, { role: 'sales_rep' });
    const ended = await refusal(pool.host.run(who, 'session.me', {}));
    expect([ended.code, ended.message]).toEqual(['unauthorized', 'your account was changed: sign in again']);
    manager.closeAll();
  });

  it('answers 503 for calls an engine was answering when it stopped, and starts it again on the next call', async () => {
    const who = await admin(pool.host, 'south');
    // The tenant's engine ends (as a crash would) with a call on its way.
    (pool as unknown as { engines: Map<string, { port: { kill(): void } }> }).engines.get('south')!.port.kill();
    const err = await refusal(pool.host.run(who, 'leads.list', {}));
    expect([err.code, err.extra.retry_after_s]).toEqual(['unavailable', 1]);
    expect(await pool.host.run(who, 'leads.list', {})).toMatchObject({ items: [] });
  });
});
