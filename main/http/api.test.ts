import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { useApi } from '../../test/apiFixture.js';
import { loadSecret } from '../api/session.js';
import { seedBooking, seedCampaign, seedCustomer, seedEngagement, seedLead, seedLedger, seedMilestone } from '../../test/seedBodies.js';

const served = useApi();

const S = '/api/v1/sales';
const get = (url: string, headers = served.h) => served.api.request('GET', url, { headers });
const post = (url: string, body: unknown, headers = served.h) => served.api.request('POST', url, { body, headers });

describe("the seed's curl examples, verbatim", () => {
  it('accepts each body with 201 and shows the ledger summary of the seed', async () => {
    expect((await post(`${S}/leads`, seedLead)).status).toBe(201);
    expect((await post(`${S}/customers`, seedCustomer)).status).toBe(201);

    const milestone = await post(`${S}/milestones/lead`, seedMilestone);
    expect(milestone.status).toBe(201);
    expect(milestone.body.data).toMatchObject({ lead_id: 'lead-123', milestone_type: 'site_visit', location_name: 'Bangalore Office', follow_up_required: true, outcome: 'positive' });

    const engagement = await post(`${S}/engagement`, seedEngagement);
    expect(engagement.status).toBe(201);
    expect(engagement.body.data).toMatchObject({ engagement_type: 'call_made', status: 'completed', response_received: false });

    const booking = await post(`${S}/bookings`, seedBooking);
    expect(booking.status).toBe(201);
    expect(booking.body.data).toMatchObject({ booking_code: 'BOOK-2025-001', booking_amount: 500000, units_available: 2, status: 'confirmed' });

    const campaign = await post(`${S}/campaigns`, seedCampaign);
    expect(campaign.status).toBe(201);
    expect(campaign.body.data).toMatchObject({ campaign_code: 'CAMPAIGN_2025_Q1_EMAIL', budget: 50000, expected_roi: 300, status: 'active' });

    for (const body of seedLedger) {
      const r = await post(`${S}/ledger`, body);
      expect(r.status, r.text).toBe(201);
      expect(r.body.data.balance_after).toBe(body.balance_after);
    }
    const ledger = await get(`${S}/ledger/cust-123`);
    expect(ledger.status).toBe(200);
    expect(ledger.body.data.summary).toMatchObject({ total_invoiced: 100000, total_paid: 75000, total_credit_notes: 25000, outstanding_balance: 0 });
    expect(ledger.body.data.entries.items.map((e: { balance_after: number }) => e.balance_after)).toEqual([100000, 25000, 0]);

    const dashboard = await get(`${S}/reports/dashboard`);
    expect(dashboard.body.data).toMatchObject({ total_leads: 1, total_bookings: 1, booked_amount: 500000, outstanding_balance: 0, pending_follow_ups: 1 });
  });
});

describe('refusals (SPEC §6), each leaving every table as it was', () => {
  const expired = async () =>
    new SignJWT({ tenant: 't1', username: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuedAt(1_600_000_000)
      .setExpirationTime(1_600_000_100).sign(loadSecret(served.api.dataDir));
  const otherSecret = async () =>
    new SignJWT({ tenant: 't1' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime('1h').sign(new Uint8Array(32).fill(7));

  const cases: [string, () => Promise<{ status: number; body: any }>, number, string, Record<string, unknown>?][] = [
    ['no token', () => served.api.request('GET', `${S}/leads`, { headers: { 'X-Tenant-ID': 't1' } }), 401, 'unauthorized'],
    ['a tampered token', () => get(`${S}/leads`, { ...served.h, Authorization: `${served.h.Authorization!.slice(0, -3)}abc` }), 401, 'unauthorized'],
    ['an expired token', async () => get(`${S}/leads`, { ...served.h, Authorization: `Bearer ${await expired()}` }), 401, 'unauthorized'],
    ['a token signed with another secret', async () => get(`${S}/leads`, { ...served.h, Authorization: `Bearer ${await otherSecret()}` }), 401, 'unauthorized'],
    ["tenant A's token with X-Tenant-ID B", () => post(`${S}/leads`, { name: 'Sneaky' }, { ...served.h, 'X-Tenant-ID': 't2' }), 403, 'forbidden'],
    ['an invalid enum', () => post(`${S}/engagement`, { lead_id: 'lead-123', engagement_type: 'fax_sent', engagement_channel: 'phone' }), 422, 'validation_failed',
      { field: 'engagement_type', message: 'must be one of: email_sent, call_made, message_sent, meeting_scheduled, proposal_sent, quote_sent' }],
    ['a missing required field', () => post(`${S}/campaigns`, { campaign_code: 'X1', campaign_type: 'email' }), 422, 'validation_failed',
      { field: 'campaign_name', message: 'must be a string' }],
    ['an unknown field', () => post(`${S}/leads`, { name: 'X', favourite_colour: 'red' }), 422, 'validation_failed', { field: 'favourite_colour', message: 'is not a known field' }],
    ['a duplicate booking_code', () => post(`${S}/bookings`, { customer_id: 'cust-123', booking_code: 'BOOK-2025-001', booking_amount: 1 }), 409, 'conflict',
      { field: 'booking_code', message: "booking_code 'BOOK-2025-001' already exists" }],
    ['a mismatching balance_after', () => post(`${S}/ledger`, { customer_id: 'cust-123', transaction_type: 'invoice', debit_amount: 10, balance_after: 5 }), 409, 'conflict',
      { field: 'balance_after', message: 'expected 10.00' }],
    ['an unknown lead', () => post(`${S}/milestones/lead`, { lead_id: 'lead-999', milestone_type: 'demo', milestone_date: '2025-11-25' }), 404, 'not_found',
      { field: 'lead_id', message: 'no lead with this id' }],
    ['malformed JSON', () => served.api.request('POST', `${S}/leads`, { raw: '{"name": "X",', headers: served.h }), 400, 'bad_request'],
    ['a body that is not an object', () => post(`${S}/leads`, ['name']), 400, 'bad_request'],
    ['a body over 1 MiB', () => post(`${S}/leads`, { name: 'X', notes: 'n'.repeat(1024 * 1024) }), 413, 'payload_too_large'],
    ['an impossible date', () => post(`${S}/leads`, { name: 'X', lead_date: '2025-02-30' }), 422, 'validation_failed', { field: 'lead_date', message: 'must be a real calendar date YYYY-MM-DD' }],
    ['a third decimal', () => post(`${S}/bookings`, { customer_id: 'cust-123', booking_amount: 10.005 }), 422, 'validation_failed', { field: 'booking_amount', message: 'must have at most 2 decimals' }],
    ['an unknown route', () => get(`${S}/nothing-here`), 404, 'not_found'],
  ];

  for (const [what, send, status, code, detail] of cases) {
    it(`answers ${status} to ${what}`, async () => {
      const before = served.api.counts();
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(typeof res.body.error.message).toBe('string');
      if (detail) expect(res.body.error.details).toContainEqual(detail);
      expect(served.api.counts()).toEqual(before);
    });
  }

  it('tells the expected balance in the 409 body', async () => {
    const res = await post(`${S}/ledger`, { customer_id: 'cust-123', transaction_type: 'payment', credit_amount: 10, balance_after: 0 });
    expect(res.body.error.expected_balance_after).toBe(-10);
  });

  it('forbids a sales rep to reverse ledger entries, delete records or add users (403), changing nothing', async () => {
    const rep = await served.api.login('rep');
    const entry = (await get(`${S}/ledger/cust-123`)).body.data.entries.items[0];
    const before = served.api.counts();
    for (const res of [
      await post(`${S}/ledger/${entry.id as string}/reverse`, {}, rep),
      await served.api.request('DELETE', `${S}/leads/lead-123`, { headers: rep }),
      await post('/api/v1/users', { username: 'eve', password: 'long-enough-1', role: 'admin' }, rep),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect(served.api.counts()).toEqual(before);
    // A manager may reverse; only an admin adds users.
    const manager = await served.api.login('manager');
    expect((await post('/api/v1/users', { username: 'eve', password: 'long-enough-1', role: 'admin' }, manager)).status).toBe(403);
  });

  it('takes only ids for new records that are safe file names on every system (issue 17)', async () => {
    for (const id of ['a:b', 'CON', 'nul.txt', 'com1', 'ends.', '../x', '-start']) {
      const res = await post(`${S}/milestones/lead`, { id, lead_id: 'lead-123', milestone_type: 'contacted', milestone_date: '2025-11-20' });
      expect([res.status, res.body.error.details[0].field], id).toEqual([422, 'id']);
    }
    expect((await post(`${S}/milestones/lead`, { id: 'visit.2025-11-20_a', lead_id: 'lead-123', milestone_type: 'contacted', milestone_date: '2025-11-20' })).status).toBe(201);
  });

  it('refuses an input nested deeper than any the contract takes (422 naming the field), writing nothing (issue 17)', async () => {
    let metadata: unknown = 'bottom';
    for (let i = 0; i < 4000; i += 1) metadata = { down: metadata };
    const before = served.api.counts();
    const res = await post(`${S}/milestones/lead`, { lead_id: 'lead-123', milestone_type: 'contacted', milestone_date: '2025-11-20', metadata });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ field: 'metadata', message: 'is nested too deeply (more than 32 levels)' }]);
    expect(served.api.counts()).toEqual(before);
    // A few levels are fine.
    const fine = await post(`${S}/milestones/lead`, { lead_id: 'lead-123', milestone_type: 'contacted', milestone_date: '2025-11-20', metadata: { a: { b: { c: [1, 2] } } } });
    expect(fine.status, fine.text).toBe(201);
  });

  it('does not say whether a user exists, and slows repeated failures', async () => {
    const wrongPassword = await served.api.request('POST', '/api/v1/auth/login', { body: { tenant_id: 't1', username: 'admin', password: 'nope' } });
    const noUser = await served.api.request('POST', '/api/v1/auth/login', { body: { tenant_id: 't1', username: 'ghost', password: 'nope' } });
    const noTenant = await served.api.request('POST', '/api/v1/auth/login', { body: { tenant_id: 'zz', username: 'admin', password: 'nope' } });
    for (const r of [wrongPassword, noUser, noTenant]) {
      expect(r.status).toBe(401);
      expect(r.body.error.message).toBe('tenant, username or password is wrong');
    }
    served.api.delays.length = 0;
    for (let i = 0; i < 5; i += 1) await served.api.request('POST', '/api/v1/auth/login', { body: { tenant_id: 't1', username: 'manager', password: 'bad' } });
    expect(served.api.delays).toEqual([250, 500, 1000]); // the third and later failures are followed by a wait, doubling
    expect((await served.api.login('manager')).Authorization).toMatch(/^Bearer /);
  });

  const wrong = (username: string, password = 'not-it', from?: string) => served.api.request('POST', '/api/v1/auth/login', { body: { tenant_id: 't1', username, password }, from });

  it('serves each failure\'s wait before the next guess at that username starts, however many arrive at once (issue 17)', async () => {
    served.api.delays.length = 0;
    const answers = await Promise.all(Array.from({ length: 8 }, () => wrong('rep', 'not-it', '10.0.0.6')));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(401));
    // One after another: each failure counted before the next check, so the waits grow.
    expect(served.api.delays).toEqual([250, 500, 1000, 2000, 4000, 5000]);
    expect((await served.api.login('rep')).Authorization).toMatch(/^Bearer /);
  });

  it('slows one password tried across many usernames from one address', async () => {
    served.api.delays.length = 0;
    for (let i = 0; i < 14; i += 1) await wrong(`nobody${i}`, 'Spring2025!', '10.0.0.7');
    // Each username failed once (free); the address's own count waits from its eleventh failure.
    expect(served.api.delays.slice(-4)).toEqual([250, 500, 1000, 2000]);
  });

  it('answers a signed-in user while many sign-ins run, and turns the excess away with 429 and Retry-After', async () => {
    const admin = await served.api.login('admin');
    // From a hundred addresses: only the overall bound holds them.
    const flood = Array.from({ length: 100 }, (_, i) => wrong(`flood${i}`, 'not-it', `10.1.0.${i}`));
    const started = performance.now();
    const me = await served.api.request('GET', `${S}/leads?limit=1`, { headers: admin });
    const tookMs = performance.now() - started;
    expect(me.status).toBe(200);
    expect(tookMs).toBeLessThan(1000);
    const answers = await Promise.all(flood);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.headers['retry-after']).toBe('2');
    expect(refused[0]!.body.error.code).toBe('rate_limited');
    expect(answers.every((a) => a.status === 401 || a.status === 429)).toBe(true);
  });
});
