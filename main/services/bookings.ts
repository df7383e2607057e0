import { desc, and, eq, isNull } from 'drizzle-orm';
import { prepareCached } from '../../db/statements.js';
import { z } from 'zod';
import { bookings, customers, leads } from '../../db/schema/index.js';
import { bookingStatuses } from '../../db/schema/enums.js';
import { today, type ServiceContext } from '../domain/context.js';
import { AppError, conflict, validationError } from '../domain/errors.js';
import { fromMinor, toMinor } from '../../db/values/money.js';
import { assertUnitFree, findInventory, typeHasUnits, unitCounts, unitState } from './units.js';
import { tidyName } from '../../db/values/names.js';
import { releaseHold } from './holds.js';
import { code, count, enumOf, localDate, localTime, longText, money, newRecordId, recordId, text, parsing, parsingFor } from '../domain/validation.js';
import { customerService } from './customers.js';
import { unitInventoryService } from './catalog.js';
import { entityService, presentMoney } from './entityService.js';
import { appendLedgerEntry, presentEntry } from './ledger.js';
import { makeSchedule, planForBooking } from './paymentPlans.js';
import { presentMilestone, recordMilestone } from './milestones.js';
import { assertReference, inTransaction, insertRecord, nextCode, requireRecord, updateRecord, findRecord } from './records.js';

export type BookingRow = typeof bookings.$inferSelect;
export type LeadRow = typeof leads.$inferSelect;
export const MONEY = ['booking_amount', 'refund_amount', 'forfeiture_amount'] as const;

const bookingFields = {
  booking_code: code().optional(),
  booking_date: localDate().optional(),
  /** Required, except for a booking by unit: the unit's list price then. */
  booking_amount: money({ positive: true }).optional(),
  /** SPEC §10: book this unit (its project and type come from it). */
  unit_id: recordId().nullish(),
  project_name: text().nullish(),
  unit_type: text(100).nullish(),
  unit_count: count(1).optional(),
  units_booked: count(1).optional(),
  units_available: count(0).nullish(),
  status: enumOf(bookingStatuses).optional(),
  cancellation_date: localDate().nullish(),
  cancellation_reason: longText().nullish(),
  refund_amount: money().nullish(),
  /** SPEC §10: the plan its schedule is made from; without one, the whole amount falls due on the booking date. */
  payment_plan_id: recordId().nullish(),
  delivery_date: localDate().nullish(),
  notes: longText().nullish(),
};

const bookingInput = z.strictObject({ id: newRecordId().optional(), customer_id: recordId(), lead_id: recordId().nullish(), ...bookingFields });

/** Units of a type still free: total − units of non-cancelled bookings (SPEC §3), or null without an inventory row. */
export function unitsAvailable(ctx: ServiceContext, projectName: string | null | undefined, unitType: string | null | undefined): number | null {
  if (!unitType) return null;
  const inventory = findInventory(ctx, projectName, unitType);
  if (!inventory) return null;
  projectName = inventory.project_name;
  unitType = inventory.unit_type;
  const row = prepareCached(ctx.db, 
      // Of the stock: every booking, whoever reads it (main., see db/scope.ts).
      `SELECT i.total_units - coalesce((SELECT sum(b.units_booked) FROM main.sales_bookings b
                 WHERE coalesce(b.project_name, '') = i.project_name AND b.unit_type = i.unit_type
                   AND b.status <> 'cancelled' AND b.deleted_at IS NULL), 0) AS available
       FROM sales_unit_inventory i WHERE i.project_name = ? AND i.unit_type = ? AND i.deleted_at IS NULL`,
    )
    .get(projectName ?? '', unitType) as { available: number } | undefined;
  return row ? row.available : null;
}

/**
 * A booking's project, type and amount: from its unit when it names one (refused
 * unless the unit is free for the booking's lead); else matched against the
 * inventory (SPEC §3), stored in the inventory's spelling.
 */
function placeBooking(ctx: ServiceContext, asked: Record<string, unknown>): Record<string, unknown> {
  if (asked.unit_id) {
    const unit = unitState(ctx, asked.unit_id as string);
    if (asked.status !== 'cancelled') assertUnitFree(ctx, unit, asked.lead_id as string | null | undefined);
    const amount = (asked.booking_amount as number | undefined) ?? (unit.list_price === null ? undefined : toMinor(unit.list_price));
    if (amount === undefined) throw validationError('booking_amount', 'is required: the unit has no list price');
    if (asked.unit_count !== undefined && asked.unit_count !== 1) throw validationError('unit_count', 'must be 1 for a booking by unit');
    // Project and type come from the unit; given ones must say the same, or the request meant another unit.
    for (const [field, own] of [['project_name', unit.project_name], ['unit_type', unit.unit_type]] as const) {
      const given = asked[field];
      if (typeof given === 'string' && given.trim() && tidyName(given).toLowerCase() !== own.toLowerCase()) {
        throw validationError(field, `is ${own} for this unit (from unit_id); leave it out or give the unit's`);
      }
    }
    return { ...asked, project_name: unit.project_name, unit_type: unit.unit_type, unit_count: 1, units_booked: 1, booking_amount: amount };
  }
  if (asked.booking_amount === undefined) throw validationError('booking_amount', 'is required');
  const out = { ...asked };
  if (typeof asked.project_name === 'string') out.project_name = tidyName(asked.project_name);
  if (typeof asked.unit_type === 'string') {
    out.unit_type = tidyName(asked.unit_type);
    const inventory = findInventory(ctx, asked.project_name as string | null, asked.unit_type);
    if (inventory) {
      if (asked.project_name != null) out.project_name = inventory.project_name;
      out.unit_type = inventory.unit_type;
      if (asked.status !== 'cancelled' && typeHasUnits(ctx, inventory.project_name, inventory.unit_type)) {
        throw validationError('unit_id', `${inventory.project_name ? `${inventory.project_name} ` : ''}${inventory.unit_type} is sold by unit: choose one (unit_id)`);
      }
    }
  }
  return out;
}

function prepareBooking(ctx: ServiceContext, input: Record<string, unknown>): Record<string, unknown> {
  const placed = placeBooking(ctx, input);
  const unitCount = (placed.unit_count as number | undefined) ?? 1;
  const booking: Record<string, unknown> & { units_booked: number; status: string } = {
    ...placed,
    booking_code: placed.booking_code ?? nextCode(ctx, 'BKG'),
    booking_date: placed.booking_date ?? today(ctx),
    unit_count: unitCount,
    units_booked: (placed.units_booked as number | undefined) ?? unitCount,
    status: (placed.status as string | undefined) ?? 'confirmed',
  };
  // Recorded as cancelled from the start: never invoiced, so nothing retained or owed.
  if (booking.status === 'cancelled') booking.forfeiture_amount = 0;
  if (booking.payment_plan_id) planForBooking(ctx, booking.payment_plan_id as string, booking.project_name as string | null);
  // A booking by unit is counted by its unit (SPEC §10), not against a count.
  const available = booking.unit_id ? null : unitsAvailable(ctx, booking.project_name as string | null, booking.unit_type as string | null);
  if (available !== null && booking.status !== 'cancelled') {
    if (booking.units_booked > available) {
      throw new AppError('conflict', `only ${Math.max(0, available)} unit(s) of ${String(booking.unit_type)} are available`, [
        { field: 'units_booked', message: `exceeds the ${Math.max(0, available)} unit(s) available` },
      ], { units_available: Math.max(0, available) });
    }
    booking.units_available = available - booking.units_booked;
  }
  return booking;
}

function checkBooking(ctx: ServiceContext, b: Record<string, unknown>) {
  assertReference(ctx, customers, 'customer', b.customer_id, 'customer_id');
  assertReference(ctx, leads, 'lead', b.lead_id, 'lead_id');
  if (b.units_booked !== undefined && b.unit_count !== undefined && (b.units_booked as number) > (b.unit_count as number)) {
    throw validationError('units_booked', 'must be between 1 and unit_count');
  }
  if (b.refund_amount != null && (b.refund_amount as number) > (b.booking_amount as number)) {
    throw validationError('refund_amount', 'must not exceed booking_amount');
  }
  if (b.status === 'cancelled') {
    if (!b.cancellation_date) throw validationError('cancellation_date', 'is required for a cancelled booking');
    if (!b.cancellation_reason) throw validationError('cancellation_reason', 'is required for a cancelled booking');
  }
}

const service = entityService({
  table: bookings,
  entity: 'booking',
  createInput: bookingInput,
  updateInput: z.strictObject({
    status: enumOf(['confirmed', 'pending', 'completed', 'on_hold'] as const).optional(),
    delivery_date: localDate().nullish(),
    notes: longText().nullish(),
  }),
  moneyFields: MONEY,
  uniqueFields: ['booking_code'],
  filters: { status: bookings.status, customer_id: bookings.customer_id, lead_id: bookings.lead_id, project_name: bookings.project_name, unit_type: bookings.unit_type },
  searchColumns: [bookings.booking_code, bookings.project_name, bookings.notes],
  dateColumn: bookings.booking_date,
  orderBy: [desc(bookings.booking_date), desc(bookings.created_at)],
  prepare: prepareBooking,
  // Booking a unit its lead held ends the hold as `booked`.
  afterCreate: (ctx, booking) => {
    if (booking.unit_id && booking.lead_id) releaseHold(ctx, booking.unit_id as string, 'booked');
    makeSchedule(ctx, booking as unknown as BookingRow);
  },
  check: (ctx, merged) => {
    checkBooking(ctx, merged);
    if (merged.id && merged.status !== 'cancelled') {
      const stored = findRecord(ctx, bookings, String(merged.id), { includeDeleted: true });
      if (stored?.status === 'cancelled') throw conflict('a cancelled booking cannot change (cancellation is final)', 'status');
    }
  },
});

/** Where a booking's unit type has an inventory row, show the live derived count. */
function withLiveAvailability(ctx: ServiceContext, rows: BookingRow[]): (BookingRow & { unit_number: string | null; tower: string | null; customer_code: string | null; customer_name: string | null })[] {
  const cache = new Map<string, number | null>();
  // Whose booking it is, by name (the list named no customer), read for the page at once.
  const customerIds = [...new Set(rows.map((r) => r.customer_id))];
  const customerOf = new Map((customerIds.length
    ? prepareCached(ctx.db, 'SELECT id, customer_code, name FROM sales_customers WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(customerIds)) as { id: string; customer_code: string; name: string }[]
    : []).map((c) => [c.id, c]));
  // A booking by unit names its unit (tower and number), read for the page at once.
  const unitIds = rows.map((r) => r.unit_id).filter((id): id is string => Boolean(id));
  const unitOf = new Map((unitIds.length
    ? prepareCached(ctx.db, 'SELECT id, tower, unit_number FROM sales_units WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(unitIds)) as { id: string; tower: string; unit_number: string }[]
    : []).map((u) => [u.id, u]));
  return rows.map((r) => {
    const unit = r.unit_id ? unitOf.get(r.unit_id) : undefined;
    const customer = customerOf.get(r.customer_id);
    const withUnit = { ...r, unit_number: unit?.unit_number ?? null, tower: unit?.tower ?? null, customer_code: customer?.customer_code ?? null, customer_name: customer?.name ?? null };
    if (r.unit_id) return withUnit;
    const key = `${r.project_name ?? ''}\u0000${r.unit_type ?? ''}`;
    if (!cache.has(key)) cache.set(key, unitsAvailable(ctx, r.project_name, r.unit_type));
    const live = cache.get(key);
    return live === null || live === undefined ? withUnit : { ...withUnit, units_available: Math.max(0, live) };
  });
}

export const bookingService = {
  inputs: service.inputs,
  create: service.create,
  update: service.update,
  get: (ctx: ServiceContext, id: string) => withLiveAvailability(ctx, [service.get(ctx, id)])[0] as BookingRow,
  list: parsing(service.inputs.list, (ctx: ServiceContext, filters) => {
    const page = service.list.parsed(ctx, filters);
    return { ...page, items: withLiveAvailability(ctx, page.items) };
  }),
};

/** The inventory with live counts: a type sold by unit counts its units by status (SPEC §10), any other its bookings. */
export const listInventory = parsing(unitInventoryService.inputs.list, (ctx: ServiceContext, filters) => {
  const page = unitInventoryService.list.parsed(ctx, filters);
  const byUnit = new Map(unitCounts(ctx).map((counts) => [`${counts.project_name}\u0000${counts.unit_type}`, counts]));
  return {
    ...page,
    items: page.items.map((i) => {
      const counts = byUnit.get(`${i.project_name}\u0000${i.unit_type}`);
      if (counts) return { ...i, by_unit: true, total_units: counts.total_units, units_available: counts.available, units_held: counts.held, units_booked: counts.booked + counts.sold, units_blocked: counts.blocked };
      return { ...i, by_unit: false, units_available: Math.max(0, unitsAvailable(ctx, i.project_name, i.unit_type) ?? 0) };
    }),
  };
});

export const bookUnitInput = z.strictObject({
  customer_id: recordId().optional(),
  ...bookingFields,
  status: enumOf(['confirmed', 'pending', 'on_hold'] as const).optional(),
  milestone_time: localTime().nullish(),
  invoice_description: longText().nullish(),
});

/**
 * SPEC §4 "book a unit", one transaction: the customer (made from the lead when it
 * has none), the booking, a `booking` milestone and an invoice for the amount.
 */
export const bookUnit = parsingFor(bookUnitInput, (ctx: ServiceContext, leadId, { milestone_time, invoice_description, customer_id, ...fields }) => {
  return inTransaction(ctx, () => {
    const lead = requireRecord(ctx, leads, 'lead', leadId);
    if (lead.status === 'lost') throw conflict('this lead is lost: record a reengaged milestone before booking', 'lead_id');
    // The customer named, else the lead's, else one already made from this lead, else a new one.
    let customerId =
      customer_id ??
      lead.customer_id ??
      ctx.orm.select({ id: customers.id }).from(customers).where(and(eq(customers.lead_id, lead.id), isNull(customers.deleted_at))).orderBy(customers.created_at).limit(1).get()?.id;
    let customer = null;
    if (!customerId) {
      customer = customerService.create(ctx, { name: lead.name, email: lead.email ?? null, phone: lead.phone ?? null, lead_id: lead.id });
      customerId = customer.id;
    }
    if (lead.customer_id !== customerId) updateRecord(ctx, leads, 'lead', lead.id, { customer_id: customerId });
    const values = prepareBooking(ctx, { ...fields, customer_id: customerId, lead_id: lead.id });
    checkBooking(ctx, values);
    if (ctx.orm.select({ id: bookings.id }).from(bookings).where(eq(bookings.booking_code, String(values.booking_code))).get()) {
      throw conflict(`booking_code '${String(values.booking_code)}' already exists`, 'booking_code');
    }
    const booking = insertRecord(ctx, bookings, values);
    if (booking.unit_id) releaseHold(ctx, booking.unit_id, 'booked');
    const schedule = makeSchedule(ctx, booking);
    const milestone = recordMilestone(ctx, {
      lead_id: lead.id,
      milestone_type: 'booking',
      milestone_date: booking.booking_date,
      milestone_time: milestone_time ?? null,
      notes: `Booking ${booking.booking_code}`,
      metadata: { booking_id: booking.id, booking_code: booking.booking_code },
    });
    const invoice = appendLedgerEntry(ctx, {
      customer_id: customerId,
      transaction_date: booking.booking_date,
      transaction_type: 'invoice',
      debit_amount: booking.booking_amount,
      reference_document_type: 'booking',
      reference_document_id: booking.id,
      description: invoice_description ?? `Booking ${booking.booking_code}${booking.project_name ? ` — ${booking.project_name}` : ''}`,
    });
    return {
      booking: presentMoney(booking, MONEY),
      milestone: presentMilestone(milestone),
      ledger_entry: presentEntry(invoice),
      customer_id: customerId,
      customer_created: customer !== null,
      schedule: schedule.map((r) => ({ seq: r.seq, label: r.label, amount: fromMinor(r.amount), due_date: r.due_date, stage: r.stage })),
    };
  });
});

