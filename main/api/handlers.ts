import { overdueInstalments } from '../services/receivables.js';
import { demandLetterPdf, statementPdf } from '../documents/documents.js';
import { bookingSchedule, completeStage, createPlan, createStage, getPlan, listPlans, listStages, previewSchedule } from '../services/paymentPlans.js';
import { z } from 'zod';
import { validationError } from '../domain/errors.js';
import { parseInput, validationFailed } from '../domain/validation.js';
import { bookingService, bookUnit, listInventory } from '../services/bookings.js';
import { cancelBooking, cancelPreview } from '../services/cancellations.js';
import { campaignService, leadSourceService, unitInventoryService } from '../services/catalog.js';
import { customerService } from '../services/customers.js';
import { createLedgerEntry, customerLedger, reverseLedgerEntry } from '../services/ledger.js';
import { leadService, leadStatusHistoryOf, leadStages, listStaleLeads, setStaleAfter, staleSettings } from '../services/leads.js';
import { completeFollowUp, listFollowUps } from '../services/followUps.js';
import { createEngagement, listEngagements, recordResponse } from '../services/engagements.js';
import { createMilestoneWithPhotos, listMilestones } from '../services/milestones.js';
import { drillDown, reportTable, runReport } from '../services/reports.js';
import { addUser, listUsers, updateUser, userDirectory } from '../services/users.js';
import { settingsView, updateSettings } from '../services/tenantSetup.js';
import { csvExport, csvOptionsInput, exportCsv, exportXlsx, originOf, type CsvExport } from '../services/exports.js';
import { addPhotos, readPhoto } from '../services/photos.js';
import { projectSites, setProjectSite } from '../services/sites.js';
import { createUnit, createUnits, getUnit, listUnits, updateUnit } from '../services/units.js';
import { holdsEndingSoon, holdsOfLead, holdUnit, releaseHold } from '../services/holds.js';
import { importStatus, startImport } from '../services/import/jobs.js';
import { previewImport } from '../services/import/run.js';
import { idOrCode } from '../services/records.js';
import { authorize, operationsFor, sessionFor } from './access.js';
import { operations, reportOperations, type OperationInput, type OperationOutput, type SessionOperation } from './operations.js';

export type { SessionOperation } from './operations.js';
import type { Session } from './session.js';

// The handler table: each operation of the contract mapped onto its domain service.
// Transports call `dispatch`; nothing here knows which transport that is.

type HandlerTable = { [K in SessionOperation]: (s: Session, input: OperationInput<K>) => unknown };

const report = <K extends keyof typeof reportOperations>(name: K) => (s: Session, input: unknown) => runReport(s.ctx, reportOperations[name], input);

export const handlers = {
  'session.me': (s) => {
    const { device_tag: _device, ...tenant } = s.ctx.settings;
    // What the app offers this user (SPEC §11's table, main/api/access.ts).
    return { user: s.user, tenant, can: operationsFor(s.user.role) };
  },
  'users.add': (s, input) => addUser(s.ctx, input),
  'users.list': (s, input) => listUsers(s.ctx, input),
  'users.update': (s, { id, ...body }) => updateUser(s.ctx, id, body),
  'users.directory': (s) => userDirectory(s.ctx),
  'settings.get': (s) => settingsView(s.ctx.settings),
  'settings.update': (s, input) => updateSettings(s.ctx, input),

  'leads.create': (s, input) => leadService.create(s.ctx, input),
  'leads.list': (s, input) => leadService.list(s.ctx, input),
  'leads.get': (s, { id }) => leadService.get(s.ctx, id),
  'leads.update': (s, { id, ...patch }) => leadService.update(s.ctx, id, patch),
  'leads.delete': (s, { id }) => leadService.remove(s.ctx, id),
  'leads.history': (s, { id }) => leadStatusHistoryOf(s.ctx, id),
  'leads.holds': (s, { id }) => holdsOfLead(s.ctx, id),
  'leads.stages': (s, input) => leadStages(s.ctx, input),
  'leads.stale': (s, input) => listStaleLeads(s.ctx, input),
  'staleSettings.get': (s) => staleSettings(s.ctx),
  'staleSettings.set': (s, input) => setStaleAfter(s.ctx, input),
  'leads.book': (s, { id, ...body }) => bookUnit(s.ctx, id, body),
  'imports.preview': (s, input) => previewImport(s.ctx, input),
  'imports.start': (s, input) => startImport(s.ctx, input),
  'imports.status': (s, input) => importStatus(s.ctx, input),

  'customers.create': (s, input) => customerService.create(s.ctx, input),
  'customers.list': (s, input) => customerService.list(s.ctx, input),
  'customers.get': (s, { id }) => customerService.get(s.ctx, id),
  'customers.update': (s, { id, ...patch }) => customerService.update(s.ctx, id, patch),

  'leadSources.create': (s, input) => leadSourceService.create(s.ctx, input),
  'leadSources.list': (s, input) => leadSourceService.list(s.ctx, input),

  'campaigns.create': (s, input) => campaignService.create(s.ctx, input),
  'campaigns.list': (s, input) => campaignService.list(s.ctx, input),
  'campaigns.update': (s, { id, ...patch }) => campaignService.update(s.ctx, id, patch),

  'milestones.create': (s, input) => createMilestoneWithPhotos(s.ctx, input),
  'milestones.addPhotos': (s, input) => addPhotos(s.ctx, input),
  'photos.get': (s, input) => readPhoto(s.ctx, input),
  'milestones.listByLead': (s, input) => listMilestones(s.ctx, input),
  'milestones.completeFollowUp': (s, { id, ...body }) => completeFollowUp(s.ctx, id, body),
  'followUps.list': (s, input) => listFollowUps(s.ctx, input),

  'engagements.create': (s, input) => createEngagement(s.ctx, input),
  'engagements.listByLead': (s, input) => listEngagements(s.ctx, input),
  'engagements.recordResponse': (s, { id, ...body }) => recordResponse(s.ctx, id, body),

  'bookings.create': (s, input) => bookingService.create(s.ctx, input),
  'bookings.list': (s, input) => bookingService.list(s.ctx, input),
  'bookings.update': (s, { id, ...patch }) => bookingService.update(s.ctx, id, patch),
  'bookings.cancel': (s, { id, ...body }) => cancelBooking(s.ctx, id, body),
  'bookings.cancelPreview': (s, { id, ...query }) => cancelPreview(s.ctx, id, query),

  'inventory.create': (s, input) => unitInventoryService.create(s.ctx, input),
  'inventory.list': (s, input) => listInventory(s.ctx, input),
  'inventory.setSite': (s, input) => setProjectSite(s.ctx, input),
  'sites.list': (s) => projectSites(s.ctx),

  'units.create': (s, input) => createUnit(s.ctx, input),
  'units.createMany': (s, input) => createUnits(s.ctx, input),
  'units.list': (s, input) => listUnits(s.ctx, input),
  'units.get': (s, { id }) => getUnit(s.ctx, id),
  'units.update': (s, { id, ...body }) => updateUnit(s.ctx, id, body),
  'units.hold': (s, { id, ...body }) => holdUnit(s.ctx, id, body),
  'units.release': (s, { id }) => releaseHold(s.ctx, id),
  'units.holdsEnding': (s, input) => holdsEndingSoon(s.ctx, input.held_by ?? null, input.hours ?? 24),

  'plans.create': (s, input) => createPlan(s.ctx, input),
  'plans.list': (s, input) => listPlans(s.ctx, input),
  'plans.get': (s, { id }) => getPlan(s.ctx, id),
  'plans.preview': (s, input) => previewSchedule(s.ctx, input),
  'stages.create': (s, input) => createStage(s.ctx, input),
  'stages.list': (s, input) => listStages(s.ctx, input),
  'stages.complete': (s, { id, ...body }) => completeStage(s.ctx, id, body),
  'bookings.schedule': (s, { id, ...query }) => bookingSchedule(s.ctx, id, query),
  'receivables.overdue': (s, input) => overdueInstalments(s.ctx, input),
  'documents.statement': (s, input) => statementPdf(s.ctx, input),
  'documents.demandLetter': (s, input) => demandLetterPdf(s.ctx, input),

  'ledger.create': (s, input) => createLedgerEntry(s.ctx, input),
  'ledger.customer': (s, input) => customerLedger(s.ctx, input),
  'ledger.reverse': (s, { id, ...body }) => reverseLedgerEntry(s.ctx, id, body),

  'exports.csv': (s, input) => exportCsv(s.ctx, input),
  'exports.xlsx': (s, input) => exportXlsx(s.ctx, input),

  'reports.funnel': report('reports.funnel'),
  'reports.sourcePerformance': report('reports.sourcePerformance'),
  'reports.campaignPerformance': report('reports.campaignPerformance'),
  'reports.bookings': report('reports.bookings'),
  'reports.customerLedger': report('reports.customerLedger'),
  'reports.milestoneTimeline': report('reports.milestoneTimeline'),
  'reports.engagementStats': report('reports.engagementStats'),
  'reports.dashboard': report('reports.dashboard'),
  'reports.inventory': report('reports.inventory'),
  'reports.receivablesAging': report('reports.receivablesAging'),
  'reports.collections': report('reports.collections'),
  'reports.stageTiming': report('reports.stageTiming'),
  'reports.drill': (s, input) => drillDown(s.ctx, input),
  'reports.siteVisits': report('reports.siteVisits'),

  'sync.status': (s) => s.sync.status(s.ctx),
  'sync.configure': (s, input) => s.sync.configure(s.ctx, input),
  'sync.run': (s) => s.sync.run(s.ctx),
} satisfies HandlerTable;

export type Handlers = typeof handlers;

export const isSessionOperation = (name: string): name is SessionOperation => Object.hasOwn(handlers, name);

/** Check the caller's role and the input's shape, then run the operation. */
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

/** SPEC §11's table (main/api/access.ts), then the input's schema: the input as it is to be run, or 403/422. */
export function checkAccess(name: SessionOperation, session: Session, input: unknown): unknown {
  const op = operations[name] as { input: { safeParse: (x: unknown) => { success: boolean; error?: unknown } } };
  authorize(name, session, undefined);
  const deep = tooDeep(input);
  if (deep !== null) throw validationError(deep, `is nested too deeply (more than ${MAX_INPUT_DEPTH} levels)`);
  const parsed = op.input.safeParse(input ?? {});
  if (!parsed.success) throw validationFailed(parsed.error as Parameters<typeof validationFailed>[0]);
  return authorize(name, session, input ?? {});
}

const LEAD = ['sales_leads', 'lead_code'] as const;
const CUSTOMER = ['sales_customers', 'customer_code'] as const;
/** Inputs that name a lead or customer and take its code as well as its id (issue 18: `#/leads/LD-000123`, `PATCH leads/LD-000123`). */
const BY_CODE: Partial<Record<SessionOperation, [string, typeof LEAD | typeof CUSTOMER]>> = {
  'leads.get': ['id', LEAD], 'leads.update': ['id', LEAD], 'leads.delete': ['id', LEAD], 'leads.history': ['id', LEAD], 'leads.holds': ['id', LEAD],
  'leads.stages': ['id', LEAD], 'leads.book': ['id', LEAD], 'milestones.listByLead': ['lead_id', LEAD], 'engagements.listByLead': ['lead_id', LEAD],
  'reports.milestoneTimeline': ['lead_id', LEAD], 'reports.engagementStats': ['lead_id', LEAD],
  'customers.get': ['id', CUSTOMER], 'customers.update': ['id', CUSTOMER], 'ledger.customer': ['customer_id', CUSTOMER],
  'documents.statement': ['customer_id', CUSTOMER], 'reports.customerLedger': ['customer_id', CUSTOMER],
};

/** The input with a record named by its code named by its id, before the rules and the service see it. */
function withIds(name: SessionOperation, session: Session, input: unknown): unknown {
  const ref = BY_CODE[name];
  if (!ref || input === null || typeof input !== 'object') return input;
  const value = (input as Record<string, unknown>)[ref[0]];
  if (typeof value !== 'string') return input;
  return { ...input, [ref[0]]: idOrCode(session.ctx, ref[1][0], ref[1][1], value) };
}

/** The operation's answer, or a promise of it (sync talks to the network); transports await it. */
export function dispatch<K extends SessionOperation>(name: K, session: Session, given: unknown): { created: boolean; data: OperationOutput<K> | Promise<OperationOutput<K>> } {
  const input = withIds(name, session, given);
  const allowed = checkAccess(name, session, input);
  const handler = handlers[name] as (s: Session, i: unknown) => OperationOutput<K> | Promise<OperationOutput<K>>;
  const data = handler(sessionFor(name, session), allowed);
  return { created: Boolean((operations[name] as { creates?: boolean }).creates), data };
}

/**
 * A report operation's rows as CSV, through the same writer as the CLI export: the
 * tenant's locale decides the delimiter unless `delimiter` is given; `details=comment`
 * puts the `#` line first (a side file has no place in one response).
 */
export function dispatchCsv(name: keyof typeof reportOperations, session: Session, given: Record<string, unknown>): CsvExport {
  const { details, delimiter, ...filters } = withIds(name, session, given) as Record<string, unknown>;
  checkAccess(name, session, filters);
  const options = parseInput(z.strictObject(csvOptionsInput), { details, delimiter });
  if (options.details === 'side') throw validationError('details', 'a side file is written by the app and the CLI; ask for comment or none here');
  const report = reportOperations[name];
  const { rows, shape } = reportTable(sessionFor(name, session).ctx, report, filters);
  return csvExport(originOf(session.ctx), report, { rows, shape, filters: stringFilters(filters), options });
}

const stringFilters = (input: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, String(v)]));
