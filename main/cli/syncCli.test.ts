import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type RunningPostgres } from '../../test/postgres.js';
import { tempDir } from '../../test/tenantFixture.js';
import { main } from './main.js';

// SPEC §8 from the command line: head office sets up the server and a tenant's login;
// a branch laptop syncs; a new laptop is made from the server; head office exports a
// report from the central database that equals the laptop's.

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { write: (s: string) => (stdout += s) }, { write: (s: string) => (stderr += s) });
  return { code, stdout, stderr };
}

let server: RunningPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe('milepost server / sync / export --pg', () => {
  it('goes from an empty Postgres to reports over a synced branch', async () => {
    const admin = server.url();
    const init = await cli('server', 'init', '--pg', admin);
    expect(init.stdout).toMatch(/created the Milepost schema/);
    const again = await cli('server', 'init', '--pg', admin);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has the Milepost schema/);

    const added = await cli('server', 'add-tenant', '--pg', admin, '--tenant', 'branch', '--password', 'branch-secret-1', '--name', 'Branch');
    expect(added.code).toBe(0);
    const url = /devices connect with: (\S+)/.exec(added.stdout)![1]!;
    expect(url).toContain('milepost_t_branch:branch-secret-1@');
    const short = await cli('server', 'add-tenant', '--pg', admin, '--tenant', 'other', '--password', 'short');
    expect(short.code).toBe(2); // a validation error
    expect(short.stderr).toMatch(/password/);

    const laptop = tempDir();
    await cli('tenant', 'create', '--data-dir', laptop, '--tenant', 'branch', '--name', 'Branch', '--admin', 'admin', '--password', 'S3cret-pass');
    await cli('demo', '--data-dir', laptop, '--tenant', 'branch', '--leads', '40', '--today', '2025-11-25');
    const sync = await cli('sync', '--data-dir', laptop, '--tenant', 'branch', '--pg', url);
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/synced tenant branch: pushed \d+, pulled \d+, conflicts 0, still pending 0/);

    const newLaptop = tempDir();
    const boot = await cli('sync', '--data-dir', newLaptop, '--tenant', 'branch', '--pg', url);
    expect(boot.stdout).toMatch(/pushed 0, pulled [1-9]\d*/);

    const out = tempDir();
    for (const name of ['funnel', 'bookings', 'customer-ledger', 'dashboard']) {
      const local = path.join(out, `${name}-local.csv`);
      const onServer = path.join(out, `${name}-server.csv`);
      const fromNew = path.join(out, `${name}-new.csv`);
      expect((await cli('export', name, '--data-dir', laptop, '--tenant', 'branch', '--as-of', '2025-11-25', '--out', local)).code).toBe(0);
      expect((await cli('export', name, '--data-dir', newLaptop, '--tenant', 'branch', '--as-of', '2025-11-25', '--out', fromNew)).code).toBe(0);
      const central = await cli('export', name, '--tenant', 'branch', '--as-of', '2025-11-25', '--out', onServer, '--pg', admin);
      expect(central.stdout).toContain('from the central database');
      expect(fs.readFileSync(onServer, 'utf8'), name).toBe(fs.readFileSync(local, 'utf8'));
      expect(fs.readFileSync(fromNew, 'utf8'), name).toBe(fs.readFileSync(local, 'utf8'));
    }
    // A device login cannot export another tenant's report.
    const other = await cli('export', 'funnel', '--tenant', 'someone-else', '--out', path.join(out, 'x.csv'), '--pg', url);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/belongs to tenant 'branch'/);
  }, 180_000);
});
