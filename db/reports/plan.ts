import type Database from 'better-sqlite3';
import { prepareCached } from '../statements.js';

// A report is written once, as a generator that yields its queries and works the
// rows into the result, so the same SQL and the same arithmetic run on a tenant's
// SQLite (synchronously, here) and on the central Postgres (asynchronously, in
// db/pg/reports.ts). Report SQL sticks to what both engines read alike: named
// parameters `@name` holding text, CASE instead of summed booleans, julianday()
// (which the Postgres schema defines).

export type Params = Record<string, string | number | null>;

export interface Query {
  sql: string;
  params: Params;
  /** One row (or undefined) instead of all rows. */
  single: boolean;
}

export type ReportPlan<R> = Generator<Query, R, unknown>;

export function* all<T>(sql: string, params: Params = {}): Generator<Query, T[], unknown> {
  return (yield { sql, params, single: false }) as T[];
}

/** One row of an aggregate query (which always returns one). */
export function* one<T>(sql: string, params: Params = {}): Generator<Query, T, unknown> {
  return (yield { sql, params, single: true }) as T;
}

export function onSqlite<R>(db: Database.Database, plan: ReportPlan<R>): R {
  let step = plan.next();
  while (!step.done) {
    const { sql, params, single } = step.value;
    const stmt = prepareCached(db, sql);
    const args = Object.keys(params).length ? [params] : [];
    step = plan.next(single ? stmt.get(...args) : stmt.all(...args));
  }
  return step.value;
}
