import { refreshReceivables } from '../../db/receivablesState.js';
import { today } from '../domain/context.js';
import { contract, specOf, type SessionOperation } from './contract.js';
import { ownScope, refuse, ROLES, seenData } from './rules.js';
import type { Session } from './session.js';

// SPEC §11 applied, the same for every transport: whether a user's role may call an
// operation (its rule is declared with it, main/api/operations/), what more a sales rep
// is held to, and the data a rep's reads run on.

/** The roles an operation is open to. */
export const rolesFor = (name: SessionOperation): readonly string[] => ROLES[specOf(name).who.who];

/** The operations a role may call (a rep's still checked lead by lead): what the app offers them. */
export const operationsFor = (role: string): string[] => Object.keys(contract).filter((name) => rolesFor(name as SessionOperation).includes(role));

/**
 * Whether the session's user may call the operation with this input: 403 naming the
 * role (or the field a rep may not set) when not; the input as it is to be run
 * (a rep's new lead assigned to them).
 */
export function authorize(name: SessionOperation, session: Session, input: unknown): unknown {
  const { who: rule, said } = specOf(name);
  const roles = ROLES[rule.who];
  if (!roles.includes(session.user.role)) {
    // `units.update` → "a sales rep may not update units" (a few names said better by hand).
    const [noun = name, verb = ''] = name.split('.');
    const doing = said ?? `${verb.replace(/([A-Z])/g, ' $1').toLowerCase()} ${noun.replace(/([A-Z])/g, ' $1').toLowerCase()}`.trim();
    throw refuse(`a ${session.user.role.replace('_', ' ')} may not ${doing}`, 'role', `must be one of: ${roles.join(', ')}`);
  }
  if (session.user.role === 'sales_rep' && rule.rep && input !== null && typeof input === 'object' && !Array.isArray(input)) return rule.rep(session, input as Record<string, unknown>);
  return input;
}

/** Reads of today's receivables aging: made current on the tenant's own connection first (the rep's cannot write). */
const AGING_READS = (name: SessionOperation) => name.startsWith('reports.') || name === 'exports.csv' || name === 'exports.xlsx';

/**
 * The session an operation runs as: under rep_scope = own a rep's reads run on their
 * share of the data — a read-only connection in which the leads and all that hangs off
 * them are the rep's only (db/scope.ts) — every list, record, report, drill-down,
 * export and document.
 */
export function sessionFor(name: SessionOperation, session: Session): Session {
  if (!ownScope(session) || !specOf(name).reads) return session;
  // Receivables are kept by writes the rep's read-only connection cannot make: brought up to date here first.
  refreshReceivables(session.ctx.db, today(session.ctx), AGING_READS(name));
  const { db, orm } = seenData(session);
  return { ...session, ctx: { ...session.ctx, db, orm } };
}
