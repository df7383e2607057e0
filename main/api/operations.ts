import { overdueInput } from '../services/receivables.js';
import { demandInput, statementInput } from '../documents/documents.js';
import { completeStageInput, planInput, planListInput, previewInput, scheduleInput, stageInput, stageListInput } from '../services/paymentPlans.js';
import { z } from 'zod';
import { bookingService, bookUnitInput } from '../services/bookings.js';
import { cancelInput, cancelPreviewInput } from '../services/cancellations.js';
import { campaignService, leadSourceService, unitInventoryService } from '../services/catalog.js';
import { customerService } from '../services/customers.js';
import { customerLedgerInput, ledgerInput, reverseInput } from '../services/ledger.js';
import { leadService, staleLeadsInput, staleSettingInput } from '../services/leads.js';
import { completeFollowUpInput, followUpsInput } from '../services/followUps.js';
import { engagementInput, responseInput } from '../services/engagements.js';
import { listByLeadInput } from '../services/leads.js';
import { milestoneInput } from '../services/milestones.js';
import { drillInput, reports } from '../services/reports.js';
import { addUserInput, updateUserInput, userListInput } from '../services/users.js';
import { settingsInput } from '../services/tenantSetup.js';
import { exportInput } from '../services/exports.js';
import { syncConfigInput } from '../sync/runtime.js';
import { addPhotosInput, photoInput } from '../services/photos.js';
import { projectSiteInput } from '../services/sites.js';
import { bulkUnitsInput, unitInput, unitListInput, unitPatchInput } from '../services/units.js';
import { holdInput, releaseInput } from '../services/holds.js';
import { importInput } from '../services/import/fields.js';
import { importStatusInput } from '../services/import/jobs.js';
import { localDate, recordId } from '../domain/validation.js';
import type { Handlers } from './handlers.js';

// The one contract: every operation Milepost offers, by name, with its input schema
// (who may call it is SPEC §11's table in access.ts). The HTTP API and the Electron IPC bridge are two adapters over
// it; the renderer imports its types only. Nothing here knows about either transport.

export interface Operation<S extends z.ZodType = z.ZodType> {
  input: S;
  /** The operation creates something (HTTP 201). */
  creates?: boolean;
  /** Its input may be large (photos, import files): HTTP reads the caller's token before the body. */
  largeInput?: boolean;
}

const op = <S extends z.ZodType>(input: S, extra: Omit<Operation<S>, 'input'> = {}): Operation<S> => ({ input, ...extra });

/** An operation on one record: its id beside the body's fields. */
const withId = <Shape extends z.core.$ZodShape, Config extends z.core.$ZodObjectConfig>(body: z.ZodObject<Shape, Config>) =>
  body.extend({ id: recordId() });
const byId = z.strictObject({ id: recordId() });

export const operations = {
  'auth.login': op(z.strictObject({ tenant_id: z.string().max(64), username: z.string().max(64), password: z.string().max(1024) })),
  'session.me': op(z.strictObject({})),
  'users.add': op(addUserInput, { creates: true }),
  'users.list': op(userListInput),
  'users.update': op(withId(updateUserInput)),
  'users.directory': op(z.strictObject({})),
  'settings.get': op(z.strictObject({})),
  'settings.update': op(settingsInput),

  'leads.create': op(leadService.inputs.create, { creates: true }),
  'leads.list': op(leadService.inputs.list),
  'leads.get': op(byId),
  'leads.update': op(withId(leadService.inputs.update)),
  'leads.delete': op(byId),
  'leads.history': op(byId),
  'leads.holds': op(byId),
  'leads.stages': op(z.strictObject({ id: recordId(), as_of: localDate().optional() })),
  'leads.stale': op(staleLeadsInput),
  'staleSettings.get': op(z.strictObject({})),
  'staleSettings.set': op(staleSettingInput),
  'leads.book': op(withId(bookUnitInput), { creates: true }),
  'imports.preview': op(importInput, { largeInput: true }),
  'imports.start': op(importInput, { creates: true, largeInput: true }),
  'imports.status': op(importStatusInput),

  'customers.create': op(customerService.inputs.create, { creates: true }),
  'customers.list': op(customerService.inputs.list),
  'customers.get': op(byId),
  'customers.update': op(withId(customerService.inputs.update)),

  'leadSources.create': op(leadSourceService.inputs.create, { creates: true }),
  'leadSources.list': op(leadSourceService.inputs.list),

  'campaigns.create': op(campaignService.inputs.create, { creates: true }),
  'campaigns.list': op(campaignService.inputs.list),
  'campaigns.update': op(withId(campaignService.inputs.update)),

  'milestones.create': op(milestoneInput, { creates: true, largeInput: true }),
  'milestones.addPhotos': op(addPhotosInput, { creates: true, largeInput: true }),
  'photos.get': op(photoInput),
  'milestones.listByLead': op(listByLeadInput),
  'milestones.completeFollowUp': op(withId(completeFollowUpInput)),
  'followUps.list': op(followUpsInput),

  'engagements.create': op(engagementInput, { creates: true }),
  'engagements.listByLead': op(listByLeadInput),
  'engagements.recordResponse': op(withId(responseInput)),

  'bookings.create': op(bookingService.inputs.create, { creates: true }),
  'bookings.list': op(bookingService.inputs.list),
  'bookings.update': op(withId(bookingService.inputs.update)),
  'bookings.cancel': op(withId(cancelInput)),
  'bookings.cancelPreview': op(withId(cancelPreviewInput)),

  'inventory.create': op(unitInventoryService.inputs.create, { creates: true }),
  'inventory.list': op(unitInventoryService.inputs.list),
  'inventory.setSite': op(projectSiteInput),
  'sites.list': op(z.strictObject({})),

  'units.create': op(unitInput, { creates: true }),
  'units.createMany': op(bulkUnitsInput, { creates: true }),
  'units.list': op(unitListInput),
  'units.get': op(byId),
  'units.update': op(withId(unitPatchInput)),
  'units.hold': op(withId(holdInput), { creates: true }),
  'units.release': op(withId(releaseInput)),
  'units.holdsEnding': op(z.strictObject({ held_by: z.string().max(64).optional(), hours: z.number().int().min(1).max(720).optional() })),

  'plans.create': op(planInput, { creates: true }),
  'plans.list': op(planListInput),
  'plans.get': op(byId),
  'plans.preview': op(previewInput),
  'stages.create': op(stageInput, { creates: true }),
  'stages.list': op(stageListInput),
  'stages.complete': op(withId(completeStageInput)),
  'bookings.schedule': op(withId(scheduleInput)),
  'receivables.overdue': op(overdueInput),
  'documents.statement': op(statementInput),
  'documents.demandLetter': op(demandInput),

  'ledger.create': op(ledgerInput, { creates: true }),
  'ledger.customer': op(customerLedgerInput),
  'ledger.reverse': op(withId(reverseInput), { creates: true }),

  'exports.csv': op(exportInput),
  'exports.xlsx': op(exportInput),

  'reports.funnel': op(reports.funnel.input),
  'reports.sourcePerformance': op(reports['source-performance'].input),
  'reports.campaignPerformance': op(reports['campaign-performance'].input),
  'reports.bookings': op(reports.bookings.input),
  'reports.customerLedger': op(reports['customer-ledger'].input),
  'reports.milestoneTimeline': op(reports['milestone-timeline'].input),
  'reports.engagementStats': op(reports['engagement-stats'].input),
  'reports.dashboard': op(reports.dashboard.input),
  'reports.stageTiming': op(reports['stage-timing'].input),
  'reports.drill': op(drillInput),
  'reports.siteVisits': op(reports['site-visits'].input),
  'reports.inventory': op(reports.inventory.input),
  'reports.receivablesAging': op(reports['receivables-aging'].input),
  'reports.collections': op(reports.collections.input),

  'sync.status': op(z.strictObject({})),
  'sync.configure': op(syncConfigInput),
  'sync.run': op(z.strictObject({})),
} satisfies Record<string, Operation>;

export type OperationName = keyof typeof operations;
export type OperationInput<K extends OperationName> = z.input<(typeof operations)[K]['input']>;
/** Operations called within a signed-in session (all but signing in). */
export type SessionOperation = Exclude<OperationName, 'auth.login'>;
/** What an operation answers, as its handler returns it. */
export type OperationOutput<K extends SessionOperation> = Awaited<ReturnType<Handlers[K]>>;

/** Operations that answer a document (a PDF): its HTTP route sends the file itself. */
export const documentOperations = new Set<string>(['documents.statement', 'documents.demandLetter']);

/** Report operations and the report (SPEC §5 route name) each one runs. */
export const reportOperations = {
  'reports.funnel': 'funnel',
  'reports.sourcePerformance': 'source-performance',
  'reports.campaignPerformance': 'campaign-performance',
  'reports.bookings': 'bookings',
  'reports.customerLedger': 'customer-ledger',
  'reports.milestoneTimeline': 'milestone-timeline',
  'reports.engagementStats': 'engagement-stats',
  'reports.dashboard': 'dashboard',
  'reports.stageTiming': 'stage-timing',
  'reports.siteVisits': 'site-visits',
  'reports.inventory': 'inventory',
  'reports.receivablesAging': 'receivables-aging',
  'reports.collections': 'collections',
} as const satisfies Partial<Record<OperationName, keyof typeof reports>>;
