import { describe, expect, it } from 'vitest';
import { useApi } from '../../test/apiFixture.js';

// What a request asks for beside its input: the answer's format and the copy a change is
// based on. A value that means nothing is refused naming it, never silently ignored.

const made = useApi();

describe('formats and versions asked for', () => {
  it('answers a report as json, csv or xlsx, and refuses any other format, or a format on a route that is no report', async () => {
    expect((await made.api.request('GET', '/api/v1/sales/reports/funnel?format=json', { headers: made.h })).status).toBe(200);
    expect((await made.api.request('GET', '/api/v1/sales/reports/funnel?format=csv', { headers: made.h })).headers['content-type']).toBe('text/csv; charset=utf-8');
    const pdf = await made.api.request('GET', '/api/v1/sales/reports/funnel?format=pdf', { headers: made.h });
    expect([pdf.status, pdf.body.error.details]).toEqual([422, [{ field: 'format', message: 'must be json, csv or xlsx' }]]);
    const list = await made.api.request('GET', '/api/v1/sales/leads?format=csv', { headers: made.h });
    expect([list.status, list.body.error.details[0].field]).toEqual([422, 'format']);
  });

  it('refuses an If-Match that is no version of the record, naming it, and changes nothing', async () => {
    const lead = (await made.api.request('POST', '/api/v1/sales/leads', { body: { name: 'Kavya Rao' }, headers: made.h })).body.data;
    const bad = await made.api.request('PATCH', `/api/v1/sales/leads/${lead.id}`, { body: { notes: 'not saved' }, headers: { ...made.h, 'If-Match': 'garbage' } });
    expect([bad.status, bad.body.error.details]).toEqual([422, [{ field: 'If-Match', message: 'must be the ETag the record was read with' }]]);
    const read = await made.api.request('GET', `/api/v1/sales/leads/${lead.id}`, { headers: made.h });
    expect(read.body.data.notes).toBeNull();
    // Its own ETag is taken, weak or strong.
    const ok = await made.api.request('PATCH', `/api/v1/sales/leads/${lead.id}`, { body: { notes: 'saved' }, headers: { ...made.h, 'If-Match': `W/${String(read.headers.etag)}` } });
    expect([ok.status, ok.body.data.notes]).toEqual([200, 'saved']);
  });

  it('refuses an expected_updated_at that is no version, naming it; a change of nothing writes nothing', async () => {
    const lead = (await made.api.request('POST', '/api/v1/sales/leads', { body: { name: 'Ira Sen' }, headers: made.h })).body.data;
    const bad = await made.api.request('PATCH', `/api/v1/sales/leads/${lead.id}`, { body: { notes: 'x', expected_updated_at: 'yesterday' }, headers: made.h });
    expect([bad.status, bad.body.error.details[0].field]).toEqual([422, 'expected_updated_at']);
    // An empty change keeps the lead's version: another's copy does not go stale.
    const same = await made.api.request('PATCH', `/api/v1/sales/leads/${lead.id}`, { body: {}, headers: made.h });
    expect([same.status, same.body.data.updated_at]).toEqual([200, lead.updated_at]);
    const theirs = await made.api.request('PATCH', `/api/v1/sales/leads/${lead.id}`, { body: { notes: 'theirs', expected_updated_at: lead.updated_at }, headers: made.h });
    expect([theirs.status, theirs.body.data.notes]).toEqual([200, 'theirs']);
  });

  it('refuses a list filter that can never match (a status no lead can have), naming it', async () => {
    const odd = await made.api.request('GET', '/api/v1/sales/leads?status=weird', { headers: made.h });
    expect([odd.status, odd.body.error.details[0].field]).toEqual([422, 'status']);
    const booking = await made.api.request('GET', '/api/v1/sales/bookings?status=weird', { headers: made.h });
    expect([booking.status, booking.body.error.details[0].field]).toEqual([422, 'status']);
    expect((await made.api.request('GET', '/api/v1/sales/leads?status=qualified', { headers: made.h })).status).toBe(200);
  });

  it('answers a report of one record by its code as xlsx as it does as json and csv', async () => {
    const lead = (await made.api.request('POST', '/api/v1/sales/leads', { body: { name: 'Dev Patel', lead_code: 'LD-770001' }, headers: made.h })).body.data;
    for (const format of ['json', 'csv', 'xlsx']) {
      const byCode = await made.api.request('GET', `/api/v1/sales/reports/milestone-timeline/LD-770001?format=${format}`, { headers: made.h });
      const byId = await made.api.request('GET', `/api/v1/sales/reports/milestone-timeline/${lead.id as string}?format=${format}`, { headers: made.h });
      expect([byCode.status, byCode.headers['content-type']], format).toEqual([200, byId.headers['content-type']]);
    }
  });
});
