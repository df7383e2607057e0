import pg from 'pg';
import type { Params, ReportPlan } from '../reports/plan.js';

// Running a report plan (db/reports/plan.ts) on Postgres: the same SQL with its
// named parameters turned into numbered ones, each a prepared statement per
// connection, as SQLite's statement cache does.

const INT8 = 20;
const NUMERIC = 1700;

/** Counts (int8) and sums (numeric) as JS numbers, as SQLite gives them: minor units stay far below 2^53. */
export const numberTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

interface Translated {
  name: string;
  text: string;
  names: string[];
}

const translated = new Map<string, Translated>();

/** `@from` → `$1::text`, the same name the same number; report parameters are text or null. */
export function toPostgres(sql: string): Translated {
  let t = translated.get(sql);
  if (!t) {
    const names: string[] = [];
    const text = sql.replace(/@([A-Za-z_]\w*)/g, (_, name: string) => {
      if (!names.includes(name)) names.push(name);
      return `$${names.indexOf(name) + 1}::text`;
    });
    t = { name: `milepost_report_${translated.size + 1}`, text, names };
    translated.set(sql, t);
  }
  return t;
}

export async function pgQuery<T>(client: pg.ClientBase, sql: string, params: Params = {}): Promise<T[]> {
  const t = toPostgres(sql);
  const values = t.names.map((n) => {
    if (!(n in params)) throw new Error(`report parameter @${n} has no value`);
    return params[n];
  });
  return (await client.query({ name: t.name, text: t.text, values })).rows as T[];
}

export async function onPostgres<R>(client: pg.ClientBase, plan: ReportPlan<R>): Promise<R> {
  let step = plan.next();
  while (!step.done) {
    const { sql, params, single } = step.value;
    const rows = await pgQuery(client, sql, params);
    step = plan.next(single ? rows[0] : rows);
  }
  return step.value;
}
