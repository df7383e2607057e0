import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { tempDir } from '../../test/tenantFixture.js';
import { seedBooking, seedCampaign, seedCustomer, seedEngagement, seedLead, seedLedger, seedMilestone } from '../../test/seedBodies.js';

const repo = path.resolve(import.meta.dirname, '../..');
const quiet = { write: () => true };

describe('milepost serve', () => {
  it("serves the seed's requests over real HTTP on port 0 and shuts down cleanly on SIGTERM", async () => {
    const dir = tempDir();
    expect(await main(['tenant', 'create', '--data-dir', dir, '--tenant', 'tenant-1', '--name', 'Tenant One', '--admin', 'admin', '--password', 'S3cret-pass'], quiet, quiet)).toBe(0);
    const child = spawn(process.execPath, ['bin/milepost.js', 'serve', '--data-dir', dir, '--port', '0'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += String(d);
          const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))\n.*\n/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${String(code)}: ${stderr}`)));
      });
      expect(Number(new URL(url).port)).toBeGreaterThan(0);
      // Which data it serves, so a sign-in refused for a tenant of another folder can be told apart.
      expect(out.split('\n')[1]).toBe(`data folder ${dir}: tenants tenant-1`);

      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant_id: 'tenant-1', username: 'admin', password: 'S3cret-pass' }),
      });
      expect(login.status).toBe(200);
      const { data } = (await login.json()) as { data: { token: string; expires_at: string } };
      const hoursLeft = (Date.parse(data.expires_at) - Date.now()) / 3_600_000;
      expect(hoursLeft).toBeGreaterThan(11.9);
      expect(hoursLeft).toBeLessThanOrEqual(12);
      // The seed's curl examples, with only the token and tenant header added.
      const headers = { 'Content-Type': 'application/json', 'X-Tenant-ID': 'tenant-1', Authorization: `Bearer ${data.token}` };
      const post = (p: string, body: unknown) => fetch(`${url}/api/v1/sales/${p}`, { method: 'POST', headers, body: JSON.stringify(body) });
      for (const [p, body] of [
        ['leads', seedLead], ['customers', seedCustomer], ['milestones/lead', seedMilestone], ['engagement', seedEngagement], ['bookings', seedBooking],
        ['campaigns', seedCampaign], ...seedLedger.map((b) => ['ledger', b] as const),
      ] as const) {
        const res = await post(p, body);
        expect(res.status, `${p}: ${await res.clone().text()}`).toBe(201);
      }
      const ledger = await fetch(`${url}/api/v1/sales/ledger/cust-123`, { headers });
      const summary = ((await ledger.json()) as { data: { summary: Record<string, number> } }).data.summary;
      expect(summary).toMatchObject({ total_invoiced: 100000, total_paid: 75000, total_credit_notes: 25000, outstanding_balance: 0 });
    } finally {
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code, stderr).toBe(0);
    }
    // Closed cleanly: the WAL was checkpointed and removed.
    expect(fs.readdirSync(path.join(dir, 'tenants'))).toEqual(['tenant-1.sqlite']);
    expect((fs.statSync(path.join(dir, 'secrets', 'jwt.key')).mode & 0o777).toString(8)).toBe('600');
  });
});

describe('the Host a request names (issue 17)', () => {
  it('answers only requests naming the server as bound, or localhost — not a rebound DNS name', async () => {
    const http = await import('node:http');
    const { startServer } = await import('./server.js');
    const { TenantManager } = await import('../tenants.js');
    const server = await startServer(new TenantManager(tempDir()), { host: '127.0.0.1', port: 0 });
    const port = Number(new URL(server.url).port);
    const ask = (host: string) => new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/api/v1/sync/status', headers: { Host: host } }, (res) => (res.resume(), resolve(res.statusCode!)));
      req.on('error', reject);
      req.end();
    });
    try {
      // Not signed in: 401 means the request got through to the API; 403 that its Host was refused.
      expect(await ask(`127.0.0.1:${port}`)).toBe(401);
      expect(await ask(`localhost:${port}`)).toBe(401);
      expect(await ask(`evil.example:${port}`)).toBe(403);
      expect(await ask(`localhost:${port + 1}`)).toBe(403);
    } finally {
      await server.close();
    }
  });
});
