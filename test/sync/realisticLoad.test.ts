import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../tenantFixture.js';
import { seededRandom } from '../../main/demo/random.js';
import { device, onDevice, serve, milepost } from '../syncHarness.js';
import { addTenant, AS_OF, converged, sync, syncToQuiet, useCentralServer, tenantOn, demoOn } from './realisticSuite.js';

// Under load: syncs killed at random moments, two at once, and a big import.

useCentralServer();

describe('sync interrupted and doubled', () => {
  it('milepost sync killed with SIGKILL at 20 random moments, then synced to quiet: nothing lost, nothing doubled', async () => {
    const [k, m] = [device('killed'), device('watcher')];
    await demoOn(k, 'killed', 'Killed', 1500, 21);
    const url = await addTenant('killed');
    const rng = seededRandom(2026);
    const kills: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const after = rng.int(150, 3500);
      const r = await milepost(['sync', '--tenant', 'killed', '--pg', url, '--pull-page', '300'], { dataDir: k.dataDir, killAfterMs: after });
      kills.push(`${after} ms: ${r.signal ?? `exit ${r.code}`}`);
      if (r.code !== null && r.code !== 0) throw new Error(`sync failed (not killed) after ${after} ms: ${r.stderr}`);
      if (i === 10) {
        // Someone edits on the laptop between two cut syncs.
        const app = await serve(k, 'killed', 'admin', 'S3cret-pass');
        await app.op('leads.create', { name: 'Made between two cut syncs', lead_date: AS_OF });
        await app.stop();
      }
    }
    expect(kills.filter((x) => x.includes('SIGKILL')).length, kills.join('\n')).toBeGreaterThan(5);
    await syncToQuiet('killed', url, [k, m]);
    expect(onDevice(m, 'killed', (db) => db.prepare("SELECT count(*) AS n FROM sales_leads WHERE name = 'Made between two cut syncs'").get())).toEqual({ n: 1 });
    await converged('killed', [k, m], [{ username: 'admin', password: 'S3cret-pass' }]);
  }, 900_000);

  it('two syncs of one laptop at once: the second waits for the first, both succeed', async () => {
    const [d, other] = [device('twice-at-once'), device('twice-other')];
    await demoOn(d, 'atonce', 'At once', 800, 9);
    const url = await addTenant('atonce');
    const [one, two] = await Promise.all([d.run('sync', '--tenant', 'atonce', '--pg', url), d.run('sync', '--tenant', 'atonce', '--pg', url)]);
    expect([one.code, two.code], `${one.stderr}\n${two.stderr}`).toEqual([0, 0]);
    expect(`${one.stderr}${two.stderr}`).toMatch(/waiting for another sync of this tenant to end/);
    expect(`${one.stdout}${two.stdout}`).not.toMatch(/locked/);
    await sync(other, 'atonce', url);
    await syncToQuiet('atonce', url, [d, other]);
    await converged('atonce', [d, other], [{ username: 'admin', password: 'S3cret-pass' }]);
  }, 600_000);
});

describe('a big import', () => {
  it('a 5,000-lead import pushed in one sync and built into a new laptop', async () => {
    const [d, fresh] = [device('importer'), device('import-fresh')];
    await tenantOn(d, 'imported', 'Imported', '--timezone', 'Asia/Kolkata');
    const file = path.join(tempDir(), 'leads.csv');
    const lines = ['Name,Phone,Email,Company,Lead date,Notes'];
    for (let i = 0; i < 5000; i += 1) lines.push(`Lead ${i},+91 98${String(10000000 + i).slice(-8)},lead${i}@example.com,Company ${i % 97},2026-${String(1 + (i % 10)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},"imported, row ${i}"`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const imported = await d.ok('import', 'leads', '--tenant', 'imported', '--file', file, '--yes');
    expect(imported.stdout).toMatch(/imported: created 5000/);
    const url = await addTenant('imported');
    const started = performance.now();
    const pushed = await sync(d, 'imported', url);
    const seconds = (performance.now() - started) / 1000;
    expect(pushed.stdout).toMatch(/pulled 0, conflicts 0, still pending 0/);
    process.stderr.write(`a 5,000-lead import pushed in ${seconds.toFixed(1)} s (process start included)\n`);
    await sync(fresh, 'imported', url);
    await converged('imported', [d, fresh], [{ username: 'admin', password: 'S3cret-pass' }]);
  }, 600_000);
});
