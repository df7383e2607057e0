import { expect, it } from 'vitest';
import { api, call, h, S } from './env.js';

// The records a branch keeps, route by route: users and catalog records, leads and their
// lifecycle, milestones and engagements, bookings, the ledger, and codes for ids.

export function recordCases() {
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
    // Reversed by its code (LED-…, as the ledger screen shows it), as by its id.
    expect(payment.ledger_code).toMatch(/^LED-/);
    const reversal = await call('POST', `${S}/ledger/${payment.ledger_code as string}/reverse`, { transaction_date: '2025-11-21' });
    expect(reversal).toMatchObject({ original: { status: 'reversed' }, reversal: { transaction_type: 'adjustment', debit_amount: 50000, balance_after: -30000 } });
    const ledger = await call('GET', `${S}/ledger/cus-1`);
    // The cancellation's two entries share a date and instant: either may come first, and the day ends at −30,000.
    expect(ledger.entries.items.map((e: { balance_after: number }) => e.balance_after).filter((_: number, i: number) => i !== 1)).toEqual([-150000, -30000, -80000, -30000]);
    expect(ledger.summary).toMatchObject({ total_debit_notes: 20000, total_paid: 200000, total_refunds: 100000, outstanding_balance: -30000 });
    // Named by its code on every route that names one record, as a pasted link #/ledger/CUS-… names it: the same entries and summary.
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

}
