import { expect, it } from 'vitest';
import { api, call, h, S } from './env.js';

// Real estate and the rest, route by route: units and holds, payment plans and stages,
// the lead import, drill-down, and sync.

export function estateCases() {
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
    // A booking is named by its code as well as its id, as the CLI and the app's links name it.
    const code = booked.booking.booking_code as string;
    expect(code).toMatch(/^BKG-/);
    expect(await call('GET', `${S}/bookings/${code}/schedule?as_of=2025-12-01`)).toEqual(schedule);
    expect(await call('GET', `${S}/bookings/${code}/cancel-preview?forfeiture_amount=50000`)).toEqual(await call('GET', `${S}/bookings/${booked.booking.id as string}/cancel-preview?forfeiture_amount=50000`));
    expect((await api.request('GET', `${S}/bookings/BKG-999999/schedule`, { headers: h })).status).toBe(404);
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
    const byCode = await api.request('GET', `${S}/bookings/${code}/demand-letter?as_of=2025-12-01`, { headers: h });
    expect([byCode.status, byCode.headers['content-disposition']]).toEqual([200, letter.headers['content-disposition']]);
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

    const { startCentral } = await import('../../../test/syncFixture.js');
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
}
