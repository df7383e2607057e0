import { prepareCached } from '../../db/statements.js';
import { nowIso, type ServiceContext } from '../domain/context.js';
import { bringCancellationsToRule } from './cancellations.js';
import { makeSchedule } from './paymentPlans.js';
import { normaliseStoredPhones } from './phones.js';
import { inTransaction, updateRecord } from './records.js';
import { leads, type bookings } from '../../db/schema/index.js';

// Changes to a tenant's records that a SQL migration cannot make, because they are
// records like any other (codes, sync changes, audit): run when a tenant is opened.
// Each finds by an index what is still to do, or runs once on this device (marked in
// local_upgrades), and does nothing after.
export function upgradeData(ctx: ServiceContext): void {
  // SPEC §10 cancellation money rule: also brings old cancellations that arrive by sync.
  bringCancellationsToRule(ctx);
  once(ctx, 'schedules', () => {
    // SPEC §10: bookings from before payment plans get one instalment of their whole
    // amount due on the booking date (ids follow from the booking: two devices agree).
    const missing = prepareCached(ctx.db, `SELECT b.* FROM sales_bookings b WHERE b.deleted_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM sales_payment_schedule s WHERE s.booking_id = b.id)`).all() as (typeof bookings.$inferSelect)[];
    for (const b of missing) makeSchedule(ctx, b);
  });
  once(ctx, 'assignees', () => {
    // SPEC §11: a lead is assigned to a user. Free text from before that names
    // a user in another case or with spaces around is linked to them, spelled as the
    // account is; text that names no one is kept, and the app shows the lead unassigned.
    const linked = prepareCached(ctx.db, `SELECT l.id, u.username FROM sales_leads l
        JOIN users u ON lower(u.username) = lower(trim(l.assigned_to)) AND u.deleted_at IS NULL AND u.merged_into IS NULL
        WHERE l.assigned_to IS NOT NULL AND l.assigned_to <> u.username`).all() as { id: string; username: string }[];
    for (const l of linked) updateRecord(ctx, leads, 'lead', l.id, { assigned_to: l.username });
  });
  // Phone numbers stored in E.164 by the tenant's country; unreadable ones kept as typed (`milepost check phones`).
  once(ctx, 'phones', () => void normaliseStoredPhones(ctx));
}

function once(ctx: ServiceContext, name: string, work: () => void): void {
  if (prepareCached(ctx.db, 'SELECT 1 FROM local_upgrades WHERE name = ?').get(name)) return;
  inTransaction(ctx, () => {
    work();
    prepareCached(ctx.db, 'INSERT INTO local_upgrades (name, done_at) VALUES (?, ?)').run(name, nowIso(ctx));
  });
}
