import { bookingStatuses } from '../schema/enums.js';
import { statement } from '../statements.js';
import { averageMinor, fromMinor } from '../../main/domain/money.js';
import { inPeriod, periodParams, type Db, type Period } from './params.js';

export interface BookingSummaryRow {
  status: string;
  booking_count: number;
  total_amount: number;
  units_booked: number;
  average_amount: number;
}

// From the daily aggregate kept by triggers (migration 0003).
const SQL = `
  SELECT status, sum(n) AS booking_count, sum(amount) AS total_minor, sum(units) AS units_booked
  FROM agg_bookings_daily WHERE ${inPeriod('booking_date')}
  GROUP BY status`;

/** SPEC §5 v_booking_summary: one row per booking status, every status listed (0 when none). */
export function bookingSummaryReport(db: Db, p: Period): BookingSummaryRow[] {
  const rows = statement(db, SQL).all(periodParams(p)) as { status: string; booking_count: number; total_minor: number; units_booked: number }[];
  const byStatus = new Map(rows.map((r) => [r.status, r]));
  return bookingStatuses.map((status) => {
    const r = byStatus.get(status) ?? { booking_count: 0, total_minor: 0, units_booked: 0 };
    return {
      status,
      booking_count: r.booking_count,
      total_amount: fromMinor(r.total_minor),
      units_booked: r.units_booked,
      average_amount: fromMinor(averageMinor(r.total_minor, r.booking_count)),
    };
  });
}
