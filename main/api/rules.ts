import { prepareCached } from '../../db/statements.js';
import { AppError } from '../domain/errors.js';
import type { Session } from './session.js';

// SPEC §11: who may do what. Each operation names its rule where it is declared
// (main/api/operations/), one for every transport (HTTP, the desktop's IPC and anything
// else that calls `dispatch`) — the type makes a new operation without a rule a compile
// error — and for a sales rep what more is checked: a rep changes only their own leads and what hangs
// off them (milestones, engagements, follow-ups, holds, bookings), records payments but
// no other money, and creates leads for themselves.
//
// | action                                                            | sales_rep  | manager | admin |
// | leads, milestones, engagements, follow-ups, holds: create, edit   | own leads  | ✔       | ✔     |
// | book a unit                                                       | own leads  | ✔       | ✔     |
// | record a payment                                                  | ✔          | ✔       | ✔     |
// | cancel a booking, refunds, credit/debit notes, adjustments, reversals | ✘      | ✔       | ✔     |
// | campaigns, sources, units, plans, stages, inventory: create, edit | ✘          | ✔       | ✔     |
// | import leads, reassign leads, delete leads                        | ✘          | ✔       | ✔     |
// | users, stage and tenant settings, sync settings                   | ✘          | ✘       | ✔     |

export type Who = 'everyone' | 'managers' | 'admins';
type Input = Record<string, unknown>;

export interface Rule {
  who: Who;
  /** For a sales rep allowed the operation: what more must hold (throws 403), and the input as the rep may send it. */
  rep?: (s: Session, input: Input) => Input;
}

export const ROLES: Record<Who, readonly string[]> = { everyone: ['admin', 'manager', 'sales_rep'], managers: ['admin', 'manager'], admins: ['admin'] };

export const refuse = (message: string, field: string, must: string) => new AppError('forbidden', message, [{ field, message: must }]);

/** The lead a record hangs off, by the record's table and id (undefined when there is no such record: the handler answers 404). */
function leadOf(s: Session, table: 'leads' | 'milestones' | 'engagements' | 'unit_holds', id: unknown): { id: string; lead_code: string | null; assigned_to: string | null } | undefined {
  if (typeof id !== 'string') return undefined;
  const sql = {
    leads: 'SELECT id, lead_code, assigned_to FROM sales_leads WHERE id = ? AND deleted_at IS NULL',
    milestones: 'SELECT l.id, l.lead_code, l.assigned_to FROM sales_lead_milestones m JOIN sales_leads l ON l.id = m.lead_id WHERE m.id = ?',
    engagements: 'SELECT l.id, l.lead_code, l.assigned_to FROM sales_lead_engagement g JOIN sales_leads l ON l.id = g.lead_id WHERE g.id = ?',
    // A unit's live hold.
    unit_holds: `SELECT l.id, l.lead_code, l.assigned_to FROM sales_unit_holds h JOIN sales_leads l ON l.id = h.lead_id
      WHERE h.unit_id = ? AND h.deleted_at IS NULL AND h.released_at IS NULL ORDER BY h.held_at DESC LIMIT 1`,
  }[table];
  return prepareCached(s.ctx.db, sql).get(id) as { id: string; lead_code: string | null; assigned_to: string | null } | undefined;
}

/** A rep may act on a lead only when it is assigned to them. */
export const ownLead = (table: Parameters<typeof leadOf>[1], key: string) => (s: Session, input: Input): Input => {
  const lead = leadOf(s, table, input[key]);
  if (lead && lead.assigned_to?.toLowerCase() !== s.user.username.toLowerCase()) {
    throw refuse(`a sales rep may change only their own leads: lead ${lead.lead_code ?? lead.id} is ${lead.assigned_to ? `assigned to ${lead.assigned_to}` : 'not assigned to them'}`, 'role', 'must be a manager or admin, or the lead must be assigned to you');
  }
  return input;
};

/** Whether the rep's tenant shows them only their own leads (SPEC §11 rep_scope = own). */
export const ownScope = (s: Session) => s.user.role === 'sales_rep' && s.ctx.settings.rep_scope === 'own';

/** Under rep_scope = own, a customer a rep names must be one they see (of their leads): another's is no customer to them. */
export const visibleCustomer = (key: string) => (s: Session, input: Input): Input => {
  const id = input[key];
  if (ownScope(s) && typeof id === 'string' && !prepareCached(seenData(s).db, 'SELECT 1 FROM sales_customers WHERE id = ?').get(id)) {
    // As a customer that does not exist answers (records.ts assertReference): another rep's is none of theirs.
    throw new AppError('not_found', `customer '${id}' not found`, [{ field: key, message: 'no customer with this id among your leads\' customers' }]);
  }
  return input;
};

export const managers: Rule = { who: 'managers' };
export const admins: Rule = { who: 'admins' };
export const everyone: Rule = { who: 'everyone' };

/** The rep's share of the tenant's data (their scoped connection), or the whole where they see it all. */
export function seenData(s: Session) {
  if (!ownScope(s)) return { db: s.ctx.db, orm: s.ctx.orm };
  // A context with no tenant file behind it has no scoped view to give: refuse rather than show everything.
  if (!s.ctx.scopedTo) throw new AppError('forbidden', 'this session cannot show a rep only their own leads', [{ field: 'role', message: 'must be a manager or admin here' }]);
  return s.ctx.scopedTo(s.user.username);
}
