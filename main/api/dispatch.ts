import { z } from 'zod';
import { validationError } from '../domain/errors.js';
import { parseInput } from '../domain/validation.js';
import { csvExport, csvOptionsInput, originOf, type CsvExport } from '../services/exports.js';
import { reportTable, type ReportQuery } from '../services/reports.js';
import { idOrCode } from '../services/records.js';
import { authorize, sessionFor } from './access.js';
import { reportOperations, specOf, type OperationOutput, type SessionOperation } from './contract.js';
import type { Session } from './session.js';

// Dispatch: an operation of the contract run for a signed-in session — SPEC §11's rule,
// the input's shape, a record named by its code made its id, then what runs it.
// Transports call `dispatch`; nothing here knows which transport that is.

/** Deeper than any input of the contract nests (a milestone's metadata included). */
export const MAX_INPUT_DEPTH = 32;

/** The top-level field of an input nested deeper than the cap, or null: walked without recursion, so no depth can overflow the stack. */
export function tooDeep(input: unknown, max = MAX_INPUT_DEPTH): string | null {
  if (input === null || typeof input !== 'object') return null;
  const stack: [unknown, number, string][] = Object.entries(input as object).map(([k, v]) => [v, 1, k]);
  while (stack.length) {
    const [value, depth, field] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= max) return field;
    for (const v of Object.values(value as object)) stack.push([v, depth + 1, field]);
  }
  return null;
}

/**
 * SPEC §11's table (main/api/access.ts), then the input read by the operation's schema —
 * once: what runs it takes the value as read — then what more a sales rep is held to:
 * the input as it is to be run, or 403/422.
 */
export function checkAccess(name: SessionOperation, session: Session, input: unknown): unknown {
  authorize(name, session, undefined);
  const deep = tooDeep(input);
  if (deep !== null) throw validationError(deep, `is nested too deeply (more than ${MAX_INPUT_DEPTH} levels)`);
  return authorize(name, session, parseInput(specOf(name).input, input));
}

/**
 * The input with a record named by its code named by its id, before the rules and the
 * service see it — looked up in the data the session sees (a rep under rep_scope = own:
 * their share), so another's record is as unknown by its code as by any other name.
 */
export function withIds(name: SessionOperation, session: Session, input: unknown): unknown {
  const ref = specOf(name).byCode;
  if (!ref || input === null || typeof input !== 'object') return input;
  const [field, table, codeColumn] = ref;
  const value = (input as Record<string, unknown>)[field];
  if (typeof value !== 'string') return input;
  return { ...input, [field]: idOrCode(session.ctx, table, codeColumn, value) };
}

/** The session an operation runs as (a rep's share of the data), once the user's role may call it: nothing is read for a role refused. */
function runningAs(name: SessionOperation, session: Session): Session {
  authorize(name, session, undefined);
  return sessionFor(name, session);
}

/** The operation's answer, or a promise of it (sync talks to the network); transports await it. */
export function dispatch<K extends SessionOperation>(name: K, session: Session, given: unknown): { created: boolean; data: OperationOutput<K> | Promise<OperationOutput<K>> } {
  const runAs = runningAs(name, session);
  const allowed = checkAccess(name, session, withIds(name, runAs, given));
  const spec = specOf(name);
  const data = spec.run(runAs, allowed) as OperationOutput<K> | Promise<OperationOutput<K>>;
  return { created: Boolean(spec.creates), data };
}

/**
 * A report operation's rows as CSV, through the same writer as the CLI export: the
 * tenant's locale decides the delimiter unless `delimiter` is given; `details=comment`
 * puts the `#` line first (a side file has no place in one response).
 */
export function dispatchCsv(name: keyof typeof reportOperations, session: Session, given: Record<string, unknown>): CsvExport {
  const runAs = runningAs(name, session);
  const { details, delimiter, ...asked } = withIds(name, runAs, given) as Record<string, unknown>;
  const filters = checkAccess(name, session, asked) as ReportQuery;
  const options = parseInput(z.strictObject(csvOptionsInput), { details, delimiter });
  if (options.details === 'side') throw validationError('details', 'a side file is written by the app and the CLI; ask for comment or none here');
  const report = reportOperations[name];
  const { rows, shape } = reportTable(runAs.ctx, report, filters);
  return csvExport(originOf(session.ctx), report, { rows, shape, filters: stringFilters(asked), options });
}

const stringFilters = (input: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, String(v)]));
