import type { ServiceContext } from '../domain/context.js';
import { bringCancellationsToRule } from './bookings.js';

// Changes to a tenant's records that a SQL migration cannot make, because they are
// records like any other (codes, sync changes, audit): run each time a tenant is
// opened, finding by an index what is still to do, so a database upgraded by SQL,
// or old records arriving by sync from a device not yet updated, are brought to the
// current rules. Each does nothing once its records are done.
export function upgradeData(ctx: ServiceContext): void {
  // SPEC §10 cancellation money rule (issue 16).
  bringCancellationsToRule(ctx);
}
