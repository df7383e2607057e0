import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApi } from '../../test/apiFixture.js';
import { contract } from '../api/contract.js';
import { routes } from './routes.js';
import { e164 } from '../domain/phone.js';

// SPEC §6 "never a 500 for bad input": thousands of generated bodies against every
// POST/PATCH route. Accepted text must come back exactly as sent.

let api: Awaited<ReturnType<typeof makeApi>>;
let h: Record<string, string>;
const ids: Record<string, string[]> = {};
beforeAll(async () => {
  api = await makeApi();
  h = await api.login();
  const post = async (url: string, body: unknown) => (await api.request('POST', `/api/v1/sales/${url}`, { body, headers: h })).body.data;
  await post('leads', { id: 'lead-1', name: 'Fuzz Lead' });
  await post('customers', { id: 'cust-1', name: 'Fuzz Customer' });
  const booking = await post('bookings', { customer_id: 'cust-1', booking_amount: 100 });
  const entry = await post('ledger', { customer_id: 'cust-1', transaction_type: 'invoice', debit_amount: 100 });
  const engagement = await post('engagement', { lead_id: 'lead-1', engagement_type: 'call_made', engagement_channel: 'phone' });
  const milestone = await post('milestones/lead', { lead_id: 'lead-1', milestone_type: 'demo', milestone_date: '2025-11-25', follow_up_date: '2025-11-26' });
  await post('campaigns', { id: 'cmp-1', campaign_code: 'C1', campaign_name: 'C', campaign_type: 'email' });
  ids.id = ['lead-1', 'cust-1', booking.id, entry.id, engagement.id, milestone.id, 'cmp-1', 'missing-id', "x');DROP TABLE sales_leads;--", '%2e%2e%2Fetc'];
});
afterAll(() => api.close());

const nasty = fc.constantFrom(
  "'); DROP TABLE sales_leads;--", '" OR 1=1 --', '2025-02-30', '2025-13-01', '24:00', '=1+1', '@SUM(A1)', '-2+3', '\u0000', '\u202e',
  '𝕄𝕚𝕝𝕖𝕡𝕠𝕤𝕥', 'नमस्ते', '👩🏽‍💼', '', '   ', 'null', 'NaN', '1e309', '__proto__', 'constructor',
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 3, arbitrary: nasty },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 5_000, maxLength: 20_000 }) },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 2, arbitrary: fc.double({ noNaN: false }) },
  { weight: 1, arbitrary: fc.constantFrom(0.1, 0.07, 1234.567, -0.01, 1e21, -42.5, 2 ** 53) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
  { weight: 1, arbitrary: fc.array(fc.integer(), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 3 }) },
);

const bodyRoutes = routes.filter((r) => r.method === 'POST' || r.method === 'PATCH' || r.method === 'PUT');

function bodyFor(fields: string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      fc.subarray(fields),
      fc.array(fields.length ? fc.oneof(fc.constantFrom(...fields), fc.string({ maxLength: 12 })) : fc.string({ maxLength: 12 }), { maxLength: 2 }),
    )
    .chain(([known, extra]) => fc.record(Object.fromEntries([...known, ...extra].map((k) => [k, value])) as Record<string, fc.Arbitrary<unknown>>));
}

describe('generated bodies never break the API', () => {
  for (const route of bodyRoutes) {
    it(`${route.method} ${route.path}: 2,000 bodies, no 5xx, text stored exactly`, async () => {
      const shape = (contract[route.op].input as unknown as { shape: Record<string, unknown> }).shape;
      const fields = Object.keys(shape).filter((k) => k !== 'id' || !route.path.includes(':id'));
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(bodyFor(fields), fc.constantFrom(...ids.id!), async (body, id) => {
          const url = route.path.replace(/:(id|lead_id|customer_id)/, encodeURIComponent(id));
          const res = await api.request(route.method, url, { body, headers: h });
          expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.body.error.code).toMatch(/^[a-z_]+$/);
            return;
          }
          accepted += 1;
          const data = res.body.data as Record<string, unknown>;
          for (const [key, sent] of Object.entries(body)) {
            // A phone is stored as the number it is (E.164 by the tenant's country), the same one as read from what was sent.
            if (key === 'phone' && typeof sent === 'string' && sent.trim() !== '') expect(data[key], key).toBe(e164(sent, 'IN'));
            else if (typeof sent === 'string' && key in data && key !== 'password' && key !== 'phone') expect(data[key], key).toBe(sent);
          }
        }),
        { numRuns: 2_000, seed: 20251125 },
      );
      // The generator must reach the accepting path too, not only refusals.
      if (['leads.create', 'customers.create', 'leads.update', 'engagements.recordResponse'].includes(route.op)) expect(accepted).toBeGreaterThan(0);
    }, 120_000);
  }

  it('POST /api/v1/auth/login: generated bodies get 400, 401 or 422, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(bodyFor(['tenant_id', 'username', 'password']), async (body) => {
        const res = await api.request('POST', '/api/v1/auth/login', { body });
        expect([400, 401, 422]).toContain(res.status);
      }),
      { numRuns: 200, seed: 7 }, // each well-formed attempt costs a real scrypt check
    );
  }, 120_000);

  it('the process is still healthy afterwards', async () => {
    const res = await api.request('GET', '/api/v1/sales/leads/lead-1', { headers: h });
    expect(res.status).toBe(200);
    expect(api.manager.get('t1').db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
