import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildServer } from '../main/http/server.js';
import { Sessions } from '../main/api/session.js';
import { Engine } from '../main/engine/engine.js';
import { inlineEngine } from '../main/engine/host.js';
import { createTenant } from '../main/services/tenantSetup.js';
import { addUser } from '../main/services/users.js';
import { TenantManager } from '../main/tenants.js';
import { tempDir } from './tenantFixture.js';

export interface ApiResponse {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
  /** The body's bytes (a PDF). */
  raw: Buffer;
  headers: Record<string, unknown>;
}

/**
 * Tenants t1 (admin, manager, rep) and t2 (admin) behind the real HTTP adapter,
 * driven in-process through Fastify's inject (no socket). Every route called is
 * remembered, so a test can prove each route of SPEC §6 was exercised.
 */
export async function makeApi() {
  const dataDir = tempDir('milepost-api-');
  const manager = new TenantManager(dataDir);
  for (const tenant_id of ['t1', 't2']) {
    createTenant(manager, { tenant_id, name: `Tenant ${tenant_id}`, admin_username: 'admin', admin_password: 'S3cret-pass', timezone: 'Asia/Kolkata' });
  }
  const ctx = manager.context('t1', null);
  addUser(ctx, { username: 'manager', password: 'manager-pass', role: 'manager' });
  addUser(ctx, { username: 'rep', password: 'rep-pass-1', role: 'sales_rep' });
  // No real sleeping in tests: the throttle's delay is recorded instead.
  const delays: number[] = [];
  // The engine on this thread (the worker pool of `serve` is driven by serve.test.ts and the browser tests).
  const engine = inlineEngine(new Engine(manager));
  const sessions = new Sessions(engine, dataDir, async (ms) => void delays.push(ms));
  const app: FastifyInstance = buildServer(engine, sessions);
  const called = new Set<string>();
  app.addHook('onRequest', async (req) => {
    const pattern = req.routeOptions.url;
    if (pattern) called.add(`${req.method} ${pattern}`);
  });
  await app.ready();

  async function request(method: string, url: string, opts: { body?: unknown; headers?: Record<string, string>; raw?: string; from?: string } = {}): Promise<ApiResponse> {
    const res = await app.inject({
      method: method as 'GET',
      url,
      ...(opts.from ? { remoteAddress: opts.from } : {}),
      headers: { ...(opts.body !== undefined || opts.raw !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      payload: opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
    });
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch {
      body = undefined;
    }
    return { status: res.statusCode, body, text: res.body, raw: res.rawPayload, headers: res.headers };
  }

  async function login(username = 'admin', tenant_id = 't1', password?: string) {
    const pw = password ?? { admin: 'S3cret-pass', manager: 'manager-pass', rep: 'rep-pass-1' }[username] ?? '';
    const res = await request('POST', '/api/v1/auth/login', { body: { tenant_id, username, password: pw } });
    if (res.status !== 200) throw new Error(`login failed: ${res.text}`);
    return { Authorization: `Bearer ${res.body.data.token as string}`, 'X-Tenant-ID': tenant_id };
  }

  /** Row counts of every table of a tenant. */
  function counts(tenant = 't1'): Record<string, number> {
    const db = manager.get(tenant).db;
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
  }

  return { app, manager, engine, sessions, dataDir, request, login, counts, called, delays, close: async () => { await app.close(); manager.closeAll(); } };
}

/** The API for the tests of one file and the admin's headers: made before them, closed after. */
export function useApi(): { api: Awaited<ReturnType<typeof makeApi>>; h: Record<string, string> } {
  const made = {} as { api: Awaited<ReturnType<typeof makeApi>>; h: Record<string, string> };
  beforeAll(async () => {
    made.api = await makeApi();
    made.h = await made.api.login();
  });
  afterAll(() => made.api.close());
  return made;
}
