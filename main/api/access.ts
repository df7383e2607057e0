import { refreshReceivables } from '../../db/receivablesState.js';
import { statement } from '../../db/statements.js';
import { today } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import type { Session } from './session.js';
import type { SessionOperation } from './operations.js';

// SPEC §11: who may do what, in one place for every transport (HTTP, the desktop's
// IPC and anything else that calls `dispatch`). Every operation is listed — the type
// makes a new operation without a rule a compile error — with who may call it, and for
// a sales rep what more is checked: a rep changes only their own leads and what hangs
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

type Who = 'everyone' | 'managers' | 'admins';
type Input = Record<string, unknown>;

interface Rule {
  who: Who;
  /** For a sales rep allowed the operation: what more must hold (throws 403), and the input as the rep may send it. */
  rep?: (s: Session, input: Input) => Input;
}

const ROLES: Record<Who, readonly string[]> = { everyone: ['admin', 'manager', 'sales_rep'], managers: ['admin', 'manager'], admins: ['admin'] };

const refuse = (message: string, field: string, must: string) => new AppError('forbidden', message, [{ field, message: must }]);

/** The lead a record hangs off, by the record's table and id (undefined when there is no such record: the handler answers 404). */
function leadOf(s: Session, table: 'leads' | 'milestones' | 'engagements' | 'unit_holds', id: unknown): { id: string; assigned_to: string | null } | undefined {
  if (typeof id !== 'string') return undefined;
  const sql = {
    leads: 'SELECT id, assigned_to FROM sales_leads WHERE id = ? AND deleted_at IS NULL',
    milestones: 'SELECT l.id, l.assigned_to FROM sales_lead_milestones m JOIN sales_leads l ON l.id = m.lead_id WHERE m.id = ?',
    engagements: 'SELECT l.id, l.assigned_to FROM sales_lead_engagement g JOIN sales_leads l ON l.id = g.lead_id WHERE g.id = ?',
    // A unit's live hold.
    unit_holds: `SELECT l.id, l.assigned_to FROM sales_unit_holds h JOIN sales_leads l ON l.id = h.lead_id
      WHERE h.unit_id = ? AND h.deleted_at IS NULL AND h.released_at IS NULL ORDER BY h.held_at DESC LIMIT 1`,
  }[table];
  return statement(s.ctx.db, sql).get(id) as { id: string; assigned_to: string | null } | undefined;
}

/** A rep may act on a lead only when it is assigned to them. */
const ownLead = (table: Parameters<typeof leadOf>[1], key: string) => (s: Session, input: Input): Input => {
  const lead = leadOf(s, table, input[key]);
  if (lead && lead.assigned_to?.toLowerCase() !== s.user.username.toLowerCase()) {
    throw refuse(`a sales rep may change only their own leads: lead ${lead.id} is ${lead.assigned_to ? `assigned to ${lead.assigned_to}` : 'not assigned to them'}`, 'role', 'must be a manager or admin, or the lead must be assigned to you');
  }
  return input;
};

/** Whether the rep's tenant shows them only their own leads (SPEC §11 rep_scope = own). */
const ownScope = (s: Session) => s.user.role === 'sales_rep' && s.ctx.settings.rep_scope === 'own';

/** Under rep_scope = own, a customer a rep names must be one they see (of their leads): another's is no customer to them. */
const visibleCustomer = (key: string) => (s: Session, input: Input): Input => {
  const id = input[key];
  if (ownScope(s) && typeof id === 'string' && !statement(seenData(s).db, 'SELECT 1 FROM sales_customers WHERE id = ?').get(id)) {
    // As a customer that does not exist answers (records.ts assertReference): another rep's is none of theirs.
    throw new AppError('not_found', `customer '${id}' not found`, [{ field: key, message: 'no customer with this id among your leads\' customers' }]);
  }
  return input;
};

const managers: Rule = { who: 'managers' };
const admins: Rule = { who: 'admins' };
const everyone: Rule = { who: 'everyone' };

export const ACCESS: Record<SessionOperation, Rule> = {
  'session.me': everyone,
  'users.add': admins,
  'users.list': admins,
  'users.update': admins,
  // Who leads can be assigned to: a name and a role, for everyone.
  'users.directory': everyone,
  'settings.get': everyone,
  'settings.update': admins,

  'leads.create': {
    who: 'everyone',
    // A rep's new lead is theirs: assigning it to someone else is a manager's.
    rep: (s, input) => {
      const to = input.assigned_to;
      if (to !== undefined && to !== null && String(to).toLowerCase() !== s.user.username.toLowerCase()) {
        throw refuse('a sales rep may create leads only for themselves', 'assigned_to', `must be ${s.user.username} or left out`);
      }
      return visibleCustomer('customer_id')(s, { ...input, assigned_to: s.user.username });
    },
  },
  'leads.list': everyone,
  'leads.get': everyone,
  'leads.update': {
    who: 'everyone',
    rep: (s, input) => {
      ownLead('leads', 'id')(s, input);
      const to = input.assigned_to;
      if (to !== undefined && (to === null || String(to).toLowerCase() !== s.user.username.toLowerCase())) {
        throw refuse('a sales rep may not reassign leads', 'assigned_to', 'must be changed by a manager or admin');
      }
      return visibleCustomer('customer_id')(s, input);
    },
  },
  'leads.delete': managers,
  'leads.history': everyone,
  'leads.holds': everyone,
  'leads.stages': everyone,
  'leads.stale': everyone,
  'staleSettings.get': everyone,
  'staleSettings.set': admins,
  'leads.book': { who: 'everyone', rep: (s, input) => visibleCustomer('customer_id')(s, ownLead('leads', 'id')(s, input)) },
  'imports.preview': managers,
  'imports.start': managers,
  'imports.status': managers,

  'customers.create': everyone,
  'customers.list': everyone,
  'customers.get': everyone,
  // A customer's details (a corrected phone or address): a rep's only where they see the customer.
  'customers.update': { who: 'everyone', rep: visibleCustomer('id') },

  'leadSources.create': managers,
  'leadSources.list': everyone,

  'campaigns.create': managers,
  'campaigns.list': everyone,
  'campaigns.update': managers,

  'milestones.create': { who: 'everyone', rep: ownLead('leads', 'lead_id') },
  'milestones.addPhotos': { who: 'everyone', rep: ownLead('milestones', 'milestone_id') },
  'photos.get': everyone,
  'milestones.listByLead': everyone,
  'milestones.completeFollowUp': { who: 'everyone', rep: ownLead('milestones', 'id') },
  'followUps.list': everyone,

  'engagements.create': { who: 'everyone', rep: ownLead('leads', 'lead_id') },
  'engagements.listByLead': everyone,
  'engagements.recordResponse': { who: 'everyone', rep: ownLead('engagements', 'id') },

  // A booking recorded without the book-a-unit workflow is a back-office record.
  'bookings.create': managers,
  'bookings.list': everyone,
  'bookings.update': managers,
  'bookings.cancel': managers,
  'bookings.cancelPreview': everyone,

  'inventory.create': managers,
  'inventory.list': everyone,
  'inventory.setSite': managers,
  'sites.list': everyone,

  'units.create': managers,
  'units.createMany': managers,
  'units.list': everyone,
  'units.get': everyone,
  'units.update': managers,
  'units.hold': { who: 'everyone', rep: ownLead('leads', 'lead_id') },
  'units.release': { who: 'everyone', rep: ownLead('unit_holds', 'id') },
  'units.holdsEnding': everyone,

  'plans.create': managers,
  'plans.list': everyone,
  'plans.get': everyone,
  'plans.preview': everyone,
  'stages.create': managers,
  'stages.list': everyone,
  'stages.complete': managers,
  'bookings.schedule': everyone,
  'receivables.overdue': everyone,
  'documents.statement': everyone,
  'documents.demandLetter': everyone,

  'ledger.create': {
    who: 'everyone',
    // Anyone records a payment; every other entry moves money a manager answers for.
    rep: (s, input) => {
      if (input.transaction_type !== 'payment') throw refuse('a sales rep may record payments only', 'transaction_type', 'must be payment for a sales rep; other entries are a manager\'s');
      return visibleCustomer('customer_id')(s, input);
    },
  },
  'ledger.customer': everyone,
  'ledger.reverse': managers,

  'exports.csv': everyone,
  'exports.xlsx': everyone,

  'reports.funnel': everyone,
  'reports.sourcePerformance': everyone,
  'reports.campaignPerformance': everyone,
  'reports.bookings': everyone,
  'reports.customerLedger': everyone,
  'reports.milestoneTimeline': everyone,
  'reports.engagementStats': everyone,
  'reports.dashboard': everyone,
  'reports.stageTiming': everyone,
  'reports.drill': everyone,
  'reports.siteVisits': everyone,
  'reports.inventory': everyone,
  'reports.receivablesAging': everyone,
  'reports.collections': everyone,

  'sync.status': everyone,
  'sync.configure': admins,
  'sync.run': everyone,
};

const SAID: Partial<Record<SessionOperation, string>> = {
  'staleSettings.set': 'change the stage settings',
  'imports.preview': 'import leads',
  'imports.start': 'import leads',
  'imports.status': 'follow imports',
  'sync.configure': 'configure sync',
  'settings.update': 'change the tenant settings',
  'ledger.reverse': 'reverse ledger entries',
};

/** The roles an operation is open to. */
export const rolesFor = (name: SessionOperation): readonly string[] => ROLES[ACCESS[name].who];

/** The operations a role may call (a rep's still checked lead by lead): what the app offers them. */
export const operationsFor = (role: string): SessionOperation[] =>
  (Object.keys(ACCESS) as SessionOperation[]).filter((name) => ROLES[ACCESS[name].who].includes(role));

/**
 * Whether the session's user may call the operation with this input: 403 naming the
 * role (or the field a rep may not set) when not; the input as it is to be run
 * (a rep's new lead assigned to them).
 */
export function authorize(name: SessionOperation, session: Session, input: unknown): unknown {
  const rule = ACCESS[name];
  const roles = ROLES[rule.who];
  if (!roles.includes(session.user.role)) {
    // `units.update` → "a sales rep may not update units" (a few names said better by hand).
    const [noun = name, verb = ''] = name.split('.');
    const doing = SAID[name] ?? `${verb.replace(/([A-Z])/g, ' $1').toLowerCase()} ${noun.replace(/([A-Z])/g, ' $1').toLowerCase()}`.trim();
    throw refuse(`a ${session.user.role.replace('_', ' ')} may not ${doing}`, 'role', `must be one of: ${roles.join(', ')}`);
  }
  if (session.user.role === 'sales_rep' && rule.rep && input !== null && typeof input === 'object' && !Array.isArray(input)) return rule.rep(session, input as Input);
  return input;
}

// Under rep_scope = own a rep's reads run on their share of the data: a read-only
// connection in which the leads and all that hangs off them are the rep's only
// (db/scope.ts) — every list, record, report, drill-down, export and document.
const READS: ReadonlySet<SessionOperation> = new Set<SessionOperation>([
  'session.me', 'settings.get', 'users.directory', 'leads.list', 'leads.get', 'leads.history', 'leads.holds', 'leads.stages', 'leads.stale', 'staleSettings.get',
  'customers.list', 'customers.get', 'leadSources.list', 'campaigns.list', 'milestones.listByLead', 'photos.get', 'followUps.list',
  'engagements.listByLead', 'bookings.list', 'bookings.cancelPreview', 'inventory.list', 'sites.list', 'units.list', 'units.get', 'units.holdsEnding',
  'plans.list', 'plans.get', 'plans.preview', 'stages.list', 'bookings.schedule', 'receivables.overdue', 'documents.statement', 'documents.demandLetter',
  'ledger.customer', 'exports.csv', 'exports.xlsx', 'sync.status',
  ...(Object.keys(ACCESS) as SessionOperation[]).filter((name) => name.startsWith('reports.')),
]);
/** Reads of today's receivables aging: made current on the tenant's own connection first (the rep's cannot write). */
const AGING_READS = (name: SessionOperation) => name.startsWith('reports.') || name === 'exports.csv' || name === 'exports.xlsx';

/** The rep's share of the tenant's data (their scoped connection), or the whole where they see it all. */
function seenData(s: Session) {
  if (!ownScope(s)) return { db: s.ctx.db, orm: s.ctx.orm };
  // A context with no tenant file behind it has no scoped view to give: refuse rather than show everything.
  if (!s.ctx.scopedTo) throw new AppError('forbidden', 'this session cannot show a rep only their own leads', [{ field: 'role', message: 'must be a manager or admin here' }]);
  return s.ctx.scopedTo(s.user.username);
}

/** The session an operation runs as: a rep's reads under rep_scope = own see only their leads and what hangs off them. */
export function sessionFor(name: SessionOperation, session: Session): Session {
  if (!ownScope(session) || !READS.has(name)) return session;
  // Receivables are kept by writes the rep's read-only connection cannot make: brought up to date here first.
  refreshReceivables(session.ctx.db, today(session.ctx), AGING_READS(name));
  const { db, orm } = seenData(session);
  return { ...session, ctx: { ...session.ctx, db, orm } };
}
