import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, type Instalment } from '../../db/values/allocation.js';
import { scheduleOf, type PlanInstalment } from './schedule.js';

const NONE = new Map<string, string | null>();

describe('a plan as a booking\'s schedule (SPEC §10)', () => {
  it('splits 62,40,000 at 10/40/50 into 6,24,000, 24,96,000 and 31,20,000', () => {
    const plan: PlanInstalment[] = [
      { label: 'On booking', percent: 1000, due: 'on_booking' },
      { label: 'Plinth', percent: 4000, due: { stage: 'Plinth' } },
      { label: 'Possession', percent: 5000, due: { after_days: 365 } },
    ];
    expect(scheduleOf(plan, 624_000_000, '2025-11-10', new Map([['plinth', '2025-12-01']]), 15)).toEqual([
      { seq: 1, label: 'On booking', amount: 62_400_000, due_date: '2025-11-10', stage: null },
      { seq: 2, label: 'Plinth', amount: 249_600_000, due_date: '2025-12-16', stage: 'Plinth' },
      { seq: 3, label: 'Possession', amount: 312_000_000, due_date: '2026-11-10', stage: null },
    ]);
    // A stage not yet complete leaves its instalment undated; one done before the booking is due on booking.
    expect(scheduleOf(plan, 624_000_000, '2025-11-10', NONE, 15)[1]!.due_date).toBeNull();
    expect(scheduleOf(plan, 624_000_000, '2025-11-10', new Map([['plinth', '2025-09-01']]), 15)[1]!.due_date).toBe('2025-11-10');
  });

  it('puts the rounding remainder on the last row: 1,00,001 at 33.33/33.33/33.34', () => {
    const thirds: PlanInstalment[] = [3333, 3333, 3334].map((percent, i) => ({ label: `Part ${i + 1}`, percent, due: 'on_booking' as const }));
    // 33.33 % of 1,00,001.00 is 33,330.33333: 33,330.33 twice, and 1,00,001.00 − 66,660.66 = 33,340.34 last.
    expect(scheduleOf(thirds, 10_000_100, '2025-11-10', NONE, 15).map((r) => r.amount)).toEqual([3_333_033, 3_333_033, 3_334_034]);
  });

  it('always sums to the booking amount exactly, to the paisa', () => {
    const percents = fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 12 }).map((ps) => {
      const sum = ps.reduce((a, b) => a + b, 0);
      // Scale to hundredths summing to exactly 10000.
      const scaled = ps.map((p) => Math.max(1, Math.floor((p * 10000) / sum)));
      scaled[scaled.length - 1]! += 10000 - scaled.reduce((a, b) => a + b, 0);
      return scaled;
    }).filter((ps) => ps.every((p) => p > 0));
    fc.assert(fc.property(percents, fc.integer({ min: 1, max: 99_999_999_999_99 }), (ps, amount) => {
      const rows = scheduleOf(ps.map((percent) => ({ label: 'x', percent, due: 'on_booking' as const })), amount, '2025-01-01', NONE, 15);
      return rows.reduce((a, r) => a + r.amount, 0) === amount && rows.every((r) => r.amount >= 0);
    }));
  });
});

describe('receipts paying instalments (SPEC §10)', () => {
  const inst = (id: string, booking: string, due: string | null, amount: number, seq = 1, bookingDate = '2025-01-01'): Instalment => ({ id, booking_id: booking, due_date: due, booking_date: bookingDate, seq, amount });

  it('pays in due-date order, a booking\'s own payment first, and keeps what is beyond everything as an advance', () => {
    const instalments = [inst('a1', 'A', '2025-01-01', 10_000), inst('a2', 'A', '2025-03-01', 40_000, 2), inst('b1', 'B', '2025-02-01', 25_000, 1, '2025-02-01'), inst('a3', 'A', null, 50_000, 3)];
    // 45,000 naming A pays A first, in order: a1 10,000, a2 35,000. Then 30,000 unreferenced
    // pays by due date: b1 (1 February) 25,000, a2's last 5,000; a3, undated, waits.
    const r = allocate(instalments, [{ amount: 30_000, booking_id: null }, { amount: 45_000, booking_id: 'A' }]);
    expect(Object.fromEntries(r.paid)).toEqual({ a1: 10_000, a2: 40_000, b1: 25_000, a3: 0 });
    expect(r.advance).toBe(0);
    const more = allocate(instalments, [{ amount: 200_000, booking_id: null }, { amount: -60_000, booking_id: null }]);
    expect(Object.fromEntries(more.paid)).toEqual({ a1: 10_000, a2: 40_000, b1: 25_000, a3: 50_000 });
    expect(more.advance).toBe(15_000); // 1,40,000 net less 1,25,000 owed
  });

  it('never pays more than an instalment, and keeps every rupee: paid + advance − overdrawn = net receipts', () => {
    const instalment = fc.record({ booking: fc.constantFrom('A', 'B', 'C'), due: fc.option(fc.integer({ min: 1, max: 28 })), amount: fc.integer({ min: 0, max: 1_000_000 }) });
    const receipt = fc.record({ amount: fc.integer({ min: -500_000, max: 2_000_000 }), booking_id: fc.option(fc.constantFrom('A', 'B', 'C', 'Z')) });
    fc.assert(fc.property(fc.array(instalment, { maxLength: 10 }), fc.array(receipt, { maxLength: 8 }), (is, rs) => {
      const list = is.map((i, n) => inst(`i${n}`, i.booking, i.due === null ? null : `2025-01-${String(i.due).padStart(2, '0')}`, i.amount, n));
      const r = allocate(list, rs);
      const paid = [...r.paid.values()].reduce((a, b) => a + b, 0);
      const net = rs.reduce((a, b) => a + b.amount, 0);
      return list.every((i) => r.paid.get(i.id)! >= 0 && r.paid.get(i.id)! <= i.amount) && paid + r.advance - r.overdrawn === net;
    }));
  });
});
