import { afterEach, describe, expect, it } from 'vitest';
import { makeTenant, snapshot } from '../../test/tenantFixture.js';
import { AppError } from '../domain/errors.js';
import { customerService } from './customers.js';
import { createLedgerEntry, customerLedger, reverseLedgerEntry } from './ledger.js';

let t: ReturnType<typeof makeTenant>;
afterEach(() => t?.close());

function withCustomer() {
  t = makeTenant();
  customerService.create(t.ctx, { id: 'cust-123', customer_code: 'C-123', name: 'Meera Iyer' });
  return t.ctx;
}

describe('the customer ledger (SPEC §3)', () => {
  it("derives the seed's example: invoice 100000, payment 75000, credit note 25000", () => {
    const ctx = withCustomer();
    // The seed's three bodies, verbatim.
    createLedgerEntry(ctx, { customer_id: 'cust-123', transaction_type: 'invoice', debit_amount: 100000, credit_amount: 0, balance_after: 100000 });
    createLedgerEntry(ctx, { customer_id: 'cust-123', transaction_type: 'payment', debit_amount: 0, credit_amount: 75000, balance_after: 25000 });
    createLedgerEntry(ctx, { customer_id: 'cust-123', transaction_type: 'credit_note', debit_amount: 0, credit_amount: 25000, balance_after: 0 });
    const ledger = customerLedger(ctx, { customer_id: 'cust-123' });
    expect(ledger.entries.items.map((e) => e.balance_after)).toEqual([100000, 25000, 0]);
    expect(ledger.summary).toMatchObject({
      total_invoiced: 100000, total_paid: 75000, total_credit_notes: 25000, total_debit_notes: 0, outstanding_balance: 0, entry_count: 3,
    });
  });

  it('refuses a mismatching balance_after with 409 and the expected value, writing nothing', () => {
    const ctx = withCustomer();
    createLedgerEntry(ctx, { customer_id: 'cust-123', transaction_type: 'invoice', debit_amount: 1000 });
    const before = snapshot(ctx);
    let error: AppError | undefined;
    try {
      createLedgerEntry(ctx, { customer_id: 'cust-123', transaction_type: 'payment', credit_amount: 400, balance_after: 500 });
    } catch (e) {
      error = e as AppError;
    }
    expect(error?.code).toBe('conflict');
    expect(error?.extra).toEqual({ expected_balance_after: 600 });
    expect(error?.details).toEqual([{ field: 'balance_after', message: 'expected 600.00' }]);
    expect(snapshot(ctx)).toEqual(before);
  });

  it('orders back-dated entries by transaction date and derives every running balance', () => {
    const ctx = withCustomer();
    createLedgerEntry(ctx, { customer_id: 'cust-123', transaction_date: '2025-03-10', transaction_type: 'invoice', debit_amount: 500 });
    createLedgerEntry(ctx, { customer_id: 'cust-123', transaction_date: '2025-03-20', transaction_type: 'payment', credit_amount: 200 });
    // Entered last but dated between the two: its balance is 500 + 50.
    const late = createLedgerEntry(ctx, { customer_id: 'cust-123', transaction_date: '2025-03-15', transaction_type: 'debit_note', debit_amount: 50, balance_after: 550 });
    expect(late.balance_after).toBe(550);
    const items = customerLedger(ctx, { customer_id: 'cust-123' }).entries.items;
    expect(items.map((e) => [e.transaction_date, e.balance_after])).toEqual([
      ['2025-03-10', 500], ['2025-03-15', 550], ['2025-03-20', 350],
    ]);
  });

  it('reverses an entry by appending a counter-entry and never rewrites history', () => {
    const ctx = withCustomer();
    const invoice = createLedgerEntry(ctx, { customer_id: 'cust-123', transaction_date: '2025-11-01', transaction_type: 'invoice', debit_amount: 1234.56 });
    const { original, reversal } = reverseLedgerEntry(ctx, invoice.id, { transaction_date: '2025-11-02' });
    expect(original).toMatchObject({ id: invoice.id, status: 'reversed', debit_amount: 1234.56, credit_amount: 0 });
    expect(reversal).toMatchObject({
      transaction_type: 'adjustment', debit_amount: 0, credit_amount: 1234.56, reference_document_type: 'ledger_entry',
      reference_document_id: invoice.id, balance_after: 0, status: 'active',
    });
    expect(customerLedger(ctx, { customer_id: 'cust-123' }).summary?.outstanding_balance).toBe(0);
    expect(() => reverseLedgerEntry(ctx, invoice.id)).toThrow(/is reversed and cannot be reversed/);
  });

  it('keeps money exact: 10,000 entries of 0.10 sum to 1000.00', () => {
    const ctx = withCustomer();
    ctx.db.transaction(() => {
      for (let i = 0; i < 10_000; i += 1) createLedgerEntry(ctx, { customer_id: 'cust-123', transaction_type: 'invoice', debit_amount: 0.1 });
    })();
    const ledger = customerLedger(ctx, { customer_id: 'cust-123', limit: 500, offset: 9_900 });
    expect(ledger.summary).toMatchObject({ total_invoiced: 1000, outstanding_balance: 1000, entry_count: 10_000 });
    expect(ledger.entries.items.at(-1)?.balance_after).toBe(1000);
    expect(ctx.db.prepare('SELECT sum(debit_amount) AS s FROM sales_account_ledgers').get()).toEqual({ s: 100_000 });
  });

  it('refuses amounts that are not money: a third decimal, negative, NaN, a string, both or neither side', () => {
    const ctx = withCustomer();
    const before = snapshot(ctx);
    const attempt = (body: Record<string, unknown>) => {
      try {
        createLedgerEntry(ctx, { customer_id: 'cust-123', transaction_type: 'invoice', ...body });
        return null;
      } catch (e) {
        return (e as AppError).details;
      }
    };
    expect(attempt({ debit_amount: 10.005 })).toEqual([{ field: 'debit_amount', message: 'must have at most 2 decimals' }]);
    expect(attempt({ debit_amount: -5 })).toEqual([{ field: 'debit_amount', message: 'must not be negative' }]);
    expect(attempt({ debit_amount: Number.NaN })?.[0]?.field).toBe('debit_amount');
    expect(attempt({ debit_amount: '100' })).toEqual([{ field: 'debit_amount', message: 'must be a number' }]);
    expect(attempt({ debit_amount: 5, credit_amount: 5 })?.map((d) => d.field)).toEqual(['debit_amount', 'credit_amount']);
    expect(attempt({})?.map((d) => d.field)).toEqual(['debit_amount', 'credit_amount']);
    expect(attempt({ debit_amount: 5, transaction_type: 'gift' })).toEqual([
      { field: 'transaction_type', message: 'must be one of: invoice, payment, credit_note, debit_note, adjustment, refund' },
    ]);
    expect(snapshot(ctx)).toEqual(before);
  });

  it('assigns sequential ledger codes carrying the device tag', () => {
    const ctx = withCustomer();
    const a = createLedgerEntry(ctx, { customer_id: 'cust-123', transaction_type: 'invoice', debit_amount: 1 });
    const b = createLedgerEntry(ctx, { customer_id: 'cust-123', transaction_type: 'invoice', debit_amount: 1 });
    const tag = ctx.settings.device_tag;
    expect([a.ledger_code, b.ledger_code]).toEqual([`LED-${tag}-000001`, `LED-${tag}-000002`]);
    expect(() => createLedgerEntry(ctx, { customer_id: 'cust-123', ledger_code: a.ledger_code, transaction_type: 'invoice', debit_amount: 1 })).toThrow(/already exists/);
  });
});

describe('entries on their side (issue 16, the new-user pass)', () => {
  it('refuses a payment as a debit, a refund as a credit, and a payment naming a booking not of the customer; a third decimal at any size', async () => {
    const { makeTenant, refusal, snapshot } = await import('../../test/tenantFixture.js');
    const { customerService } = await import('./customers.js');
    const { createLedgerEntry } = await import('./ledger.js');
    const t = makeTenant();
    try {
      customerService.create(t.ctx, { id: 'c1', name: 'Asha' });
      const before = snapshot(t.ctx);
      const field = (input: Record<string, unknown>) => refusal(() => createLedgerEntry(t.ctx, { customer_id: 'c1', ...input })).details[0]!.field;
      expect(field({ transaction_type: 'payment', debit_amount: 100 })).toBe('debit_amount');
      expect(field({ transaction_type: 'refund', credit_amount: 100 })).toBe('credit_amount');
      expect(field({ transaction_type: 'payment', credit_amount: 100, reference_document_type: 'booking', reference_document_id: 'nope' })).toBe('reference_document_id');
      expect(field({ transaction_type: 'payment', credit_amount: 124800.005 })).toBe('credit_amount');
      expect(snapshot(t.ctx)).toEqual(before);
      expect(createLedgerEntry(t.ctx, { customer_id: 'c1', transaction_type: 'adjustment', credit_amount: 100 }).credit_amount).toBe(100);
    } finally {
      t.close();
    }
  });
});
