import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import { reportOperations } from '../../api/contract.js';
import { routes } from '../routes.js';
import { unguardFormula } from '../../csv/csvWriter.js';
import { e164 } from '../../domain/phone.js';
import { reports } from '../../services/reports.js';
import { api, call, h, S } from './env.js';

// The reports, route by route: JSON, CSV and Excel alike, the app's own transport, and
// the reports of time in stage, stale leads and site visits.

export function reportCases() {
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
    // The details line and the delimiter on request; a side file has no place in one response.
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
          // A phone of the tenant's country is written as a spreadsheet reads it (98450 00001), and reads back to the same number.
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

}
