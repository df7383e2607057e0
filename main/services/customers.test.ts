import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerIdOf, customerService } from './customers.js';
import { makeTenant, refusal } from '../../test/tenantFixture.js';

// Customers (SPEC §3): codes made on the device, phones read once, found by code.

let t: ReturnType<typeof makeTenant>;
beforeAll(() => (t = makeTenant({ locale: 'en-IN' })));
afterAll(() => t.close());

describe('customers', () => {
  it('gives a customer the device\'s next code and its phone in E.164', () => {
    const tag = t.ctx.settings.device_tag;
    const a = customerService.create(t.ctx, { name: 'Meera Iyer', phone: '98450 11111' });
    const b = customerService.create(t.ctx, { name: 'Rohan Das', email: 'rohan@example.com' });
    expect([a.customer_code, b.customer_code]).toEqual([`CUS-${tag}-000001`, `CUS-${tag}-000002`]);
    expect(a.phone).toBe('+919845011111');
    expect(customerService.create(t.ctx, { name: 'Own code', customer_code: 'CUST-123' }).customer_code).toBe('CUST-123');
  });

  it('is found by its id or its code, and an unknown one is 404 naming what was typed', () => {
    const id = customerService.list(t.ctx, { search: 'Meera' }).items[0]!.id;
    expect(customerIdOf(t.ctx, id)).toBe(id);
    expect(customerIdOf(t.ctx, `CUS-${t.ctx.settings.device_tag}-000001`)).toBe(id);
    expect(refusal(() => customerIdOf(t.ctx, 'CUS-NOPE')).message).toBe("customer 'CUS-NOPE' not found");
  });

  it('refuses a lead that does not exist, a second customer with a code taken, and a bad email', () => {
    expect(refusal(() => customerService.create(t.ctx, { name: 'X', lead_id: 'no-lead' })).details[0]).toMatchObject({ field: 'lead_id' });
    expect(refusal(() => customerService.create(t.ctx, { name: 'Y', customer_code: 'CUST-123' })).details[0]).toMatchObject({ field: 'customer_code' });
    expect(refusal(() => customerService.create(t.ctx, { name: 'Z', email: 'not-an-email' })).details).toEqual([{ field: 'email', message: 'must be an email address' }]);
  });

  it('keeps a number stored long ago as it was when an edit sends it back unchanged, and reads a changed one', () => {
    const c = customerService.create(t.ctx, { name: 'Old Number' });
    t.ctx.db.prepare('UPDATE sales_customers SET phone = ? WHERE id = ?').run('ask at reception', c.id);
    expect(customerService.update(t.ctx, c.id, { phone: 'ask at reception', address: 'MG Road' })).toMatchObject({ phone: 'ask at reception', address: 'MG Road' });
    expect(customerService.update(t.ctx, c.id, { phone: '080 2222 3333' }).phone).toBe('+918022223333');
    expect(refusal(() => customerService.update(t.ctx, c.id, { phone: '12' })).details[0]).toMatchObject({ field: 'phone' });
  });
});
