import { tidyName } from '../values/names.js';
import { bookingStatuses } from '../schema/enums.js';
import { averageMinor, fromMinor } from '../values/money.js';
import { inEdgeDays, inPeriod, inWholeMonths, monthlySplit, type Db, type Period } from './params.js';
import { all, onSqlite, type ReportPlan } from './plan.js';

export interface BookingSummaryRow {
  status: string;
  booking_count: number;
  total_amount: number;
  units_booked: number;
  average_amount: number;
}

// From the aggregates kept by triggers (migrations 0003, 0007).
const SQL = `
  SELECT status, sum(n) AS booking_count, sum(amount) AS total_minor, sum(units) AS units_booked
  FROM (
    SELECT status, n, amount, units FROM agg_bookings_monthly WHERE ${inWholeMonths()}
    UNION ALL
    SELECT status, n, amount, units FROM agg_bookings_daily WHERE ${inEdgeDays('booking_date')}
  ) AS bookings
  GROUP BY status`;

// One project's bookings: the aggregates have no project, so its rows are
// read directly (sales_bookings_unit_idx leads with the project), matched as SPEC §3
// matches names: without regard to case.
const BY_PROJECT = `
  SELECT status, count(*) AS booking_count, coalesce(sum(booking_amount), 0) AS total_minor, coalesce(sum(units_booked), 0) AS units_booked
  FROM sales_bookings
  WHERE deleted_at IS NULL AND lower(project_name) = lower(@project) AND ${inPeriod('booking_date')}
  GROUP BY status`;

/** SPEC §5 v_booking_summary: one row per booking status, every status listed (0 when none); of one project when asked. */
export function* bookingSummaryPlan(p: Period & { project_name?: string | null }): ReportPlan<BookingSummaryRow[]> {
  type Row = { status: string; booking_count: number; total_minor: number; units_booked: number };
  const rows = p.project_name
    ? yield* all<Row>(BY_PROJECT, { project: tidyName(p.project_name), from: p.from ?? null, to: p.to ?? null })
    : yield* all<Row>(SQL, monthlySplit(p.from, p.to));
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

export const bookingSummaryReport = (db: Db, p: Period) => onSqlite(db, bookingSummaryPlan(p));
