import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../values/dates.js';
import { monthlySplit } from './params.js';

// The monthly split must cover every day of the period exactly once: whole months
// from the monthly aggregates, the rest from the daily ones.
const day = fc.integer({ min: 0, max: 800 }).map((n) => addDays('2024-01-01', n));
const between = (d: string, a: string | null, b: string | null) => a !== null && b !== null && a <= d && d <= b;

describe('monthlySplit', () => {
  it('covers each day of any period once, by a whole month or by an edge day', () => {
    fc.assert(
      fc.property(fc.option(day), fc.option(day), (from, to) => {
        if (from && to && to < from) return;
        const s = monthlySplit(from, to);
        for (let d = '2023-12-01'; d <= '2026-04-30'; d = addDays(d, 1)) {
          const inside = (!from || d >= from) && (!to || d <= to);
          const hits = Number(between(d.slice(0, 7), s.m_from, s.m_to)) + Number(between(d, s.a_from, s.a_to)) + Number(between(d, s.b_from, s.b_to));
          expect(hits, `${d} in ${from}–${to}`).toBe(inside ? 1 : 0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads whole months only when the period is made of them', () => {
    expect(monthlySplit('2025-09-01', '2025-11-30')).toEqual({ m_from: '2025-09', m_to: '2025-11', a_from: null, a_to: null, b_from: null, b_to: null });
    expect(monthlySplit('2025-09-15', '2025-11-10')).toEqual({ m_from: '2025-10', m_to: '2025-10', a_from: '2025-09-15', a_to: '2025-09-30', b_from: '2025-11-01', b_to: '2025-11-10' });
    expect(monthlySplit('2025-09-15', '2025-09-20')).toEqual({ m_from: null, m_to: null, a_from: '2025-09-15', a_to: '2025-09-20', b_from: null, b_to: null });
    expect(monthlySplit(null, '2024-02-29').m_to).toBe('2024-02');
  });
});
