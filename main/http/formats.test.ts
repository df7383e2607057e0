import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApi } from '../../test/apiFixture.js';

// What a request asks for beside its input: the answer's format and the copy a change is
// based on. A value that means nothing is refused naming it, never silently ignored.

let api: Awaited<ReturnType<typeof makeApi>>;
let h: Record<string, string>;
beforeAll(async () => {
  api = await makeApi();
  h = await api.login();
});
afterAll(() => api.close());

describe('formats and versions asked for', () => {
  it('answers a report as json, csv or xlsx, and refuses any other format, or a format on a route that is no report', async () => {
    expect((await api.request('GET', '/api/v1/sales/reports/funnel?format=json', { headers: h })).status).toBe(200);
    expect((await api.request('GET', '/api/v1/sales/reports/funnel?format=csv', { headers: h })).headers['content-type']).toBe('text/csv; charset=utf-8');
    const pdf = await api.request('GET', '/api/v1/sales/reports/funnel?format=pdf', { headers: h });
    expect([pdf.status, pdf.body.error.details]).toEqual([422, [{ field: 'format', message: 'must be json, csv or xlsx' }]]);
    const list = await api.request('GET', '/api/v1/sales/leads?format=csv', { headers: h });
    expect([list.status, list.body.error.details[0].field]).toEqual([422, 'format']);
  });

  it('refuses an If-Match that is no version of the record, naming it, and changes nothing', async () => {
    const lead = (await api.request('POST', '/api/v1/sales/leads', { body: { name: 'Kavya Rao' }, headers: h })).body.data;
    const bad = await api.request('PATCH', `/api/v1/sales/leads/${lead.id}`, { body: { notes: 'not saved' }, headers: { ...h, 'If-Match': 'garbage' } });
    expect([bad.status, bad.body.error.details]).toEqual([422, [{ field: 'If-Match', message: 'must be the ETag the record was read with' }]]);
    const read = await api.request('GET', `/api/v1/sales/leads/${lead.id}`, { headers: h });
    expect(read.body.data.notes).toBeNull();
    // Its own ETag is taken, weak or strong.
    const ok = await api.request('PATCH', `/api/v1/sales/leads/${lead.id}`, { body: { notes: 'saved' }, headers: { ...h, 'If-Match': `W/${String(read.headers.etag)}` } });
    expect([ok.status, ok.body.data.notes]).toEqual([200, 'saved']);
  });
});
