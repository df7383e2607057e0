import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApi } from '../../test/apiFixture.js';
import { reportOperations } from '../api/operations.js';
import { routes } from './routes.js';
import { unguardFormula } from '../csv/csvWriter.js';
import { e164 } from '../domain/phone.js';
import { reports } from '../services/reports.js';

// Every route of SPEC §6 with the values it answers, in the order a branch uses them.
let api: Awaited<ReturnType<typeof makeApi>>;
let h: Record<string, string>;
beforeAll(async () => {
  api = await makeApi();
  h = await api.login();
});
afterAll(() => api.close());

const S = '/api/v1/sales';
const call = async (method: string, url: string, body?: unknown, expected = method === 'POST' ? 201 : 200) => {
  const res = await api.request(method, url, { body, headers: h });
  expect(res.status, `${method} ${url}: ${res.text}`).toBe(expected);
  return res.body.data;
};

describe('every route answers with the right values', () => {
  it('users, sources, campaigns, customers, inventory', async () => {
    const asha = await call('POST', '/api/v1/users', { username: 'asha', password: 'field-pass-1', role: 'sales_rep', display_name: 'Asha K' });
    expect(asha).toMatchObject({ username: 'asha', role: 'sales_rep', display_name: 'Asha K', active: true });
    expect(await call('PATCH', `/api/v1/users/${asha.id as string}`, { display_name: 'Asha Kumar' })).toMatchObject({ username: 'asha', display_name: 'Asha Kumar' });
    expect((await call('GET', '/api/v1/users')).items.map((u: { username: string }) => u.username)).toContain('asha');
    // Who a lead can be assigned to: active users, a name and a role each, nothing more.
    expect(await call('GET', '/api/v1/users/directory')).toEqual([
      { username: 'admin', display_name: 'admin', role: 'admin' }, { username: 'asha', display_name: 'Asha Kumar', role: 'sales_rep' },
      { username: 'manager', display_name: 'manager', role: 'manager' }, { username: 'rep', display_name: 'rep', role: 'sales_rep' },
    ]);
    expect(await call('PUT', '/api/v1/settings', { name: 'Tenant One Realty' })).toMatchObject({ name: 'Tenant One Realty', timezone: 'Asia/Kolkata' });
    expect(await call('GET', '/api/v1/settings')).toMatchObject({ name: 'Tenant One Realty', currency: 'INR' });

    expect(await call('POST', `${S}/lead-sources`, { id: 'src-web', source_name: 'Website', source_type: 'website', channel: 'Organic Search' }))
      .toMatchObject({ id: 'src-web', source_name: 'Website', is_active: true });
    expect((await call('GET', `${S}/lead-sources`)).items.map((s: { id: string }) => s.id)).toEqual(['src-web']);

    expect(await call('POST', `${S}/campaigns`, { id: 'cmp-1', campaign_code: 'C-1', campaign_name: 'Diwali', campaign_type: 'digital', budget: 1000.5 }))
      .toMatchObject({ campaign_code: 'C-1', budget: 1000.5, status: 'active' });
    expect(await call('PATCH', `${S}/campaigns/cmp-1`, { status: 'paused', budget: 2000 })).toMatchObject({ id: 'cmp-1', status: 'paused', budget: 2000 });
    expect((await call('GET', `${S}/campaigns?status=paused`)).items).toMatchObject([{ id: 'cmp-1', budget: 2000 }]);

    expect(await call('POST', `${S}/customers`, { id: 'cus-1', name: 'Meera Iyer', email: 'meera@example.com' }))
      .toMatchObject({ id: 'cus-1', name: 'Meera Iyer', customer_code: expect.stringMatching(/^CUS-[0-9A-F]{4}-000001$/) });
    expect((await call('GET', `${S}/customers?search=meera`)).items.map((c: { id: string }) => c.id)).toEqual(['cus-1']);
    expect(await call('GET', `${S}/customers/cus-1`)).toMatchObject({ email: 'meera@example.com' });
    // A change names the copy it is based on (SPEC §4): by If-Match with the ETag read, and a stale one is refused with the current record.
    const read = await api.request('GET', `${S}/customers/cus-1`, { headers: h });
    expect(read.headers.etag).toBe(`"${read.body.data.updated_at as string}"`);
    const fixed = await api.request('PATCH', `${S}/customers/cus-1`, { body: { phone: '+91 98450 12345' }, headers: { ...h, 'If-Match': read.headers.etag as string } });
    expect(fixed.status, fixed.text).toBe(200);
    const stale = await api.request('PATCH', `${S}/customers/cus-1`, { body: { address: 'MG Road' }, headers: { ...h, 'If-Match': read.headers.etag as string } });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'conflict', details: [{ field: 'expected_updated_at' }], current: { id: 'cus-1', address: null, updated_at: fixed.body.data.updated_at } });

    expect(await call('POST', `${S}/unit-inventory`, { project_name: 'Green Meadows', unit_type: '2BHK', total_units: 2 }))
      .toMatchObject({ project_name: 'Green Meadows', unit_type: '2BHK', total_units: 2 });
  });

  it('leads and their lifecycle', async () => {
    expect(await call('POST', `${S}/leads`, { id: 'lead-1', name: 'Kabir Rao', phone: '+91 98450 00001', source_id: 'src-web', campaign_id: 'cmp-1', lead_date: '2025-11-01' }))
      .toMatchObject({ id: 'lead-1', status: 'new', reached_rank: 0, lead_date: '2025-11-01' });
    await call('POST', `${S}/leads`, { id: 'lead-2', name: 'Tara Das', lead_date: '2025-11-02' });
    expect(await call('GET', `${S}/leads?search=kabir&limit=10`)).toMatchObject({ items: [{ id: 'lead-1' }], next_offset: null });
    expect(await call('GET', `${S}/leads?limit=1`)).toMatchObject({ items: [{ id: 'lead-2' }], next_offset: 1 });
    expect(await call('PATCH', `${S}/leads/lead-1`, { status: 'contacted', notes: 'Called back' })).toMatchObject({ status: 'contacted', reached_rank: 1, notes: 'Called back' });
    expect(await call('GET', `${S}/leads/lead-1`)).toMatchObject({ id: 'lead-1', status: 'contacted' });
    expect((await call('GET', `${S}/leads/lead-1/status-history`)).map((r: { to_status: string }) => r.to_status)).toEqual(['new', 'contacted']);
    expect(await call('DELETE', `${S}/leads/lead-2`)).toMatchObject({ id: 'lead-2', deleted_at: expect.any(String) });
    expect((await call('GET', `${S}/leads`)).items.map((l: { id: string }) => l.id)).toEqual(['lead-1']);
  });

  it('milestones, follow-ups and engagements', async () => {
    const visit = await call('POST', `${S}/milestones/lead`, {
      lead_id: 'lead-1', milestone_type: 'site_visit', milestone_date: '2025-11-05', milestone_time: '11:30', location_latitude: 12.9716,
      location_longitude: 77.5946, location_name: 'Green Meadows', visited_by: 'asha', duration_minutes: 45, outcome: 'positive',
      follow_up_date: '2025-11-07', metadata: { weather: 'rain' },
    });
    expect(visit).toMatchObject({ follow_up_required: true, location_latitude: 12.9716, metadata: { weather: 'rain' } });
    expect((await call('GET', `${S}/milestones/lead/lead-1`)).items.map((m: { milestone_type: string }) => m.milestone_type)).toEqual(['site_visit']);
    expect((await call('GET', `${S}/leads/lead-1`)).status).toBe('qualified');
    expect((await call('GET', `${S}/follow-ups?status=overdue&as_of=2025-11-08`)).items).toMatchObject([{ id: visit.id, lead_name: 'Kabir Rao', overdue: true }]);
    expect((await call('GET', `${S}/follow-ups?status=overdue&as_of=2025-11-07`)).items).toEqual([]);
    expect(await call('PATCH', `${S}/milestones/${visit.id as string}/follow-up`, { completed_at: '2025-11-07T10:00:00.000Z' }))
      .toMatchObject({ follow_up_completed_at: '2025-11-07T10:00:00.000Z' });
    expect((await call('GET', `${S}/follow-ups?status=pending`)).items).toEqual([]);

    const email = await call('POST', `${S}/engagement`, {
      lead_id: 'lead-1', engagement_type: 'email_sent', engagement_channel: 'email', engagement_date: '2025-11-03', subject: 'Price sheet',
    });
    expect(email).toMatchObject({ response_received: false, status: 'completed' });
    expect(await call('PATCH', `${S}/engagement/${email.id as string}/response`, { response_date: '2025-11-04', response_notes: 'Asked for a visit' }))
      .toMatchObject({ response_received: true, response_date: '2025-11-04', response_notes: 'Asked for a visit' });
    expect((await call('GET', `${S}/engagement/lead-1`)).items).toMatchObject([{ id: email.id, response_received: true }]);
  });

  it('booking a unit, bookings, cancelling', async () => {
    const booked = await call('POST', `${S}/leads/lead-1/book`, { booking_date: '2025-11-10', booking_amount: 6500000, project_name: 'Green Meadows', unit_type: '2BHK' });
    expect(booked).toMatchObject({
      customer_created: true,
      booking: { booking_amount: 6500000, units_available: 1, lead_id: 'lead-1' },
      milestone: { milestone_type: 'booking' },
      ledger_entry: { transaction_type: 'invoice', debit_amount: 6500000, balance_after: 6500000 },
    });
    expect((await call('GET', `${S}/leads/lead-1`)).status).toBe('converted');
    const direct = await call('POST', `${S}/bookings`, { customer_id: 'cus-1', booking_code: 'B-9', booking_date: '2025-11-12', booking_amount: 5900000, project_name: 'Green Meadows', unit_type: '2BHK' });
    expect(direct).toMatchObject({ booking_code: 'B-9', units_available: 0 });
    expect((await call('GET', `${S}/bookings?customer_id=cus-1`)).items).toMatchObject([{ booking_code: 'B-9', booking_amount: 5900000 }]);
    expect((await call('GET', `${S}/unit-inventory`)).items).toMatchObject([{ unit_type: '2BHK', total_units: 2, units_available: 0 }]);
    // 1,50,000 received on it; 20,000 forfeited leaves at most 1,30,000 to pay back (SPEC §10).
    await call('POST', `${S}/ledger`, { customer_id: 'cus-1', transaction_type: 'payment', credit_amount: 150000, transaction_date: '2025-11-13', reference_document_type: 'booking', reference_document_id: direct.id });
    expect(await call('GET', `${S}/bookings/${direct.id as string}/cancel-preview?forfeiture_amount=20000&refund_amount=100000.50`))
      .toEqual({ booking_amount: 5900000, received: 150000, forfeiture: 20000, max_refund: 130000, refund: 100000.5, balance_after: -29999.5 });
    const delivery = await call('PATCH', `${S}/bookings/${direct.id as string}`, { delivery_date: '2027-06-30', notes: 'Corner unit', expected_updated_at: direct.updated_at });
    expect(delivery).toMatchObject({ delivery_date: '2027-06-30', notes: 'Corner unit', booking_amount: 5900000 });
    const staleCancel = await api.request('POST', `${S}/bookings/${direct.id as string}/cancel`, { body: { cancellation_reason: 'x', expected_updated_at: direct.updated_at }, headers: h });
    expect(staleCancel.status).toBe(409);
    expect(staleCancel.body.error.current).toMatchObject({ status: 'confirmed', delivery_date: '2027-06-30', booking_amount: 5900000 });
    const tooMuch = await api.request('POST', `${S}/bookings/${direct.id as string}/cancel`, { body: { cancellation_reason: 'x', forfeiture_amount: 20000, refund_amount: 130000.01 }, headers: h });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error).toMatchObject({ details: [{ field: 'refund_amount', message: 'must not exceed 130000.00' }], max_refund: 130000, received: 150000 });
    const cancelled = await call('POST', `${S}/bookings/${direct.id as string}/cancel`, { cancellation_date: '2025-11-15', cancellation_reason: 'Loan not approved', forfeiture_amount: 20000, refund_amount: 100000 }, 200);
    // Recorded directly, never invoiced: the forfeiture is charged by a debit note; 30,000 is still to be paid back.
    expect(cancelled).toMatchObject({
      booking: { status: 'cancelled', refund_amount: 100000, forfeiture_amount: 20000 }, milestone: null, balance_after: -30000,
      ledger_entries: [{ transaction_type: 'debit_note', debit_amount: 20000 }, { transaction_type: 'refund', debit_amount: 100000 }],
    });
    expect((await call('GET', `${S}/unit-inventory`)).items[0].units_available).toBe(1);
  });

  it('ledger entries and reversal', async () => {
    const payment = await call('POST', `${S}/ledger`, { customer_id: 'cus-1', transaction_type: 'payment', credit_amount: 50000, transaction_date: '2025-11-20' });
    expect(payment).toMatchObject({ balance_after: -80000 }); // after the cancellation's −30,000
    const reversal = await call('POST', `${S}/ledger/${payment.id as string}/reverse`, { transaction_date: '2025-11-21' });
    expect(reversal).toMatchObject({ original: { status: 'reversed' }, reversal: { transaction_type: 'adjustment', debit_amount: 50000, balance_after: -30000 } });
    const ledger = await call('GET', `${S}/ledger/cus-1`);
    // The cancellation's two entries share a date and instant: either may come first, and the day ends at −30,000.
    expect(ledger.entries.items.map((e: { balance_after: number }) => e.balance_after).filter((_: number, i: number) => i !== 1)).toEqual([-150000, -30000, -80000, -30000]);
    expect(ledger.summary).toMatchObject({ total_debit_notes: 20000, total_paid: 200000, total_refunds: 100000, outstanding_balance: -30000 });
    // Named by its code on every route that names one record (issue 18), as a pasted link #/ledger/CUS-… names it: the same entries and summary.
    expect(await call('GET', `${S}/ledger/${ledger.customer.customer_code as string}`)).toEqual(ledger);
    expect(await call('GET', `${S}/customers/${ledger.customer.customer_code as string}`)).toMatchObject({ id: 'cus-1' });
  });

  it('takes a lead or customer code wherever a route names the record (issue 18)', async () => {
    await call('POST', `${S}/leads`, { id: 'lead-coded', lead_code: 'LD-CODED-1', name: 'Coded Lead', lead_date: '2025-11-02' });
    expect(await call('PATCH', `${S}/leads/LD-CODED-1`, { notes: 'by code' })).toMatchObject({ id: 'lead-coded', notes: 'by code' });
    expect((await call('GET', `${S}/leads/LD-CODED-1/status-history`)).map((h: { lead_id: string }) => h.lead_id)).toEqual(['lead-coded']);
    expect(await call('GET', `${S}/leads/LD-CODED-1/stages`)).toBeTruthy();
    expect((await call('GET', `${S}/milestones/lead/LD-CODED-1`)).items).toEqual([]);
    const customer = await call('GET', `${S}/customers/cus-1`);
    expect(await call('PATCH', `${S}/customers/${customer.customer_code as string}`, { address: 'By code, MG Road' })).toMatchObject({ id: 'cus-1', address: 'By code, MG Road' });
    const csv = await api.request('GET', `${S}/reports/customer-ledger/${customer.customer_code as string}?format=csv`, { headers: h });
    expect(csv.text).toContain('cus-1');
    expect(await call('DELETE', `${S}/leads/LD-CODED-1`)).toMatchObject({ id: 'lead-coded' });
    expect((await api.request('GET', `${S}/leads/LD-CODED-1`, { headers: h })).status).toBe(404);
  });

  it('every report, as JSON and as the same rows in CSV', async () => {
    const funnel = await call('GET', `${S}/reports/funnel?from=2025-11-01&to=2025-11-30`);
    expect(funnel).toEqual([{ month: '2025-11', total_leads: 1, contacted: 1, qualified: 1, negotiation: 1, converted: 1, lost: 0, conversion_rate: 100 }]);
    const csv = await api.request('GET', `${S}/reports/funnel?from=2025-11-01&to=2025-11-30&format=csv`, { headers: h });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(parse(csv.text, { bom: true, columns: true })).toEqual([
      { month: '2025-11', total_leads: '1', contacted: '1', qualified: '1', negotiation: '1', converted: '1', lost: '0', conversion_rate: '100' },
    ]);
    const viaAccept = await api.request('GET', `${S}/reports/bookings`, { headers: { ...h, Accept: 'text/csv' } });
    expect(viaAccept.text.split('\r\n').slice(0, 3)).toEqual(['\uFEFFstatus,booking_count,total_amount,units_booked,average_amount', 'confirmed,1,6500000.00,1,6500000.00', 'pending,0,0.00,0,0.00']);
    // Issue 8: the details line and the delimiter on request; a side file has no place in one response.
    const detailed = await api.request('GET', `${S}/reports/bookings?format=csv&details=comment&delimiter=%3B`, { headers: h });
    expect(detailed.text.split('\r\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^\uFEFF# Milepost export: bookings \| tenant: .+ \(t1\) \| filters: as_of=\d{4}-\d\d-\d\d \| time zone: Asia\/Kolkata \| generated: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:30 \| source: this device$/),
      'status;booking_count;total_amount;units_booked;average_amount', 'confirmed;1;6500000.00;1;6500000.00',
    ]);
    const side = await api.request('GET', `${S}/reports/bookings?format=csv&details=side`, { headers: h });
    expect([side.status, side.body.error.details]).toEqual([422, [{ field: 'details', message: 'a side file is written by the app and the CLI; ask for comment or none here' }]]);
    const badDelimiter = await api.request('GET', `${S}/reports/bookings?format=csv&delimiter=%7C`, { headers: h });
    expect([badDelimiter.status, badDelimiter.body.error.details]).toEqual([422, [{ field: 'delimiter', message: 'must be , or ;' }]]);
    expect((await api.request('GET', `${S}/reports/bookings?details=comment`, { headers: h })).body.error.details).toMatchObject([{ field: 'details' }]);

    expect(await call('GET', `${S}/reports/source-performance`)).toEqual([
      { source_id: 'src-web', source_name: 'Website', source_type: 'website', subsource_name: null, channel: 'Organic Search', total_leads: 1, qualified_leads: 1, converted_leads: 1, lost_leads: 0, conversion_rate: 100 },
    ]);
    expect(await call('GET', `${S}/reports/campaign-performance`)).toMatchObject([{ campaign_code: 'C-1', total_leads: 1, booked_amount: 6500000, cost_per_lead: 2000, actual_roi: 324900 }]);
    expect(await call('GET', `${S}/reports/bookings`)).toMatchObject([{ status: 'confirmed', booking_count: 1 }, { status: 'pending' }, { status: 'cancelled', booking_count: 1, total_amount: 5900000 }, {}, {}]);
    expect(await call('GET', `${S}/reports/customer-ledger/cus-1`)).toMatchObject([{ customer_id: 'cus-1', total_debit_notes: 20000, total_refunds: 100000, outstanding_balance: -30000, entry_count: 5 }]);
    expect((await call('GET', `${S}/reports/milestone-timeline/lead-1`)).map((m: { milestone_type: string; days_since_first: number }) => [m.milestone_type, m.days_since_first]))
      .toEqual([['site_visit', 0], ['booking', 5]]);
    expect(await call('GET', `${S}/reports/engagement-stats/lead-1`)).toMatchObject({ total_engagements: 1, responses_received: 1, response_rate: 100, avg_response_hours: 24 });
    expect(await call('GET', `${S}/reports/dashboard?as_of=2025-11-25`)).toMatchObject({ total_leads: 1, converted_leads: 1, total_bookings: 1, booked_amount: 6500000, customer_count: 2 });
    const dashCsv = await api.request('GET', `${S}/reports/dashboard?as_of=2025-11-25&format=csv`, { headers: h });
    expect(parse(dashCsv.text, { bom: true, columns: true })).toMatchObject([{ total_leads: '1', booked_amount: '6500000.00', as_of: '2025-11-25' }]);
    expect((await api.request('GET', `${S}/reports/engagement-stats/lead-404`, { headers: h })).status).toBe(404);
  });

  it('answers every report route as CSV with the same rows as its JSON', async () => {
    for (const route of routes.filter((r) => r.op in reportOperations)) {
      const url = route.path.replace(':customer_id', 'cus-1').replace(':lead_id', 'lead-1');
      const name = reportOperations[route.op as keyof typeof reportOperations];
      // Every report that is as of a date (the inventory is of now).
      const query = route.path.includes(':') || !('as_of' in reports[name].input.shape) ? [] : ['as_of=2025-11-25'];
      const json = await call('GET', `${url}?${query.join('&')}`);
      const rows = Array.isArray(json) ? json : [json];
      const res = await api.request('GET', `${url}?${[...query, 'format=csv'].join('&')}`, { headers: h });
      expect(res.status, route.path).toBe(200);
      expect(res.text.startsWith('\uFEFF'), route.path).toBe(true);
      const csv = parse(res.text, { bom: true, columns: true }) as Record<string, string>[];
      expect(csv.length, route.path).toBe(rows.length);
      for (const [i, row] of rows.entries()) {
        for (const [key, value] of Object.entries(row as Record<string, unknown>)) {
          if (typeof value === 'object' && value !== null) continue; // engagement stats' maps are flattened
          const cell = csv[i]![key];
          if (typeof value === 'number') expect(Number(cell), `${route.path} ${key}`).toBe(value);
          // Issue 18: a phone of the tenant's country is written as a spreadsheet reads it (98450 00001), and reads back to the same number.
          else if (key === 'phone' && typeof value === 'string') expect(e164(cell ?? '', 'IN'), `${route.path} ${key}`).toBe(value);
          // Anything else starting with + is guarded against spreadsheet formulas ('+…) and read back as it was.
          else expect(unguardFormula(cell ?? ''), `${route.path} ${key}`).toBe(value === null ? '' : String(value));
        }
      }
    }
  });

  it('answers a report as an Excel workbook with ?format=xlsx or its Accept type (issue 18)', async () => {
    for (const headers of [{}, { Accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }] as Record<string, string>[]) {
      const res = await api.request('GET', `${S}/reports/funnel?from=2025-11-01&to=2025-11-30${'Accept' in headers ? '' : '&format=xlsx'}`, { headers: { ...h, ...headers } });
      expect(res.status, res.text.slice(0, 200)).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers['content-disposition']).toBe('attachment; filename="funnel.xlsx"');
      const ExcelJS = (await import('exceljs')).default;
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.raw as unknown as ArrayBuffer);
      const sheet = book.getWorksheet('funnel')!;
      expect(sheet.getRow(2).values).toEqual([undefined, '2025-11', 1, 1, 1, 1, 1, 0, 1]);
      expect(sheet.getRow(2).getCell(8).numFmt).toBe('0.00%');
    }
    const bad = await api.request('GET', `${S}/reports/funnel?format=xlsx&from=nope`, { headers: h });
    expect([bad.status, bad.body.error.details[0].field]).toEqual([422, 'from']);
  });

  it('answers the app transport: any operation by name at /api/v1/rpc/{op}', async () => {
    const rpc = (op: string, body: unknown, headers = h) => api.request('POST', `/api/v1/rpc/${op}`, { body, headers });
    const me = await rpc('session.me', {});
    expect(me.status).toBe(200);
    expect(me.body.data).toMatchObject({ user: { username: 'admin', role: 'admin' }, tenant: { tenant_id: 't1', timezone: 'Asia/Kolkata', currency: 'INR', locale: 'en-IN' } });
    expect(me.body.data.tenant.device_tag).toBeUndefined();
    const exported = await rpc('exports.csv', { name: 'bookings' });
    expect(exported.body.data.filename).toBe('bookings.csv');
    expect(exported.body.data.csv.split('\r\n')[1]).toBe('confirmed,1,6500000.00,1,6500000.00');
    const withSide = await rpc('exports.csv', { name: 'bookings', details: 'side' });
    expect(JSON.parse(withSide.body.data.details.text)).toMatchObject({ export: 'bookings', tenant_id: 't1', time_zone: 'Asia/Kolkata', delimiter: ',', rows: 5 });
    expect((await rpc('exports.csv', { name: 'funnel', lead_id: 'lead-1' })).body.error.details).toEqual([{ field: 'lead_id', message: 'does not apply to the funnel export' }]);
    expect((await rpc('leads.create', { name: 'Via RPC' })).status).toBe(201);
    expect((await rpc('nothing.here', {})).status).toBe(404);
    expect((await rpc('auth.login', {})).status).toBe(404); // signing in has its own route
    expect((await rpc('leads.list', {}, { 'X-Tenant-ID': 't1' })).status).toBe(401);
    const rep = await api.login('rep');
    expect((await rpc('leads.delete', { id: 'lead-1' }, rep)).status).toBe(403);
  });

  it('time in stage: a lead\'s stages and the stage timing report, as JSON and CSV', async () => {
    const stages = await call('GET', `${S}/leads/lead-1/stages`);
    expect(stages.lead_id).toBe('lead-1');
    expect(stages.spans[0]).toMatchObject({ stage: 'new', entered_at: expect.any(String) });
    expect(Object.keys(stages.days_in)).toContain('new');
    const timing = await call('GET', `${S}/reports/stage-timing`);
    expect(timing.find((r: { group: string; stage: string }) => r.group === 'all' && r.stage === 'new').leads_in_stage).toBeGreaterThan(0);
    const csv = await api.request('GET', `${S}/reports/stage-timing?format=csv`, { headers: h });
    expect(csv.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('group,group_id,group_name,stage,leads_reached,median_days_to_reach,p90_days_to_reach,leads_in_stage,median_days_in_stage,p90_days_in_stage');
    expect((await api.request('GET', `${S}/leads/no-such-lead/stages`, { headers: h })).status).toBe(404);
  });

  it('stale leads: the list, and the days per stage a manager sets', async () => {
    expect(await call('GET', `${S}/stage-settings`)).toEqual({ new: 3, contacted: 7, qualified: 14, negotiation: 7 });
    expect(await call('PUT', `${S}/stage-settings`, { stage: 'contacted', stale_after_days: 5 })).toMatchObject({ contacted: 5 });
    const bad = await api.request('PUT', `${S}/stage-settings`, { body: { stage: 'lost', stale_after_days: 5 }, headers: h });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].field).toBe('stage');
    const rep = await api.login('rep');
    expect((await api.request('PUT', `${S}/stage-settings`, { body: { stage: 'new', stale_after_days: 5 }, headers: rep })).status).toBe(403);
    const stale = await call('GET', `${S}/leads/stale?as_of=2030-01-01`);
    expect(stale.items.length).toBeGreaterThan(0);
    expect(stale.items[0]).toMatchObject({ lead_id: expect.any(String), idle_days: expect.any(Number), stale_after_days: expect.any(Number) });
    const dash = await call('GET', `${S}/reports/dashboard?as_of=2030-01-01`);
    expect(dash.stale_leads).toBe(stale.total);
  });

  it('site visits: a project site, a visit with a photo, the photo back, the visits per staff member', async () => {
    const sharp = (await import('sharp')).default;
    const jpeg = (await sharp({ create: { width: 64, height: 48, channels: 3, background: '#888' } }).jpeg().toBuffer()).toString('base64');
    await call('POST', `${S}/unit-inventory`, { project_name: 'Hillcrest', unit_type: 'Plot', total_units: 3 });
    expect(await call('PUT', `${S}/unit-inventory/site`, { project_name: 'Hillcrest', site_latitude: 12.9, site_longitude: 77.6, site_radius_m: 500 }))
      .toContainEqual({ project_name: 'Hillcrest', site_latitude: 12.9, site_longitude: 77.6, site_radius_m: 500 });
    const visit = await call('POST', `${S}/milestones/lead`, {
      lead_id: 'lead-1', milestone_type: 'revisit', milestone_date: '2025-11-20', location_latitude: 12.92, location_longitude: 77.6,
      location_accuracy_m: 15, site_project: 'Hillcrest', visited_by: 'asha', photos: [{ file_name: 'gate.jpg', data_base64: jpeg }],
    });
    expect(visit).toMatchObject({ site_distance_m: 2224, off_site: true, photos: [{ original_name: 'gate.jpg', width: 64, height: 48 }] });
    const photo = await call('GET', `${S}/photos/${visit.photos[0].id}?variant=original`);
    expect(photo.data_url).toBe(`data:image/jpeg;base64,${jpeg}`);
    const added = await call('POST', `${S}/milestones/${visit.id}/photos`, { photos: [{ file_name: 'road.jpg', data_base64: jpeg }] });
    expect(added).toMatchObject([{ milestone_id: visit.id, original_name: 'road.jpg' }]);
    expect(await call('GET', `${S}/sites`)).toContainEqual({ project_name: 'Hillcrest', site_latitude: 12.9, site_longitude: 77.6, site_radius_m: 500 });
    const report = await call('GET', `${S}/reports/site-visits?from=2025-11-20&to=2025-11-20`);
    expect(report).toContainEqual(expect.objectContaining({ visited_by: 'asha', off_site: 1, judged: 1 }));
    // A large body is read only for an operation that takes one, and only from a signed-in caller.
    const big = { name: 'X', notes: 'n'.repeat(2 * 1024 * 1024) };
    expect((await api.request('POST', '/api/v1/rpc/leads.create', { body: big, headers: h })).status).toBe(413);
    expect((await api.request('POST', `${S}/milestones/lead`, { body: { photos: [{ file_name: 'x', data_base64: 'A'.repeat(3 * 1024 * 1024) }] } })).status).toBe(401);
  });

  it('units: a tower in bulk, one unit, the grid, a hold, the booking by unit, the counts', async () => {
    await call('POST', `${S}/unit-inventory`, { project_name: 'Skyline', unit_type: '2BHK', total_units: 0 });
    await call('POST', `${S}/leads`, { id: 'lead-unit', name: 'Tara Nair', lead_date: '2025-11-10' });
    const tower = await call('POST', `${S}/units/bulk`, { project_name: 'skyline', tower: 'A', unit_type: '2bhk', floor_from: 1, floor_to: 3, units_per_floor: 4, list_price: 6500000.5 });
    expect(tower).toMatchObject({ created: 12 });
    const one = await call('POST', `${S}/units`, { project_name: 'Skyline', tower: 'A', floor: 4, unit_number: '401', unit_type: '2BHK', carpet_area_sqft: 900 });
    expect(one).toMatchObject({ project_name: 'Skyline', unit_number: '401', status: 'available', list_price: null });
    expect(await call('PATCH', `${S}/units/${one.id}`, { list_price: 7000000, blocked: true })).toMatchObject({ list_price: 7000000, status: 'blocked' });
    const floor2 = await call('GET', `${S}/units?project_name=Skyline&floor=2`);
    expect(floor2.items.map((u: { unit_number: string }) => u.unit_number)).toEqual(['201', '202', '203', '204']);
    const unit = floor2.items[0];
    const held = await call('POST', `${S}/units/${unit.id}/hold`, { lead_id: 'lead-unit' });
    expect(held).toMatchObject({ unit: { status: 'held', hold_lead_id: 'lead-unit' }, extended: false });
    expect(await call('POST', `${S}/units/${unit.id}/release`, {}, 200)).toMatchObject({ unit: { status: 'available' }, hold: { release_reason: 'released' } });
    await call('POST', `${S}/units/${unit.id}/hold`, { lead_id: 'lead-unit' });
    expect(await call('GET', `${S}/units/holds-ending?hours=72`)).toMatchObject([{ unit_id: unit.id, lead_id: 'lead-unit', unit_number: '201', lead_name: 'Tara Nair' }]);
    expect(await call('GET', `${S}/units/holds-ending?hours=24`)).toEqual([]);
    const booked = await call('POST', `${S}/leads/lead-unit/book`, { unit_id: unit.id });
    expect(await call('GET', `${S}/leads/lead-unit/holds`)).toMatchObject([{ unit_id: unit.id, state: 'booked' }, { unit_id: unit.id, state: 'released' }]);
    expect(booked.booking).toMatchObject({ unit_id: unit.id, booking_amount: 6500000.5, project_name: 'Skyline', unit_type: '2BHK' });
    const detail = await call('GET', `${S}/units/${unit.id}`);
    expect(detail).toMatchObject({ status: 'booked', holds: [{ state: 'booked' }, { state: 'released' }], bookings: [{ id: booked.booking.id, status: 'confirmed' }] });
    expect(await call('GET', `${S}/reports/inventory?project_name=skyline`)).toEqual([
      // Listed: 12 × 65,00,000.50 + 70,00,000; to sell: the 11 available; sold: the one booked at list.
      { project_name: 'Skyline', unit_type: '2BHK', total_units: 13, available: 11, held: 0, booked: 1, sold: 0, blocked: 1, list_value: 85000006, unsold_value: 71500005.5, sales_value: 6500000.5 },
    ]);
    // Refusals name the field and change nothing.
    const again = await api.request('POST', `${S}/leads/lead-1/book`, { body: { unit_id: unit.id }, headers: h });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/A unit 201 is booked/);
  });

  it('payment plans, construction stages and a booking\'s schedule (SPEC §10)', async () => {
    await call('POST', `${S}/construction-stages`, { project_name: 'skyline', stage: 'Foundation' });
    const stages = (await call('GET', `${S}/construction-stages?project_name=Skyline&limit=50`)).items;
    expect(stages).toMatchObject([{ project_name: 'Skyline', stage: 'Foundation', completed_on: null }]);
    const plan = await call('POST', `${S}/payment-plans`, {
      plan_code: 'SKY-CLP', plan_name: 'Skyline construction linked', project_name: 'Skyline',
      instalments: [{ label: 'Booking', percent: 20, due: 'on_booking' }, { label: 'Foundation', percent: 80, due: { stage: 'Foundation' } }],
    });
    expect(await call('GET', `${S}/payment-plans/${plan.id as string}`)).toMatchObject({ plan_code: 'SKY-CLP', instalments: [{ percent: 20 }, { percent: 80 }] });
    expect((await call('GET', `${S}/payment-plans?project_name=skyline&active=true&limit=10`)).items.map((p: { plan_code: string }) => p.plan_code)).toEqual(['SKY-CLP']);
    const bad = await api.request('POST', `${S}/payment-plans`, { body: { plan_code: 'X', plan_name: 'x', instalments: [{ label: 'a', percent: 99.99, due: 'on_booking' }] }, headers: h });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([{ field: 'instalments', message: 'percents must sum to exactly 100 (they sum to 99.99)' }]);
    // What Book a unit previews, from the query string: 20 % of 10,00,000.01 and the rest, the stage not done yet.
    expect(await call('GET', `${S}/payment-plans/${plan.id as string}/preview?booking_amount=1000000.01&project_name=skyline&booking_date=2025-11-10`)).toEqual([
      { seq: 1, label: 'Booking', percent: 20, amount: 200000, due_date: '2025-11-10', stage: null },
      { seq: 2, label: 'Foundation', percent: 80, amount: 800000.01, due_date: null, stage: 'Foundation' },
    ]);
    const wrong = await api.request('GET', `${S}/payment-plans/${plan.id as string}/preview?booking_amount=12.345&project_name=Skyline`, { headers: h });
    expect([wrong.status, wrong.body.error.details[0].field]).toEqual([422, 'booking_amount']);
    const units = await call('GET', `${S}/units?project_name=Skyline&status=available&limit=1`);
    await call('POST', `${S}/leads`, { id: 'lead-plan', name: 'Ira Sen', lead_date: '2025-11-10' });
    const booked = await call('POST', `${S}/leads/lead-plan/book`, { unit_id: units.items[0].id, booking_amount: 1000000.01, booking_date: '2025-11-10', payment_plan_id: plan.id });
    // 20 % of 10,00,000.01 is 2,00,000.002: 2,00,000.00, and 8,00,000.01 for the rest.
    expect(booked.schedule).toEqual([
      { seq: 1, label: 'Booking', amount: 200000, due_date: '2025-11-10', stage: null },
      { seq: 2, label: 'Foundation', amount: 800000.01, due_date: null, stage: 'Foundation' },
    ]);
    const done = await call('PATCH', `${S}/construction-stages/${stages[0].id as string}`, { completed_on: '2025-11-15' });
    expect(done).toMatchObject({ stage: { completed_on: '2025-11-15' }, instalments_dated: 1 });
    const schedule = await call('GET', `${S}/bookings/${booked.booking.id as string}/schedule?as_of=2025-12-01`);
    expect(schedule.items.map((i: { due_date: string; due: number }) => [i.due_date, i.due])).toEqual([['2025-11-10', 200000], ['2025-11-30', 800000.01]]);
    expect(schedule.totals).toEqual({ amount: 1000000.01, paid: 0, due: 1000000.01, overdue: 1000000.01 });
    // Today's overdue instalments as of 10 December: this booking's 2,00,000 and 8,00,000.01 among the others, most overdue first.
    const late = (await call('GET', `${S}/receivables/overdue?as_of=2025-12-10`)) as { booking_id: string; overdue: number; days_overdue: number }[];
    expect(late.filter((i) => i.booking_id === booked.booking.id).map((i) => [i.overdue, i.days_overdue])).toEqual([[200000, 30], [800000.01, 10]]);
    expect(late.map((i) => i.days_overdue)).toEqual([...late.map((i) => i.days_overdue)].sort((a, b) => b - a));
    // The documents: the PDF itself, named for a download.
    const customer = booked.booking.customer_id as string;
    const statementPdf = await api.request('GET', `${S}/customers/${customer}/statement?to=2025-12-01`, { headers: h });
    expect(statementPdf.status).toBe(200);
    expect(statementPdf.headers['content-type']).toBe('application/pdf');
    expect(statementPdf.headers['content-disposition']).toMatch(/^attachment; filename="statement-.*-2025-12-01\.pdf"$/);
    expect(statementPdf.raw.subarray(0, 5).toString()).toBe('%PDF-');
    const letter = await api.request('GET', `${S}/bookings/${booked.booking.id as string}/demand-letter?as_of=2025-12-01`, { headers: h });
    expect(letter.status).toBe(200);
    expect(letter.raw.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await api.request('GET', `${S}/customers/nobody/statement`, { headers: h })).status).toBe(404);
    // A sales rep may not make plans or stages (SPEC §11).
    const rep = await api.login('rep');
    expect((await api.request('POST', `${S}/construction-stages`, { body: { project_name: 'Skyline', stage: 'Roof' }, headers: rep })).status).toBe(403);
  });

  it('lead import: preview (nothing written), start, progress until done', async () => {
    const file = { file_name: 'fair.csv', data_base64: Buffer.from('Name,Phone\r\nImported One,+91 98450 61111\r\nImported Two,98450 61112\r\n').toString('base64') };
    const preview = await call('POST', `${S}/imports/leads/preview`, file, 200);
    expect(preview).toMatchObject({ total_rows: 2, plan: { create: 2, merge: 0, skip: 0, errors: 0 } });
    expect(preview.sample[0]).toMatchObject({ row: 2, lead: { name: 'Imported One', phone: '+919845061111' } });
    expect((await call('GET', `${S}/leads?search=Imported`)).items).toEqual([]);
    const { job_id } = await call('POST', `${S}/imports/leads`, file);
    let job = await call('GET', `${S}/imports/${job_id}`);
    for (let i = 0; job.state === 'running' && i < 100; i += 1) job = await new Promise((r) => setTimeout(r, 20)).then(() => call('GET', `${S}/imports/${job_id}`));
    expect(job).toMatchObject({ state: 'done', done: 2, total: 2, result: { created: 2, merged: 0, skipped: 0, error_rows: 0 } });
    expect((await call('GET', `${S}/leads?search=Imported`)).items.map((l: { phone: string }) => l.phone).sort()).toEqual(['+919845061111', '+919845061112']);
    expect((await api.request('GET', `${S}/imports/no-such-job`, { headers: h })).status).toBe(404);
  });

  it('drill-down: the records behind a number, paged, with the number recomputed from them', async () => {
    const dash = await call('GET', `${S}/reports/dashboard?as_of=2030-01-01`);
    const leads = await call('GET', `${S}/reports/drill/dashboard?column=total_leads&as_of=2030-01-01&limit=1`);
    expect(leads).toMatchObject({ list: 'leads', label: 'leads', total: dash.total_leads, value: dash.total_leads, next_offset: dash.total_leads > 1 ? 1 : null });
    expect(leads.rows).toHaveLength(1);
    const stale = await call('GET', `${S}/reports/drill/dashboard?column=stale_leads&as_of=2030-01-01`);
    expect(stale.total).toBe(dash.stale_leads);
    const bad = await api.request('GET', `${S}/reports/drill/funnel?column=converted`, { headers: h });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([{ field: 'row', message: 'is required: the month of the row' }]);
  });

  it('sync: configure (admins only, password kept out of the database), status, run against a real Postgres', async () => {
    const rep = await api.login('rep');
    expect((await api.request('PUT', '/api/v1/sync/config', { body: { url: 'postgres://x@h/db' }, headers: rep })).status).toBe(403);
    const bad = await api.request('PUT', '/api/v1/sync/config', { body: { url: 'http://example.com' }, headers: h });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([{ field: 'url', message: 'must be a postgres:// URL' }]);
    expect(await call('GET', '/api/v1/sync/status')).toMatchObject({ configured: false, has_password: false, pending_changes: expect.any(Number), conflicts: [] });
    const notYet = await api.request('POST', '/api/v1/sync/run', { headers: h });
    expect(notYet.status).toBe(400);
    expect(notYet.body.error.message).toMatch(/not configured/);

    const { startCentral } = await import('../../test/syncFixture.js');
    const central = await startCentral();
    try {
      const full = new URL(await central.deviceUrl('t1'));
      const password = decodeURIComponent(full.password);
      full.password = '';
      const configured = await call('PUT', '/api/v1/sync/config', { url: full.toString(), password });
      expect(configured).toMatchObject({ configured: true, url: full.toString(), has_password: true, password_kept: 'memory', passwords_kept_in: 'memory' });
      const ran = await call('POST', '/api/v1/sync/run', undefined, 200);
      expect(ran.pushed).toBeGreaterThan(10);
      expect(ran).toMatchObject({ pending: 0, conflicts: [], rejected: [] });
      const status = await api.request('GET', '/api/v1/sync/status', { headers: h });
      expect(status.body.data).toMatchObject({ pending_changes: 0, last_sync: { pushed: ran.pushed }, last_error: null });
      expect(status.text).not.toContain(password);
      const fs = await import('node:fs');
      const file = `${api.dataDir}/tenants/t1.sqlite`;
      for (const f of [file, `${file}-wal`].filter((x) => fs.existsSync(x))) expect(fs.readFileSync(f).includes(password)).toBe(false);
    } finally {
      await central.pg.stop();
    }
  }, 120_000);

  it('exercised every route of the table', () => {
    const missing = routes.map((r) => `${r.method} ${r.path}`).filter((r) => !api.called.has(r));
    expect(missing).toEqual([]);
  });
});
