import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from './errors.js';
import { money, parsing, parsingFor } from './validation.js';

// A service's input is read by its schema once: by dispatch (which hands `.parsed` the
// value) or, for the CLI, the demo and tests, by the service's own entry. Money shows why:
// ₹1,234.50 read once is 123450 paise; read twice it would be a hundred times that.

const payment = z.strictObject({ amount: money({ positive: true }), note: z.string().optional() });
const seen: unknown[] = [];
const record = parsing(payment, (ctx: { tenant: string }, input) => {
  seen.push(input);
  return `${ctx.tenant}: ${input.amount}`;
});
const refund = parsingFor(payment, (ctx: { tenant: string }, id, input) => `${ctx.tenant} ${id}: ${input.amount}`);

describe('a service entry parses its input once', () => {
  it('reads a raw amount in rupees as paise when called itself', () => {
    expect(record({ tenant: 'acme' }, { amount: 1234.5 })).toBe('acme: 123450');
    expect(refund({ tenant: 'acme' }, 'BKG-1', { amount: 0.01 })).toBe('acme BKG-1: 1');
  });

  it('takes a value already read as it is through .parsed (no second transform)', () => {
    seen.length = 0;
    const read = payment.parse({ amount: 1234.5 });
    expect(record.parsed({ tenant: 'acme' }, read)).toBe('acme: 123450');
    expect(refund.parsed({ tenant: 'acme' }, 'BKG-1', read)).toBe('acme BKG-1: 123450');
    expect(seen).toEqual([{ amount: 123450 }]);
  });

  it('refuses bad input naming the field, and runs nothing', () => {
    seen.length = 0;
    let error: unknown;
    try {
      record({ tenant: 'acme' }, { amount: -5, extra: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details.map((d) => d.field).sort()).toEqual(['amount', 'extra']);
    expect(seen).toEqual([]);
  });

  it('exposes the schema both entries use', () => {
    expect(record.input).toBe(payment);
    expect(refund.input).toBe(payment);
  });
});
