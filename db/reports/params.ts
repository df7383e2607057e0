import type Database from 'better-sqlite3';

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
