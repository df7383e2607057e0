import { desc } from 'drizzle-orm';
import { statement } from '../../db/statements.js';
import { z } from 'zod';
import { bookings, customers, leads } from '../../db/schema/index.js';
import { bookingStatuses } from '../../db/schema/enums.js';
import { eventId, today, type ServiceContext } from '../domain/context.js';
import { AppError, conflict, validationError } from '../domain/errors.js';
import { formatMinor, fromMinor, moneyText, toMinor } from '../domain/money.js';
import { assertUnitFree, findInventory, releaseHold, tidyName, typeHasUnits, unitCounts, unitState } from './units.js';
import { basedOn, code, count, enumOf, localDate, localTime, longText, money, parseInput, newRecordId, recordId, text } from '../domain/validation.js';
import { customerService } from './customers.js';
import { unitInventoryService } from './catalog.js';
import { entityService, presentMoney } from './entityService.js';
import { appendLedgerEntry, presentEntry, reverseLedgerEntry } from './ledger.js';
import { receivedOnBooking } from './receivables.js';
import { cancelSchedule, makeSchedule, planForBooking } from './paymentPlans.js';
import { presentMilestone, recordMilestone } from './milestones.js';
import { assertCurrent, assertReference, inTransaction, insertRecord, nextCode, requireRecord, updateRecord } from './records.js';

type BookingRow = typeof bookings.$inferSelect;
type LeadRow = typeof leads.$inferSelect;
const MONEY = ['booking_amount', 'refund_amount', 'forfeiture_amount'] as const;

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
  const row = statement(ctx.db, 
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
function placeBooking(ctx: ServiceContext, v: Record<string, unknown>): Record<string, unknown> {
  if (v.unit_id) {
    const unit = unitState(ctx, v.unit_id as string);
    if (v.status !== 'cancelled') assertUnitFree(ctx, unit, v.lead_id as string | null | undefined);
    const amount = (v.booking_amount as number | undefined) ?? (unit.list_price === null ? undefined : toMinor(unit.list_price));
    if (amount === undefined) throw validationError('booking_amount', 'is required: the unit has no list price');
    if (v.unit_count !== undefined && v.unit_count !== 1) throw validationError('unit_count', 'must be 1 for a booking by unit');
    // Project and type come from the unit; given ones must say the same, or the request meant another unit.
    for (const [field, own] of [['project_name', unit.project_name], ['unit_type', unit.unit_type]] as const) {
      const given = v[field];
      if (typeof given === 'string' && given.trim() && tidyName(given).toLowerCase() !== own.toLowerCase()) {
        throw validationError(field, `is ${own} for this unit (from unit_id); leave it out or give the unit's`);
      }
    }
    return { ...v, project_name: unit.project_name, unit_type: unit.unit_type, unit_count: 1, units_booked: 1, booking_amount: amount };
  }
  if (v.booking_amount === undefined) throw validationError('booking_amount', 'is required');
  const out = { ...v };
  if (typeof v.project_name === 'string') out.project_name = tidyName(v.project_name);
  if (typeof v.unit_type === 'string') {
    out.unit_type = tidyName(v.unit_type);
    const inventory = findInventory(ctx, v.project_name as string | null, v.unit_type);
    if (inventory) {
      if (v.project_name != null) out.project_name = inventory.project_name;
      out.unit_type = inventory.unit_type;
      if (v.status !== 'cancelled' && typeHasUnits(ctx, inventory.project_name, inventory.unit_type)) {
        throw validationError('unit_id', `${inventory.project_name ? `${inventory.project_name} ` : ''}${inventory.unit_type} is sold by unit: choose one (unit_id)`);
      }
    }
  }
  return out;
}

function prepareBooking(ctx: ServiceContext, input: Record<string, unknown>): Record<string, unknown> {
  const v = placeBooking(ctx, input);
  const unitCount = (v.unit_count as number | undefined) ?? 1;
  const booking: Record<string, unknown> & { units_booked: number; status: string } = {
    ...v,
    booking_code: v.booking_code ?? nextCode(ctx, 'BKG'),
    booking_date: v.booking_date ?? today(ctx),
    unit_count: unitCount,
    units_booked: (v.units_booked as number | undefined) ?? unitCount,
    status: (v.status as string | undefined) ?? 'confirmed',
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
  afterCreate: (ctx, b) => {
    if (b.unit_id && b.lead_id) releaseHold(ctx, b.unit_id as string, 'booked');
    makeSchedule(ctx, b as unknown as BookingRow);
  },
  check: (ctx, b) => {
    checkBooking(ctx, b);
    if (b.id && b.status !== 'cancelled') {
      const stored = statement(ctx.db, 'SELECT status FROM sales_bookings WHERE id = ?').get(b.id) as { status: string } | undefined;
      if (stored?.status === 'cancelled') throw conflict('a cancelled booking cannot change (cancellation is final)', 'status');
    }
  },
});

/** Where a booking's unit type has an inventory row, show the live derived count. */
function withLiveAvailability(ctx: ServiceContext, rows: BookingRow[]): (BookingRow & { unit_number: string | null; tower: string | null; customer_code: string | null; customer_name: string | null })[] {
  const cache = new Map<string, number | null>();
  // Whose booking it is, by name (issue 18: the list named no customer), read for the page at once.
  const customerIds = [...new Set(rows.map((r) => r.customer_id))];
  const customerOf = new Map((customerIds.length
    ? statement(ctx.db, 'SELECT id, customer_code, name FROM sales_customers WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(customerIds)) as { id: string; customer_code: string; name: string }[]
    : []).map((c) => [c.id, c]));
  // A booking by unit names its unit (tower and number), read for the page at once.
  const unitIds = rows.map((r) => r.unit_id).filter((id): id is string => Boolean(id));
  const unitOf = new Map((unitIds.length
    ? statement(ctx.db, 'SELECT id, tower, unit_number FROM sales_units WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(unitIds)) as { id: string; tower: string; unit_number: string }[]
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
  list: (ctx: ServiceContext, input: unknown) => {
    const page = service.list(ctx, input);
    return { ...page, items: withLiveAvailability(ctx, page.items) };
  },
};

/** The inventory with live counts: a type sold by unit counts its units by status (SPEC §10), any other its bookings. */
export function listInventory(ctx: ServiceContext, input: unknown) {
  const page = unitInventoryService.list(ctx, input);
  const byUnit = new Map(unitCounts(ctx).map((c) => [`${c.project_name}\u0000${c.unit_type}`, c]));
  return {
    ...page,
    items: page.items.map((i) => {
      const c = byUnit.get(`${i.project_name}\u0000${i.unit_type}`);
      if (c) return { ...i, by_unit: true, total_units: c.total_units, units_available: c.available, units_held: c.held, units_booked: c.booked + c.sold, units_blocked: c.blocked };
      return { ...i, by_unit: false, units_available: Math.max(0, unitsAvailable(ctx, i.project_name, i.unit_type) ?? 0) };
    }),
  };
}

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
export function bookUnit(ctx: ServiceContext, leadId: string, input: unknown) {
  const { milestone_time, invoice_description, customer_id, ...fields } = parseInput(bookUnitInput, input);
  return inTransaction(ctx, () => {
    const lead = requireRecord<LeadRow>(ctx, leads, 'lead', leadId);
    if (lead.status === 'lost') throw conflict('this lead is lost: record a reengaged milestone before booking', 'lead_id');
    // The customer named, else the lead's, else one already made from this lead, else a new one.
    let customerId =
      customer_id ??
      lead.customer_id ??
      (statement(ctx.db, 'SELECT id FROM sales_customers WHERE lead_id = ? AND deleted_at IS NULL ORDER BY created_at LIMIT 1').get(lead.id) as { id: string } | undefined)?.id;
    let customer = null;
    if (!customerId) {
      customer = customerService.create(ctx, { name: lead.name, email: lead.email ?? null, phone: lead.phone ?? null, lead_id: lead.id });
      customerId = customer.id;
    }
    if (lead.customer_id !== customerId) updateRecord(ctx, leads, 'lead', lead.id, { customer_id: customerId });
    const values = prepareBooking(ctx, { ...fields, customer_id: customerId, lead_id: lead.id });
    checkBooking(ctx, values);
    if (statement(ctx.db, 'SELECT 1 FROM sales_bookings WHERE booking_code = ?').get(values.booking_code)) {
      throw conflict(`booking_code '${String(values.booking_code)}' already exists`, 'booking_code');
    }
    const booking = insertRecord<BookingRow>(ctx, bookings, values);
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
}

export const cancelInput = z.strictObject({
  cancellation_date: localDate().optional(),
  cancellation_reason: z.string({ error: 'is required' }).trim().min(1, { error: 'is required' }).max(10_000),
  /** SPEC §10: the part of the booking amount retained (0 by default). */
  forfeiture_amount: money().optional(),
  /** Paid back now: at most what was received on the booking less the forfeiture. */
  refund_amount: money().optional(),
  ...basedOn,
});

/** What cancelling a booking would leave (minor units): the cancel form shows it before the user commits. */
export function cancellationTerms(ctx: ServiceContext, booking: BookingRow, forfeiture = 0, refund = 0) {
  const received = receivedOnBooking(ctx, booking);
  const maxRefund = Math.max(0, received - forfeiture);
  // The customer then owes forfeiture − received + refunded on this booking (SPEC §10).
  return { booking_amount: booking.booking_amount, received, forfeiture, max_refund: maxRefund, refund, balance_after: forfeiture - received + refund };
}

/** A booking named by its id or its code (as the CLI lets a user type either). */
export function bookingIdOf(ctx: ServiceContext, idOrCode: string): string {
  const row = statement(ctx.db, 'SELECT id FROM sales_bookings WHERE (id = ? OR booking_code = ?) AND deleted_at IS NULL').get(idOrCode, idOrCode) as { id: string } | undefined;
  if (!row) throw new AppError('not_found', `booking '${idOrCode}' not found`, [{ field: 'booking', message: 'no booking with this id or code' }]);
  return row.id;
}

export const cancelPreviewInput = z.strictObject({ forfeiture_amount: money().optional(), refund_amount: money().optional() });

/** The cancel form's figures for a booking (money as decimals). */
export function cancelPreview(ctx: ServiceContext, id: string, input: unknown) {
  const q = parseInput(cancelPreviewInput, input);
  const booking = requireRecord<BookingRow>(ctx, bookings, 'booking', id);
  const t = cancellationTerms(ctx, booking, q.forfeiture_amount ?? 0, q.refund_amount ?? 0);
  // The same limits as cancelling: the preview says so rather than show a balance that cannot be.
  if (t.forfeiture > booking.booking_amount) throw validationError('forfeiture_amount', `must not exceed the booking amount ${formatMinor(booking.booking_amount)}`);
  if (t.refund > t.max_refund) throw validationError('refund_amount', `must not exceed ${formatMinor(t.max_refund)}`);
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, fromMinor(v)])) as Record<keyof typeof t, number>;
}

/**
 * SPEC §4 cancel workflow and §10's money rule, one transaction: the booking
 * cancelled with date, reason, forfeiture and refund; a `cancellation` milestone on
 * its lead; a credit note of the booking amount less the forfeiture; a `refund`
 * entry for what is paid back now. A booking cancelled with everything received
 * paid back beyond the forfeiture leaves its customer owing nothing on it.
 */
export function cancelBooking(ctx: ServiceContext, id: string, input: unknown) {
  const c = parseInput(cancelInput, input);
  return inTransaction(ctx, () => {
    const booking = requireRecord<BookingRow>(ctx, bookings, 'booking', id);
    assertCurrent('booking', booking, c.expected_updated_at, presentMoney(booking, MONEY));
    if (booking.status === 'cancelled') throw conflict(`booking ${booking.booking_code} is already cancelled`, 'status');
    const date = c.cancellation_date ?? today(ctx);
    if (date < booking.booking_date) throw validationError('cancellation_date', 'must be on or after booking_date');
    const forfeiture = c.forfeiture_amount ?? 0;
    if (forfeiture > booking.booking_amount) {
      throw validationError('forfeiture_amount', `must not exceed the booking amount ${formatMinor(booking.booking_amount)}`);
    }
    const refund = c.refund_amount ?? 0;
    const terms = cancellationTerms(ctx, booking, forfeiture, refund);
    if (refund > terms.max_refund) {
      throw new AppError('validation_failed', `refund_amount: must not exceed ${formatMinor(terms.max_refund)}, what was received on the booking (${formatMinor(terms.received)}) less the forfeiture`, [
        { field: 'refund_amount', message: `must not exceed ${formatMinor(terms.max_refund)}` },
      ], { max_refund: fromMinor(terms.max_refund), received: fromMinor(terms.received) });
    }
    const cancelled = updateRecord<BookingRow>(ctx, bookings, 'booking', id, {
      status: 'cancelled', cancellation_date: date, cancellation_reason: c.cancellation_reason, refund_amount: refund, forfeiture_amount: forfeiture,
    }, 'cancel');
    const milestone = booking.lead_id && requireRecord<LeadRow>(ctx, leads, 'lead', booking.lead_id)
      ? recordMilestone(ctx, {
          id: eventId('cancellation-milestone', booking.id),
          lead_id: booking.lead_id,
          milestone_type: 'cancellation',
          milestone_date: date,
          notes: c.cancellation_reason,
          metadata: { booking_id: booking.id, booking_code: booking.booking_code },
        })
      : null;
    const entries = cancellationEntries(ctx, cancelled, date);
    cancelSchedule(ctx, cancelled, date);
    return {
      booking: presentMoney(cancelled, MONEY),
      milestone: milestone ? presentMilestone(milestone) : null,
      ledger_entries: entries.map(presentEntry),
      balance_after: fromMinor(terms.balance_after),
    };
  });
}

const isInvoiced = (ctx: ServiceContext, bookingId: string) => statement(ctx.db, `SELECT 1 FROM sales_account_ledgers
    WHERE reference_document_type = 'booking' AND reference_document_id = ? AND transaction_type = 'invoice' AND deleted_at IS NULL`).get(bookingId) !== undefined;

/**
 * SPEC §10's entries for a cancelled booking: a credit note reversing its invoice
 * except the forfeiture, and its refund. A booking recorded without the book-a-unit
 * workflow was never invoiced: the forfeiture is then charged by a debit note, so the
 * customer owes forfeiture − received + refunded on it either way.
 */
function cancellationEntries(ctx: ServiceContext, booking: BookingRow, date: string) {
  const forfeiture = booking.forfeiture_amount ?? 0;
  const credit = booking.booking_amount - forfeiture;
  const refund = booking.refund_amount ?? 0;
  const invoiced = isInvoiced(ctx, booking.id);
  const ref = { customer_id: booking.customer_id, transaction_date: date, reference_document_type: 'booking', reference_document_id: booking.id };
  return [
    invoiced && credit > 0 && appendLedgerEntry(ctx, {
      ...ref, id: eventId('cancellation-credit', booking.id), transaction_type: 'credit_note', credit_amount: credit,
      description: `Cancellation of booking ${booking.booking_code}${forfeiture ? ` (${moneyText(ctx.settings, forfeiture)} forfeited)` : ''}`,
    }),
    !invoiced && forfeiture > 0 && appendLedgerEntry(ctx, {
      ...ref, id: eventId('cancellation-forfeiture', booking.id), transaction_type: 'debit_note', debit_amount: forfeiture,
      description: `Forfeiture on cancellation of booking ${booking.booking_code}`,
    }),
    refund > 0 && appendLedgerEntry(ctx, {
      ...ref, id: eventId('cancellation-refund', booking.id), transaction_type: 'refund', debit_amount: refund,
      description: `Refund on cancellation of booking ${booking.booking_code}`,
    }),
  ].filter((e) => e !== false);
}

/**
 * Databases from before SPEC §10's rule (run when a tenant is opened): each booking
 * cancelled the old way — invoiced, then a credit note of the refund only — gets its
 * old credit note reversed (never deleted) and the entries of the rule, dated at its
 * cancellation, with no forfeiture. Ids are fixed by the booking, so two devices
 * doing it for the same booking make the same rows.
 */
export function bringCancellationsToRule(ctx: ServiceContext): number {
  const old = statement(ctx.db, `SELECT b.* FROM sales_bookings b
      WHERE b.status = 'cancelled' AND b.forfeiture_amount IS NULL AND b.deleted_at IS NULL`).all() as BookingRow[];
  let brought = 0;
  for (const booking of old) {
    inTransaction(ctx, () => {
      const invoiced = isInvoiced(ctx, booking.id);
      const date = booking.cancellation_date ?? booking.booking_date;
      if (invoiced) {
        const oldCredit = statement(ctx.db, `SELECT id FROM sales_account_ledgers WHERE id = ? AND status = 'active'`)
          .get(eventId('cancellation-credit-note', booking.id)) as { id: string } | undefined;
        if (oldCredit) reverseLedgerEntry(ctx, oldCredit.id, { transaction_date: date, description: `Old refund credit note of booking ${booking.booking_code}, replaced by the cancellation rule` });
      }
      const updated = updateRecord<BookingRow>(ctx, bookings, 'booking', booking.id, { forfeiture_amount: 0 }, 'cancel');
      // A booking recorded as cancelled from the start was never invoiced: it owes nothing and gets no entries.
      if (invoiced) cancellationEntries(ctx, updated, date);
      brought += 1;
    });
  }
  return brought;
}
