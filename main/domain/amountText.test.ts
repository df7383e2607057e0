import { describe, expect, it } from 'vitest';
import { readAmount } from './amountText.js';

// Amounts as people type them, in the tenant's locale.
describe('typed amounts', () => {
  it('read the grouping people type, in the locale, with or without a currency sign', () => {
    for (const text of ['62,40,000', '6,240,000', '62 40 000', '6240000', '₹62,40,000', '₹ 62,40,000.00', 'Rs. 62,40,000', '62\u00a040\u00a0000']) {
      expect(readAmount(text, 'en-IN'), text).toEqual({ value: 6240000 });
    }
    expect(readAmount('62,40,000.5', 'en-IN')).toEqual({ value: 6240000.5 });
    expect(readAmount('0.05', 'en-IN')).toEqual({ value: 0.05 });
    expect(readAmount('6.240.000,50', 'de-DE')).toEqual({ value: 6240000.5 });
    expect(readAmount('6 240 000,50', 'fr-FR')).toEqual({ value: 6240000.5 });
    expect(readAmount('6,240,000.50', 'en-US')).toEqual({ value: 6240000.5 });
  });

  it('refuse a third decimal, a negative and what is no amount, each in its own words', () => {
    expect(readAmount('75000.555', 'en-IN')).toEqual({ error: 'has 3 decimals: amounts are kept to 2 (the paisa or cent)' });
    expect(readAmount('-5000', 'en-IN')).toEqual({ error: 'must not be negative' });
    expect(readAmount('62.40.000', 'en-IN')).toEqual({ error: 'must be an amount, such as 62,40,000.00' });
    expect(readAmount('twelve', 'en-IN')).toEqual({ error: 'must be an amount, such as 62,40,000.00' });
    expect(readAmount('  ', 'en-IN')).toEqual({ error: 'is required' });
    expect(readAmount('1000000000000', 'en-IN')).toEqual({ error: 'must be less than 1000000000000' });
  });
});
