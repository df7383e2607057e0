import { and, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import { prepareCached } from '../../db/statements.js';
import { inventoryReport, UNIT_STATUS_SQL } from '../../db/reports/inventory.js';
import { unitHolds, units, bookings, unitInventory } from '../../db/schema/index.js';
import { unitStatuses, type UnitStatus } from '../../db/schema/enums.js';
import { nowIso, type ServiceContext } from '../domain/context.js';
import { tidyName } from '../../db/values/names.js';
import { AppError, conflict, notFound, validationError } from '../domain/errors.js';
import { fromMinor } from '../../db/values/money.js';
import { count, enumOf, flag, longText, money, pagination, newRecordId, requiredText, text, parsing, parsingFor } from '../domain/validation.js';
import { assertIdFree, inTransaction, insertRecord, pageOf, updateRecord, sameText } from './records.js';

// SPEC §10 units and holds, and SPEC §3's matching of project and unit type names.
// A unit's status is derived from its bookings and holds whenever it is read, so a
// hold expires by time alone and cancelling a booking frees its unit.

type UnitRow = typeof units.$inferSelect;
type HoldRow = typeof unitHolds.$inferSelect;

/** SPEC §3: the inventory row a project and type name, without regard to case or repeated spaces. */
export function findInventory(ctx: ServiceContext, project: string | null | undefined, unitType: string): { id: string; project_name: string; unit_type: string; total_units: number } | undefined {
  const inventory = unitInventory;
  return ctx.orm.select({ id: inventory.id, project_name: inventory.project_name, unit_type: inventory.unit_type, total_units: inventory.total_units }).from(inventory)
    .where(and(sameText(inventory.project_name, tidyName(project ?? '')), sameText(inventory.unit_type, tidyName(unitType)), isNull(inventory.deleted_at))).get();
}

/** A project of the inventory in its own spelling, or undefined. */
export function findProject(ctx: ServiceContext, project: string): string | undefined {
  return ctx.orm.select({ project_name: unitInventory.project_name }).from(unitInventory)
    .where(and(sameText(unitInventory.project_name, tidyName(project)), isNull(unitInventory.deleted_at))).orderBy(unitInventory.created_at).limit(1).get()?.project_name;
}

/** Whether a project name (any case or spacing) is in the inventory or on a booking. */
export const projectKnown = (ctx: ServiceContext, project: string) =>
  findProject(ctx, project) !== undefined ||
  ctx.orm.select({ id: bookings.id }).from(bookings).where(and(sameText(bookings.project_name, tidyName(project)), isNull(bookings.deleted_at))).limit(1).get() !== undefined;

/** The towers a project's units are in (its name matched without regard to case). */
export const projectTowers = (ctx: ServiceContext, project: string) =>
  ctx.orm.selectDistinct({ tower: units.tower }).from(units)
    .where(and(sameText(units.project_name, tidyName(project)), ne(units.tower, ''), isNull(units.deleted_at))).orderBy(units.tower).all().map((r) => r.tower);

/** A tower name as the project already spells it (`tower b` is its `Tower B`), else tidied: one tower is never shown as two. */
function towerSpelling(ctx: ServiceContext, project: string, tower: string): string {
  const tidy = tidyName(tower);
  if (!tidy) return '';
  return (prepareCached(ctx.db, 'SELECT tower FROM sales_units WHERE project_name = ? AND lower(tower) = lower(?) AND deleted_at IS NULL LIMIT 1')
    .get(project, tidy) as { tower: string } | undefined)?.tower ?? tidy;
}

/** Whether a project's type is sold by unit (it has units): then it can only be booked by unit. */
export const typeHasUnits = (ctx: ServiceContext, project: string, unitType: string) =>
  prepareCached(ctx.db, 'SELECT 1 FROM sales_units WHERE project_name = ? AND unit_type = ? AND deleted_at IS NULL LIMIT 1').get(project, unitType) !== undefined;

/** The id of a unit's live hold (the first made, should two devices have made one each). */
// The hold shown with a unit is one the reader sees (a rep under rep_scope = own: their leads' only); its status counts every hold.
export const liveHoldOf = (unit: string) => `SELECT h.id FROM sales_unit_holds h
  WHERE h.unit_id = ${unit} AND h.released_at IS NULL AND h.deleted_at IS NULL AND h.hold_until > @now ORDER BY h.held_at, h.id LIMIT 1`;
const UNIT_SELECT = `SELECT u.*, ${UNIT_STATUS_SQL} AS status, lh.id AS hold_id, lh.lead_id AS hold_lead_id, lh.hold_until AS hold_until
  FROM sales_units u LEFT JOIN sales_unit_holds lh ON lh.id = (${liveHoldOf('u.id')})`;

export interface UnitView extends Omit<UnitRow, 'list_price'> {
  list_price: number | null;
  status: UnitStatus;
  hold_id: string | null;
  hold_lead_id: string | null;
  hold_until: string | null;
}

function present(raw: Record<string, unknown>): UnitView {
  return { ...raw, blocked: Boolean(raw.blocked), list_price: raw.list_price === null ? null : fromMinor(raw.list_price as number) } as unknown as UnitView;
}

export function unitView(ctx: ServiceContext, id: string): UnitView {
  const raw = prepareCached(ctx.db, `${UNIT_SELECT} WHERE u.id = @id AND u.deleted_at IS NULL`).get({ id, now: nowIso(ctx) }) as Record<string, unknown> | undefined;
  if (!raw) throw notFound('unit', id);
  return present(raw);
}

/** A unit's status now (its live hold's lead too): what holding and booking check. */
export function unitState(ctx: ServiceContext, id: string, field = 'unit_id'): UnitView {
  try {
    return unitView(ctx, id);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') throw new AppError('not_found', `unit '${id}' not found`, [{ field, message: 'no unit with this id' }]);
    throw e;
  }
}

export const unitLabel = (u: Pick<UnitRow, 'project_name' | 'tower' | 'unit_number'>) => `${u.project_name}${u.tower ? ` ${u.tower}` : ''} unit ${u.unit_number}`;

/** 409 unless the unit is free for this lead: available, or held for it. */
export function assertUnitFree(ctx: ServiceContext, unit: UnitView, leadId: string | null | undefined, field = 'unit_id'): void {
  if (unit.status === 'available') return;
  if (unit.status === 'held' && leadId && unit.hold_lead_id === leadId) return;
  const until = unit.hold_until
    ? `${new Intl.DateTimeFormat('en-GB', { timeZone: ctx.settings.timezone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(unit.hold_until))} (${ctx.settings.timezone})`
    : '';
  const detail = unit.status === 'held' ? `held for another lead until ${until}` : unit.status;
  throw conflict(`${unitLabel(unit)} is ${detail}`, field, { unit_status: unit.status });
}

// ---- units ----

const unitFields = {
  tower: text(40).optional(),
  floor: count(-10).refine((n) => n <= 300, { error: 'must be at most 300' }),
  unit_number: requiredText(20),
  unit_type: requiredText(100),
  carpet_area_sqft: z.number({ error: 'must be a number' }).positive({ error: 'must be greater than 0' }).max(1_000_000).nullish(),
  // A unit for sale has a price above zero (or none yet: then booking it needs an amount).
  list_price: money({ positive: true }).nullish(),
  blocked: flag().optional(),
  notes: longText().nullish(),
};
export const unitInput = z.strictObject({ id: newRecordId().optional(), project_name: requiredText(200), ...unitFields });
export const unitPatchInput = z.strictObject({
  list_price: unitFields.list_price,
  carpet_area_sqft: unitFields.carpet_area_sqft,
  blocked: unitFields.blocked,
  notes: unitFields.notes,
});

/** Project and type in the inventory's spelling: 422 naming the field when the inventory does not know them. */
function inventorySpelling(ctx: ServiceContext, project: string, unitType: string): { project_name: string; unit_type: string } {
  const projectName = findProject(ctx, project);
  if (projectName === undefined) throw validationError('project_name', `no project '${tidyName(project)}' in the unit inventory`);
  const inventory = findInventory(ctx, projectName, unitType);
  if (!inventory) throw validationError('unit_type', `'${tidyName(unitType)}' is not a unit type of ${projectName}`);
  return { project_name: inventory.project_name, unit_type: inventory.unit_type };
}

function assertNumberFree(ctx: ServiceContext, project: string, tower: string, unitNumber: string): void {
  const hit = prepareCached(ctx.db, 'SELECT tower, unit_number FROM sales_units WHERE project_name = ? AND lower(tower) = lower(?) AND lower(unit_number) = lower(?) AND deleted_at IS NULL')
    .get(project, tower, unitNumber) as { tower: string; unit_number: string } | undefined;
  if (hit) throw conflict(`${project}${hit.tower ? ` ${hit.tower}` : ''} already has a unit ${hit.unit_number}`, 'unit_number');
}

export const createUnit = parsing(unitInput, (ctx: ServiceContext, { id, project_name, unit_type, tower, unit_number, ...rest }): UnitView => {
  return inTransaction(ctx, () => {
    assertIdFree(ctx, units, id);
    const spelled = inventorySpelling(ctx, project_name, unit_type);
    const values = { ...rest, ...spelled, tower: towerSpelling(ctx, spelled.project_name, tower ?? ''), unit_number: tidyName(unit_number), blocked: rest.blocked ?? false };
    assertNumberFree(ctx, values.project_name, values.tower, values.unit_number);
    const row = insertRecord(ctx, units, values, id);
    return unitView(ctx, row.id);
  });
});

const NUMBERING_RE = /\{(floor|unit)(?::0(\d))?\}/g;
export const bulkUnitsInput = z.strictObject({
  project_name: requiredText(200),
  tower: text(40).optional(),
  unit_type: requiredText(100),
  floor_from: unitFields.floor,
  floor_to: unitFields.floor,
  units_per_floor: count(1).refine((n) => n <= 100, { error: 'must be at most 100' }),
  /** `{floor}` and `{unit}`, each optionally zero-padded (`{unit:02}`): floors 1–20 × units 01–08 → 101 … 2008. */
  numbering: text(40).optional(),
  carpet_area_sqft: unitFields.carpet_area_sqft,
  list_price: unitFields.list_price,
});

/** The unit numbers of a numbering pattern, floor by floor. */
export function numberUnits(pattern: string, floorFrom: number, floorTo: number, perFloor: number): { floor: number; unit_number: string }[] {
  const out: { floor: number; unit_number: string }[] = [];
  for (let floor = floorFrom; floor <= floorTo; floor += 1) {
    for (let unit = 1; unit <= perFloor; unit += 1) {
      const unitNumber = pattern.replace(NUMBERING_RE, (_m, what: string, pad: string | undefined) => {
        const place = what === 'floor' ? floor : unit;
        const digits = String(Math.abs(place)).padStart(pad ? Number(pad) : 0, '0');
        return place < 0 ? `B${digits}` : digits; // basements: B1, B2…
      });
      out.push({ floor, unit_number: unitNumber });
    }
  }
  return out;
}

/** A tower's floors × units per floor in one transaction; a number already taken refuses them all. */
export const createUnits = parsing(bulkUnitsInput, (ctx: ServiceContext, batch): { created: number; units: UnitView[] } => {
  const pattern = batch.numbering ?? '{floor}{unit:02}';
  if (!pattern.includes('{unit')) throw validationError('numbering', 'must contain {unit} (e.g. {floor}{unit:02})');
  if (batch.floor_to < batch.floor_from) throw validationError('floor_to', 'must be at least floor_from');
  const total = (batch.floor_to - batch.floor_from + 1) * batch.units_per_floor;
  if (total > 5000) throw validationError('units_per_floor', `makes ${total} units: at most 5000 at once`);
  const numbered = numberUnits(pattern, batch.floor_from, batch.floor_to, batch.units_per_floor);
  const seen = new Map<string, number>();
  for (const n of numbered) {
    const key = n.unit_number.toLowerCase();
    if (seen.has(key)) throw validationError('numbering', `gives unit ${n.unit_number} on floors ${seen.get(key)} and ${n.floor}: include {floor}`);
    seen.set(key, n.floor);
  }
  return inTransaction(ctx, () => {
    const spelled = inventorySpelling(ctx, batch.project_name, batch.unit_type);
    const tower = towerSpelling(ctx, spelled.project_name, batch.tower ?? '');
    const made: string[] = [];
    for (const n of numbered) {
      assertNumberFree(ctx, spelled.project_name, tower, n.unit_number);
      made.push(insertRecord(ctx, units, {
        ...spelled, tower, floor: n.floor, unit_number: n.unit_number, carpet_area_sqft: batch.carpet_area_sqft ?? null, list_price: batch.list_price ?? null, blocked: false,
      }).id);
    }
    return { created: made.length, units: made.map((id) => unitView(ctx, id)) };
  });
});

export const unitListInput = z.strictObject({
  ...pagination,
  project_name: text(200).optional(),
  tower: text(40).optional(),
  floor: count(-10).optional(),
  unit_type: text(100).optional(),
  status: enumOf(unitStatuses).optional(),
});

export const listUnits = parsing(unitListInput, (ctx: ServiceContext, filters) => {
  const limit = filters.limit ?? 100;
  const offset = filters.offset ?? 0;
  const where: string[] = [];
  const params: Record<string, unknown> = { now: nowIso(ctx), limit: limit + 1, offset };
  if (!filters.include_deleted) where.push('u.deleted_at IS NULL');
  if (filters.project_name !== undefined) {
    where.push('lower(u.project_name) = lower(@project)');
    params.project = tidyName(filters.project_name);
  }
  if (filters.tower !== undefined) {
    where.push('lower(u.tower) = lower(@tower)');
    params.tower = tidyName(filters.tower);
  }
  if (filters.floor !== undefined) {
    where.push('u.floor = @floor');
    params.floor = filters.floor;
  }
  if (filters.unit_type !== undefined) {
    where.push('lower(u.unit_type) = lower(@type)');
    params.type = tidyName(filters.unit_type);
  }
  const inner = `${UNIT_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  const sql = `SELECT * FROM (${inner}) x${filters.status ? ' WHERE x.status = @status' : ''} ORDER BY x.project_name, x.tower, x.floor, length(x.unit_number), x.unit_number LIMIT @limit OFFSET @offset`;
  if (filters.status) params.status = filters.status;
  const rows = (prepareCached(ctx.db, sql).all(params) as Record<string, unknown>[]).map(present);
  return pageOf(rows, limit, offset);
});

/** A unit with its history: every hold and booking, newest first. */
export function getUnit(ctx: ServiceContext, id: string) {
  const unit = unitView(ctx, id);
  const now = nowIso(ctx);
  const holds = (prepareCached(ctx.db, `SELECT h.*, l.name AS lead_name FROM sales_unit_holds h JOIN sales_leads l ON l.id = h.lead_id
      WHERE h.unit_id = ? AND h.deleted_at IS NULL ORDER BY h.held_at DESC, h.id DESC`).all(id) as (HoldRow & { lead_name: string })[])
    .map((h) => ({ ...h, state: holdState(h, now) }));
  const bookings = (prepareCached(ctx.db, `SELECT b.id, b.booking_code, b.booking_date, b.status, b.booking_amount, b.lead_id, b.customer_id, c.name AS customer_name, b.conflict
      FROM sales_bookings b LEFT JOIN sales_customers c ON c.id = b.customer_id WHERE b.unit_id = ? AND b.deleted_at IS NULL ORDER BY b.booking_date DESC, b.created_at DESC`)
    .all(id) as { id: string; booking_code: string; booking_date: string; status: string; booking_amount: number; lead_id: string | null; customer_id: string; customer_name: string | null; conflict: string | null }[])
    .map((b) => ({ ...b, booking_amount: fromMinor(b.booking_amount) }));
  return { ...unit, holds, bookings };
}

/** A hold's state now: live, or why it ended (an unreleased hold past its time expired). */
export const holdState = (h: Pick<HoldRow, 'released_at' | 'release_reason' | 'hold_until'>, now: string) =>
  h.released_at ? h.release_reason! : h.hold_until > now ? 'live' : 'expired';

export const updateUnit = parsingFor(unitPatchInput, (ctx: ServiceContext, id, patch): UnitView => {
  return inTransaction(ctx, () => {
    const unit = unitState(ctx, id, 'id');
    // Blocking withholds a free unit; one that is held, booked or sold is released or cancelled first.
    if (patch.blocked === true && unit.status !== 'available' && unit.status !== 'blocked') {
      throw conflict(`${unitLabel(unit)} is ${unit.status}: ${unit.status === 'held' ? 'release its hold' : 'cancel its booking'} before blocking it`, 'blocked', { unit_status: unit.status });
    }
    updateRecord(ctx, units, 'unit', id, patch);
    return unitView(ctx, id);
  });
});

/** Per project and type: units by status and their list value (the inventory report and counts). */
export const unitCounts = (ctx: ServiceContext, project?: string) => inventoryReport(ctx.db, { project_name: project ?? null, now: nowIso(ctx) });
