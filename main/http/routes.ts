import type { SessionOperation } from '../api/handlers.js';

// SPEC §6: the seed's routes, exactly, and the base records', each onto one operation.
// `:id`-style parameters join the body (POST/PATCH) or the query (GET) as input fields.

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  op: SessionOperation;
}

const sales = '/api/v1/sales';
const r = (method: Route['method'], path: string, op: SessionOperation): Route => ({ method, path: path.startsWith('/api') ? path : `${sales}/${path}`, op });

export const routes: Route[] = [
  r('POST', '/api/v1/users', 'users.add'),
  r('GET', '/api/v1/users', 'users.list'),
  r('GET', '/api/v1/users/directory', 'users.directory'),
  r('PATCH', '/api/v1/users/:id', 'users.update'),
  r('GET', '/api/v1/settings', 'settings.get'),
  r('PUT', '/api/v1/settings', 'settings.update'),

  r('POST', 'milestones/lead', 'milestones.create'),
  r('GET', 'milestones/lead/:lead_id', 'milestones.listByLead'),
  r('PATCH', 'milestones/:id/follow-up', 'milestones.completeFollowUp'),
  r('POST', 'milestones/:milestone_id/photos', 'milestones.addPhotos'),
  r('GET', 'photos/:id', 'photos.get'),
  r('GET', 'follow-ups', 'followUps.list'),

  r('POST', 'engagement', 'engagements.create'),
  r('GET', 'engagement/:lead_id', 'engagements.listByLead'),
  r('PATCH', 'engagement/:id/response', 'engagements.recordResponse'),

  r('POST', 'bookings', 'bookings.create'),
  r('GET', 'bookings', 'bookings.list'),
  r('PATCH', 'bookings/:id', 'bookings.update'),
  r('POST', 'bookings/:id/cancel', 'bookings.cancel'),
  r('GET', 'bookings/:id/cancel-preview', 'bookings.cancelPreview'),

  r('POST', 'ledger', 'ledger.create'),
  r('GET', 'ledger/:customer_id', 'ledger.customer'),
  r('POST', 'ledger/:id/reverse', 'ledger.reverse'),

  r('POST', 'campaigns', 'campaigns.create'),
  r('GET', 'campaigns', 'campaigns.list'),
  r('PATCH', 'campaigns/:id', 'campaigns.update'),

  r('POST', 'leads', 'leads.create'),
  r('GET', 'leads', 'leads.list'),
  r('GET', 'leads/:id', 'leads.get'),
  r('PATCH', 'leads/:id', 'leads.update'),
  r('DELETE', 'leads/:id', 'leads.delete'),
  r('GET', 'leads/:id/status-history', 'leads.history'),
  r('GET', 'leads/:id/holds', 'leads.holds'),
  r('GET', 'leads/:id/stages', 'leads.stages'),
  r('GET', 'leads/stale', 'leads.stale'),
  r('GET', 'stage-settings', 'staleSettings.get'),
  r('PUT', 'stage-settings', 'staleSettings.set'),
  r('POST', 'leads/:id/book', 'leads.book'),
  r('POST', 'imports/leads/preview', 'imports.preview'),
  r('POST', 'imports/leads', 'imports.start'),
  r('GET', 'imports/:job_id', 'imports.status'),

  r('POST', 'customers', 'customers.create'),
  r('GET', 'customers', 'customers.list'),
  r('GET', 'customers/:id', 'customers.get'),
  r('PATCH', 'customers/:id', 'customers.update'),

  r('POST', 'lead-sources', 'leadSources.create'),
  r('GET', 'lead-sources', 'leadSources.list'),

  r('POST', 'unit-inventory', 'inventory.create'),
  r('GET', 'unit-inventory', 'inventory.list'),
  r('PUT', 'unit-inventory/site', 'inventory.setSite'),
  r('GET', 'sites', 'sites.list'),

  r('POST', 'units', 'units.create'),
  r('POST', 'units/bulk', 'units.createMany'),
  r('GET', 'units', 'units.list'),
  r('GET', 'units/holds-ending', 'units.holdsEnding'),
  r('GET', 'units/:id', 'units.get'),
  r('PATCH', 'units/:id', 'units.update'),
  r('POST', 'units/:id/hold', 'units.hold'),
  r('POST', 'units/:id/release', 'units.release'),
  r('POST', 'payment-plans', 'plans.create'),
  r('GET', 'payment-plans', 'plans.list'),
  r('GET', 'payment-plans/:id', 'plans.get'),
  r('GET', 'payment-plans/:plan_id/preview', 'plans.preview'),
  r('POST', 'construction-stages', 'stages.create'),
  r('GET', 'construction-stages', 'stages.list'),
  r('PATCH', 'construction-stages/:id', 'stages.complete'),
  r('GET', 'bookings/:id/schedule', 'bookings.schedule'),
  r('GET', 'receivables/overdue', 'receivables.overdue'),
  r('GET', 'customers/:customer_id/statement', 'documents.statement'),
  r('GET', 'bookings/:booking_id/demand-letter', 'documents.demandLetter'),

  r('GET', 'reports/funnel', 'reports.funnel'),
  r('GET', 'reports/source-performance', 'reports.sourcePerformance'),
  r('GET', 'reports/campaign-performance', 'reports.campaignPerformance'),
  r('GET', 'reports/bookings', 'reports.bookings'),
  r('GET', 'reports/customer-ledger/:customer_id', 'reports.customerLedger'),
  r('GET', 'reports/milestone-timeline/:lead_id', 'reports.milestoneTimeline'),
  r('GET', 'reports/engagement-stats/:lead_id', 'reports.engagementStats'),
  r('GET', 'reports/dashboard', 'reports.dashboard'),
  r('GET', 'reports/stage-timing', 'reports.stageTiming'),
  r('GET', 'reports/drill/:report', 'reports.drill'),
  r('GET', 'reports/site-visits', 'reports.siteVisits'),
  r('GET', 'reports/inventory', 'reports.inventory'),
  r('GET', 'reports/receivables-aging', 'reports.receivablesAging'),
  r('GET', 'reports/collections', 'reports.collections'),

  r('GET', '/api/v1/sync/status', 'sync.status'),
  r('PUT', '/api/v1/sync/config', 'sync.configure'),
  r('POST', '/api/v1/sync/run', 'sync.run'),
];
