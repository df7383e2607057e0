import { z } from 'zod';
import { prepareCached } from '../../db/statements.js';
import { leads, unitHolds } from '../../db/schema/index.js';
import { nowIso, type ServiceContext } from '../domain/context.js';
import { conflict, validationError } from '../domain/errors.js';
import { longText, recordId, parsingFor } from '../domain/validation.js';
import { assertReference, inTransaction, insertRecord, requireRecord, updateRecord } from './records.js';
import { assertUnitFree, holdState, liveHoldOf, unitLabel, unitState, unitView } from './units.js';

// SPEC §10 holds: a unit kept for a lead for a while (its time ends it by itself), moved
// on by the same lead holding again, released by a person or by the lead's booking.

type HoldRow = typeof unitHolds.$inferSelect;

const MAX_HOLD_MS = 30 * 24 * 3600 * 1000;
export const holdInput = z.strictObject({
  lead_id: recordId(),
  /** An instant with its zone (`2026-11-29T18:00:00+05:30`); the tenant's hold hours from now when absent. */
  hold_until: z.iso.datetime({ offset: true, error: 'must be a date and time with its zone, e.g. 2026-11-29T18:00:00+05:30' }).optional(),
});
export const releaseInput = z.strictObject({ notes: longText().nullish() });

/** Hold a unit for a lead (SPEC §10); the same lead holding it again moves its time. */
export const holdUnit = parsingFor(holdInput, (ctx: ServiceContext, unitId, asked) => {
  return inTransaction(ctx, () => {
    const unit = unitState(ctx, unitId, 'id');
    const lead = assertReference(ctx, leads, 'lead', asked.lead_id, 'lead_id')!;
    // A lost lead cannot book (SPEC §4): holding a unit for it would only keep the unit from others.
    if (lead.status === 'lost') throw conflict(`${lead.name} is lost: record a reengaged milestone before holding a unit`, 'lead_id');
    const now = ctx.clock();
    const until = asked.hold_until ? new Date(asked.hold_until) : new Date(now.getTime() + (ctx.settings.unit_hold_hours ?? 48) * 3600 * 1000);
    if (until.getTime() <= now.getTime()) throw validationError('hold_until', 'must be later than now');
    if (until.getTime() - now.getTime() > MAX_HOLD_MS) throw validationError('hold_until', 'must be at most 30 days from now');
    assertUnitFree(ctx, unit, lead.id, 'id');
    if (unit.status === 'held' && unit.hold_id) {
      const hold = updateRecord(ctx, unitHolds, 'hold', unit.hold_id, { hold_until: until.toISOString() }, 'extend');
      return { hold, unit: unitView(ctx, unitId), extended: true };
    }
    const hold = insertRecord(ctx, unitHolds, {
      unit_id: unitId, lead_id: lead.id, held_by: ctx.actor, held_at: now.toISOString(), hold_until: until.toISOString(), released_at: null, release_reason: null,
    });
    return { hold, unit: unitView(ctx, unitId), extended: false };
  });
});

/** End the unit's live hold: `released` by a person, `booked` when its lead books the unit. */
export function releaseHold(ctx: ServiceContext, unitId: string, reason: 'released' | 'booked' = 'released') {
  return inTransaction(ctx, () => {
    const unit = unitState(ctx, unitId, 'id');
    // Booked, the unit reads as booked: its hold, still live, is ended all the same.
    const live = prepareCached(ctx.db, liveHoldOf('@unit')).get({ unit: unitId, now: nowIso(ctx) }) as { id: string } | undefined;
    if (!live) {
      if (reason === 'booked') return null;
      throw conflict(`${unitLabel(unit)} is not held (it is ${unit.status})`, 'id', { unit_status: unit.status });
    }
    const hold = updateRecord(ctx, unitHolds, 'hold', live.id, { released_at: nowIso(ctx), release_reason: reason }, reason === 'booked' ? 'booked' : 'release');
    return { hold, unit: unitView(ctx, unitId) };
  });
}

/** A lead's holds, newest first, each with its state now (the lead's timeline). */
export function holdsOfLead(ctx: ServiceContext, leadId: string) {
  requireRecord(ctx, leads, 'lead', leadId);
  const now = nowIso(ctx);
  return (prepareCached(ctx.db, `SELECT h.*, u.project_name, u.tower, u.unit_number, u.unit_type FROM sales_unit_holds h JOIN sales_units u ON u.id = h.unit_id
      WHERE h.lead_id = ? AND h.deleted_at IS NULL ORDER BY h.held_at DESC`).all(leadId) as (HoldRow & { project_name: string; tower: string; unit_number: string; unit_type: string })[])
    .map((h) => ({ ...h, state: holdState(h, now) }));
}

/** The live holds (a user's, or everyone's) that end within `hours`: the Today view. */
export function holdsEndingSoon(ctx: ServiceContext, user: string | null, hours = 24) {
  const now = ctx.clock();
  const soon = new Date(now.getTime() + hours * 3600 * 1000).toISOString();
  return prepareCached(ctx.db, `SELECT h.id, h.unit_id, h.lead_id, h.held_by, h.held_at, h.hold_until, u.project_name, u.tower, u.unit_number, u.unit_type, l.name AS lead_name FROM sales_unit_holds h
      JOIN sales_units u ON u.id = h.unit_id JOIN sales_leads l ON l.id = h.lead_id
      WHERE h.released_at IS NULL AND h.deleted_at IS NULL AND h.hold_until > ? AND h.hold_until <= ? AND (? IS NULL OR h.held_by = ?)
      ORDER BY h.hold_until`).all(now.toISOString(), soon, user, user) as
    { id: string; unit_id: string; lead_id: string; held_by: string | null; held_at: string; hold_until: string; project_name: string; tower: string; unit_number: string; unit_type: string; lead_name: string }[];
}
