import { describe, expect, it } from 'vitest';
import { useApi } from '../../test/apiFixture.js';
import { leadRows, xlsxOf } from '../../test/zip.js';

// Import files over HTTP — read one at a time per tenant, a third arriving
// while two are in hand refused before its body is read; a refused file names its cap.

const served = useApi();

const S = '/api/v1/sales';
const file = { file_name: 'leads.xlsx', data_base64: xlsxOf(leadRows(20_000)).toString('base64') };

describe('import files over HTTP', () => {
  it('previews of one tenant take turns; a third meanwhile is 409 naming the one running, and nothing is written', async () => {
    const before = served.api.counts();
    const answers = await Promise.all([0, 1, 2].map(() => served.api.request('POST', `${S}/imports/leads/preview`, { body: file, headers: served.h })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 409]);
    const refused = answers.find((a) => a.status === 409)!;
    expect(refused.body.error).toMatchObject({ code: 'conflict', message: 'an import is already running in this tenant (a preview, with another waiting): try again when it finishes' });
    expect(answers.filter((a) => a.status === 200).map((a) => a.body.data.total_rows)).toEqual([20_000, 20_000]);
    expect(served.api.counts()).toEqual(before);
    // Once they are done the next one is read.
    expect((await served.api.request('POST', `${S}/imports/leads/preview`, { body: file, headers: served.h })).status).toBe(200);
  }, 60_000);

  it('a file past a cap is 422 naming it; a rep asking to import hears 403 first', async () => {
    const wide = { file_name: 'wide.csv', data_base64: Buffer.from(`${'a,'.repeat(500)}a\n1\n`).toString('base64') };
    const res = await served.api.request('POST', `${S}/imports/leads/preview`, { body: wide, headers: served.h });
    expect([res.status, res.body.error.details]).toEqual([422, [{ field: 'data_base64', message: 'has 501 columns on line 1: at most 200 are read' }]]);
    const rep = await served.api.request('POST', `${S}/imports/leads/preview`, { body: wide, headers: await served.api.login('rep') });
    expect([rep.status, rep.body.error.details[0].field]).toEqual([403, 'role']);
  });
});
