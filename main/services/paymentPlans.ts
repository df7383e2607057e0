import { and, eq, isNull, or, sql } from 'drizzle-orm';
import { daysBetween } from '../../db/values/dates.js';
import { z } from 'zod';
import { prepareCached } from '../../db/statements.js';
import { bookings, constructionStages, paymentPlans, paymentSchedule } from '../../db/schema/index.js';
import { eventId, today, type ServiceContext } from '../domain/context.js';
import { conflict, validationError } from '../domain/errors.js';
import { fromMinor, toMinor } from '../../db/values/money.js';
import { scheduleOf, stageDue, WHOLE_ON_BOOKING, type PlanInstalment, type StageDates } from '../domain/schedule.js';
import { allocate } from '../../db/values/allocation.js';
import { code, flag, localDate, money, pagination, newRecordId, recordId, requiredText, text, parsing, parsingFor } from '../domain/validation.js';
import { findProject, projectKnown } from './units.js';
import { tidyName } from '../../db/values/names.js';
import { customerInstalments, customerReceipts } from './receivables.js';
import { assertIdFree, findRecord, sameText, inTransaction, insertRecord, pageOf, requireRecord, updateRecord, type Page } from './records.js';

// SPEC §10 payment plans, construction stages and each booking's schedule.

type PlanRow = typeof paymentPlans.$inferSelect;
type StageRow = typeof constructionStages.$inferSelect;
type ScheduleRow = typeof paymentSchedule.$inferSelect;
type BookingRow = typeof bookings.$inferSelect;

/** A percent with at most two decimals, in hundredths (33.33 → 3333). */
const percent = z
  .number({ error: 'must be a number' })
  .refine((n) => n > 0 && n <= 100, { error: 'must be more than 0 and at most 100' })
  .refine((n) => toMinor(n) !== null, { error: 'must have at most 2 decimals' })
  .transform((n) => toMinor(n) as number);

const due = z.union([
  z.literal('on_booking'),
  z.strictObject({ after_days: z.number().int().min(0).max(3650) }),
  z.strictObject({ stage: requiredText(100) }),
], { error: 'must be "on_booking", {"after_days": N} or {"stage": NAME}' });

export const planInput = z.strictObject({
  id: newRecordId().optional(),
  plan_code: code(),
  plan_name: requiredText(200),
  project_name: text(200).optional(),
  active: flag().optional(),
  instalments: z.array(z.strictObject({ label: requiredText(100), percent, due }), { error: 'must be a list of instalments' })
    .min(1, { error: 'must have at least one instalment' }).max(60, { error: 'must have at most 60 instalments' }),
});

export interface PlanView extends Omit<PlanRow, 'instalments'> {
  instalments: { label: string; percent: number; due: PlanInstalment['due'] }[];
}

const planView = (row: PlanRow): PlanView => ({
  ...row,
  instalments: (JSON.parse(row.instalments) as PlanInstalment[]).map((i) => ({ ...i, percent: i.percent / 100 })),
});

const planInstalments = (row: PlanRow) => JSON.parse(row.instalments) as PlanInstalment[];

/** A project of the inventory in its spelling, or 422 naming `field`. */
function knownProject(ctx: ServiceContext, name: string, field = 'project_name'): string {
  const found = findProject(ctx, name);
  if (!found) throw validationError(field, `no project '${tidyName(name)}' in the unit inventory`);
  return found;
}

/** The stages known for a project ('' = any project): their names in lower case. */
const stageNames = (ctx: ServiceContext, project: string) =>
  new Set((prepareCached(ctx.db, `SELECT lower(stage) AS s FROM sales_construction_stages WHERE deleted_at IS NULL AND (? = '' OR lower(project_name) = lower(?))`)
    .all(project, project) as { s: string }[]).map((r) => r.s));

export const createPlan = parsing(planInput, (ctx: ServiceContext, plan): PlanView => {
  const sum = plan.instalments.reduce((a, i) => a + i.percent, 0);
  if (sum !== 10000) throw validationError('instalments', `percents must sum to exactly 100 (they sum to ${fromMinor(sum)})`);
  return inTransaction(ctx, () => {
    assertIdFree(ctx, paymentPlans, plan.id);
    const project = plan.project_name?.trim() ? knownProject(ctx, plan.project_name) : '';
    const known = stageNames(ctx, project);
    plan.instalments.forEach((i, n) => {
      if (typeof i.due === 'object' && 'stage' in i.due && !known.has(i.due.stage.trim().toLowerCase())) {
        throw validationError(`instalments.${n}.due`, `no construction stage '${i.due.stage.trim()}'${project ? ` in ${project}` : ''}: add it first, or use on_booking or after_days`);
      }
    });
    if (ctx.orm.select({ id: paymentPlans.id }).from(paymentPlans).where(sameText(paymentPlans.plan_code, plan.plan_code)).get()) throw conflict(`plan_code '${plan.plan_code}' already exists`, 'plan_code');
    const instalments: PlanInstalment[] = plan.instalments.map((i) => ({
      label: i.label.trim(), percent: i.percent, due: typeof i.due === 'object' && 'stage' in i.due ? { stage: i.due.stage.trim() } : i.due,
    }));
    const row = insertRecord(ctx, paymentPlans, {
      plan_code: plan.plan_code, plan_name: plan.plan_name.trim(), project_name: project, active: plan.active ?? true, instalments: JSON.stringify(instalments),
    }, plan.id);
    return planView(row);
  });
});

export const planListInput = z.strictObject({ project_name: text(200).optional(), active: flag().optional(), limit: pagination.limit, offset: pagination.offset });

/** Plans, a project's first (with those for any project) when one is asked; a page at a time (100 unless asked). */
export const listPlans = parsing(planListInput, (ctx: ServiceContext, filters): Page<PlanView> => {
  const limit = filters.limit ?? 100;
  const offset = filters.offset ?? 0;
  const project = filters.project_name ? tidyName(filters.project_name) : null;
  const rows = ctx.orm.select().from(paymentPlans)
    .where(and(
      isNull(paymentPlans.deleted_at),
      project === null ? undefined : or(eq(paymentPlans.project_name, ''), sameText(paymentPlans.project_name, project)),
      filters.active === undefined ? undefined : eq(paymentPlans.active, filters.active),
    ))
    .orderBy(sql`${paymentPlans.project_name} = ''`, paymentPlans.plan_name, paymentPlans.plan_code).limit(limit + 1).offset(offset).all();
  return pageOf(rows.map(planView), limit, offset);
});

export const getPlan = (ctx: ServiceContext, id: string) => planView(requireRecord(ctx, paymentPlans, 'payment plan', id));

// ---- construction stages ----

export const stageInput = z.strictObject({ id: newRecordId().optional(), project_name: requiredText(200), stage: requiredText(100), completed_on: localDate().optional() });
export const stageListInput = z.strictObject({ project_name: text(200).optional(), limit: pagination.limit, offset: pagination.offset });
export const completeStageInput = z.strictObject({ completed_on: localDate() });

export const createStage = parsing(stageInput, (ctx: ServiceContext, asked): StageRow => {
  return inTransaction(ctx, () => {
    assertIdFree(ctx, constructionStages, asked.id);
    const project = knownProject(ctx, asked.project_name);
    const stage = tidyName(asked.stage);
    const stages = constructionStages;
    if (ctx.orm.select({ id: stages.id }).from(stages).where(and(sameText(stages.project_name, project), sameText(stages.stage, stage), isNull(stages.deleted_at))).get()) {
      throw conflict(`${project} already has a stage '${stage}'`, 'stage');
    }
    const row = insertRecord(ctx, constructionStages, { project_name: project, stage, completed_on: null }, asked.id);
    return asked.completed_on ? completeStage(ctx, row.id, { completed_on: asked.completed_on }).stage : row;
  });
});

/** Stages, by project, the completed first in the order they were done; a page at a time (100 unless asked). */
export const listStages = parsing(stageListInput, (ctx: ServiceContext, filters): Page<StageRow> => {
  const limit = filters.limit ?? 100;
  const offset = filters.offset ?? 0;
  const project = filters.project_name ? tidyName(filters.project_name) : null;
  const stages = constructionStages;
  const rows = ctx.orm.select().from(stages)
    .where(and(isNull(stages.deleted_at), project === null ? undefined : sameText(stages.project_name, project)))
    .orderBy(stages.project_name, sql`${stages.completed_on} IS NULL`, stages.completed_on, stages.created_at, stages.id).limit(limit + 1).offset(offset).all();
  return pageOf(rows, limit, offset);
});

/**
 * Completing a stage dates every scheduled instalment tied to it in its project:
 * due on completed_on + the tenant's demand notice days (SPEC §10).
 */
export const completeStage = parsingFor(completeStageInput, (ctx: ServiceContext, id, completion): { stage: StageRow; instalments_dated: number } => {
  return inTransaction(ctx, () => {
    const stage = requireRecord(ctx, constructionStages, 'construction stage', id);
    if (stage.completed_on) throw conflict(`${stage.project_name}'s stage '${stage.stage}' was already completed on ${stage.completed_on}`, 'completed_on');
    if (completion.completed_on > today(ctx)) throw validationError('completed_on', 'must not be in the future');
    const updated = updateRecord(ctx, constructionStages, 'construction stage', id, { completed_on: completion.completed_on }, 'complete');
    const tied = prepareCached(ctx.db, `SELECT s.id, b.booking_date FROM sales_payment_schedule s JOIN sales_bookings b ON b.id = s.booking_id
        WHERE s.stage IS NOT NULL AND lower(s.stage) = lower(?) AND lower(b.project_name) = lower(?) AND s.status = 'scheduled'
          AND s.deleted_at IS NULL AND b.deleted_at IS NULL`).all(stage.stage, stage.project_name) as { id: string; booking_date: string }[];
    for (const t of tied) updateRecord(ctx, paymentSchedule, 'instalment', t.id, { due_date: stageDue(completion.completed_on, ctx.settings.demand_notice_days ?? 15, t.booking_date) }, 'date');
    return { stage: updated, instalments_dated: tied.length };
  });
});

// ---- a booking's schedule ----

/** The stages of a project with their completion dates, by lower-case name. */
const stageDates = (ctx: ServiceContext, project: string | null): StageDates =>
  new Map((prepareCached(ctx.db, 'SELECT lower(stage) AS s, completed_on FROM sales_construction_stages WHERE lower(project_name) = lower(?) AND deleted_at IS NULL')
    .all(project ?? '') as { s: string; completed_on: string | null }[]).map((r) => [r.s, r.completed_on]));

/** The plan a booking may be made on: active, and for its project or for any; 422 naming payment_plan_id otherwise. */
export function planForBooking(ctx: ServiceContext, planId: string, project: string | null | undefined): PlanRow {
  const plan = findRecord(ctx, paymentPlans, planId);
  if (!plan) throw validationError('payment_plan_id', `no payment plan '${planId}'`);
  if (!plan.active) throw validationError('payment_plan_id', `${plan.plan_code} is not active`);
  if (plan.project_name && plan.project_name.toLowerCase() !== (project ?? '').toLowerCase()) {
    throw validationError('payment_plan_id', `${plan.plan_code} is for ${plan.project_name}, not ${project || 'a booking without a project'}`);
  }
  // A plan for any project may name a stage this project does not have: its instalment could never fall due.
  const known = stageNames(ctx, project ?? '\u0000');
  const missing = planInstalments(plan).map((i) => (typeof i.due === 'object' && 'stage' in i.due ? i.due.stage : null)).find((s) => s !== null && !known.has(s.toLowerCase()));
  if (missing) throw validationError('payment_plan_id', `${plan.plan_code} waits on a stage '${missing}' that ${project || 'a booking without a project'} does not have`);
  return plan;
}

/** A new booking's schedule, in its transaction: from its plan, or the whole amount on the booking date. Ids follow from the booking. */
export function makeSchedule(ctx: ServiceContext, booking: BookingRow): ScheduleRow[] {
  const plan = booking.payment_plan_id ? planInstalments(planForBooking(ctx, booking.payment_plan_id, booking.project_name)) : WHOLE_ON_BOOKING;
  const rows = scheduleOf(plan, booking.booking_amount, booking.booking_date, stageDates(ctx, booking.project_name), ctx.settings.demand_notice_days ?? 15);
  const status = booking.status === 'cancelled' ? 'cancelled' : 'scheduled';
  return rows.map((r) => insertRecord(ctx, paymentSchedule, { booking_id: booking.id, ...r, status }, eventId('schedule', `${booking.id}:${r.seq}`)));
}

export const previewInput = z.strictObject({
  plan_id: recordId(),
  project_name: text(200).optional(),
  booking_amount: money({ positive: true }),
  booking_date: localDate().optional(),
});

/** The instalments a booking on a plan would get, made as the booking will make them (amounts, and the dates of stages already complete). */
export const previewSchedule = parsing(previewInput, (ctx: ServiceContext, preview) => {
  if (preview.project_name !== undefined && !projectKnown(ctx, preview.project_name) && stageNames(ctx, preview.project_name).size === 0) {
    throw validationError('project_name', `no project '${tidyName(preview.project_name)}' in the inventory, the bookings or the construction stages`);
  }
  const plan = planForBooking(ctx, preview.plan_id, preview.project_name ?? null);
  const date = preview.booking_date ?? today(ctx);
  return scheduleOf(planInstalments(plan), preview.booking_amount, date, stageDates(ctx, preview.project_name ?? null), ctx.settings.demand_notice_days ?? 15)
    .map((i, n) => ({ ...i, percent: planInstalments(plan)[n]!.percent / 100, amount: fromMinor(i.amount) }));
});

/** Cancelling a booking cancels its instalments; what is forfeited becomes one instalment of its own, due on the cancellation date. */
export function cancelSchedule(ctx: ServiceContext, booking: BookingRow, date: string): void {
  const schedule = paymentSchedule;
  const rows = ctx.orm.select({ id: schedule.id, seq: schedule.seq }).from(schedule)
    .where(and(eq(schedule.booking_id, booking.id), eq(schedule.status, 'scheduled'), isNull(schedule.deleted_at))).all();
  for (const r of rows) updateRecord(ctx, paymentSchedule, 'instalment', r.id, { status: 'cancelled' }, 'cancel');
  const forfeiture = booking.forfeiture_amount ?? 0;
  if (forfeiture > 0) {
    const last = prepareCached(ctx.db, 'SELECT coalesce(max(seq), 0) AS n FROM sales_payment_schedule WHERE booking_id = ?').get(booking.id) as { n: number };
    insertRecord(ctx, paymentSchedule, { booking_id: booking.id, seq: last.n + 1, label: 'Forfeiture on cancellation', amount: forfeiture, due_date: date, stage: null, status: 'scheduled' }, eventId('schedule-forfeiture', booking.id));
  }
}

export const scheduleInput = z.strictObject({ as_of: localDate().optional() });

/** A booking's instalments with what is paid, due and overdue of each as of a day (money as decimals). */
export const bookingSchedule = parsingFor(scheduleInput, (ctx: ServiceContext, bookingId, query) => {
  const asOf = query.as_of ?? today(ctx);
  const booking = requireRecord(ctx, bookings, 'booking', bookingId);
  const rows = ctx.orm.select().from(paymentSchedule).where(and(eq(paymentSchedule.booking_id, bookingId), isNull(paymentSchedule.deleted_at))).orderBy(paymentSchedule.seq).all();
  const { paid } = allocate(customerInstalments(ctx, booking.customer_id), customerReceipts(ctx, booking.customer_id, asOf));
  const items = rows.map((r) => {
    const live = r.status === 'scheduled';
    const got = live ? paid.get(r.id) ?? 0 : 0;
    const isDue = live && r.due_date !== null && r.due_date <= asOf;
    const overdue = live && r.due_date !== null && r.due_date < asOf ? r.amount - got : 0;
    return {
      id: r.id, seq: r.seq, label: r.label, stage: r.stage, status: r.status, due_date: r.due_date,
      amount: fromMinor(r.amount), paid: fromMinor(got), due: fromMinor(isDue ? r.amount - got : 0), overdue: fromMinor(overdue),
      days_overdue: overdue > 0 ? daysBetween(r.due_date!, asOf) : 0,
    };
  });
  const total = (k: 'amount' | 'paid' | 'due' | 'overdue') => fromMinor(items.reduce((a, i) => a + (i.status === 'scheduled' ? toMinor(i[k])! : 0), 0));
  return { booking_id: booking.id, booking_code: booking.booking_code, as_of: asOf, payment_plan_id: booking.payment_plan_id, items, totals: { amount: total('amount'), paid: total('paid'), due: total('due'), overdue: total('overdue') } };
});
