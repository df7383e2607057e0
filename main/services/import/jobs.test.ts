import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTenant, refusal } from '../../../test/tenantFixture.js';
import { importStatus, startImport } from './jobs.js';

// Imports run in the background and polled for their progress.

let t: ReturnType<typeof makeTenant>;
beforeAll(() => (t = makeTenant()));
afterAll(() => t.close());

const file = (n: number) => ({
  file_name: 'walk-ins.csv',
  data_base64: Buffer.from(`Name,Mobile\n${Array.from({ length: n }, (_, i) => `Walk-in ${i},98450${String(20000 + i)}`).join('\n')}\n`).toString('base64'),
});

describe('import jobs', () => {
  it('starts an import, reports its progress, and holds the tenant until its last lead is written', async () => {
    const { job_id } = startImport(t.ctx, file(12_000));
    const second = refusal(() => startImport(t.ctx, file(1)));
    expect([second.code, second.message]).toEqual(['conflict', 'an import is already running in this tenant (the import of walk-ins.csv): try again when it finishes']);
    let status = importStatus(t.ctx, { job_id });
    while (status.state === 'running') {
      await new Promise((r) => setTimeout(r, 20));
      status = importStatus(t.ctx, { job_id });
    }
    expect(status).toMatchObject({ state: 'done', done: 12_000, total: 12_000, result: { created: 12_000, merged: 0, skipped: 0, error_rows: 0 }, error: null });
    expect(t.ctx.db.prepare('SELECT count(*) FROM sales_leads').pluck().get()).toBe(12_000);
    // The tenant is free again.
    expect(startImport(t.ctx, file(1))).toHaveProperty('job_id');
  });

  it('answers 404 for a job it does not know', () => {
    expect(refusal(() => importStatus(t.ctx, { job_id: 'no-such-job' })).details).toEqual([{ field: 'job_id', message: 'no such import' }]);
  });
});
