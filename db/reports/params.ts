import type Database from 'better-sqlite3';
import { addMonths, lastDayOfMonth, monthOf } from '../values/dates.js';

export type Db = Database.Database;

/** Filters of SPEC §5: inclusive local dates; as_of resolved by the caller (tenant's today). */
export interface Period {
  from?: string | null;
  to?: string | null;
}

export interface AsOf {
  as_of: string;
}

export const periodParams = (p: Period) => ({ from: p.from ?? null, to: p.to ?? null });

/** SQL fragment: `column` within the optional period (named params @from, @to). */
export const inPeriod = (column: string) => `(@from IS NULL OR ${column} >= @from) AND (@to IS NULL OR ${column} <= @to)`;

/**
 * A period split for the aggregates (migration 0007): the whole months inside it,
 * read from the monthly tables (@m_from–@m_to, `YYYY-MM`), and the days at either
 * end that do not make a whole month, read from the daily tables (@a_from–@a_to and
 * @b_from–@b_to). An open end takes every month on that side; a part that is empty
 * has null bounds, which SQL's BETWEEN matches with nothing.
 */
export function monthlySplit(from: string | null | undefined, to: string | null | undefined) {
  const startsMonth = !from || from.endsWith('-01');
  const endsMonth = !to || to === lastDayOfMonth(monthOf(to));
  const mFrom = !from ? '0000-00' : startsMonth ? monthOf(from) : addMonths(monthOf(from), 1);
  const mTo = !to ? '9999-99' : endsMonth ? monthOf(to) : addMonths(monthOf(to), -1);
  if (mFrom > mTo) {
    // Inside one month, or across two partial ones: days only.
    return { m_from: null, m_to: null, a_from: from ?? null, a_to: to ?? null, b_from: null, b_to: null };
  }
  return {
    m_from: mFrom,
    m_to: mTo,
    a_from: startsMonth ? null : from!,
    a_to: startsMonth ? null : lastDayOfMonth(monthOf(from!)),
    b_from: endsMonth ? null : `${monthOf(to!)}-01`,
    b_to: endsMonth ? null : to!,
  };
}

/** SQL: a monthly table's `month` within the split's whole months. */
export const inWholeMonths = (column = 'month') => `${column} BETWEEN @m_from AND @m_to`;
/** SQL: a daily table's date within the split's partial months. */
export const inEdgeDays = (column: string) => `(${column} BETWEEN @a_from AND @a_to OR ${column} BETWEEN @b_from AND @b_to)`;
