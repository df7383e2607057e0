import { addDays } from '../../db/values/dates.js';

// SPEC §10 payment plans, pure: a plan's instalments as a booking's schedule. Percents
// are hundredths (10 % = 1000, 33.33 % = 3333) and amounts minor units, so the rows
// sum to the booking amount exactly: each row is its percent of the amount, to the
// paisa below, and the last takes what that left (never negative).

export type Due = 'on_booking' | { after_days: number } | { stage: string };

export interface PlanInstalment {
  label: string;
  /** Hundredths of a percent. */
  percent: number;
  due: Due;
}

export interface ScheduledInstalment {
  seq: number;
  label: string;
  amount: number;
  due_date: string | null;
  stage: string | null;
}

/** When a stage of the booking's project was completed (null: not yet), by lower-case name. */
export type StageDates = ReadonlyMap<string, string | null>;

/**
 * The date an instalment falls due: on booking, some days after it, or a stage's
 * completion plus the notice days — never before the booking itself (a stage done
 * before the flat was booked is demanded at booking, not counted late since then).
 */
export function dueDateOf(due: Due, bookingDate: string, stages: StageDates, noticeDays: number): string | null {
  if (due === 'on_booking') return bookingDate;
  if ('after_days' in due) return addDays(bookingDate, due.after_days);
  const done = stages.get(due.stage.toLowerCase());
  return done ? stageDue(done, noticeDays, bookingDate) : null;
}

/** A stage's instalment: due the notice days after the stage, or on the booking date if that is later. */
export const stageDue = (completedOn: string, noticeDays: number, bookingDate: string) => {
  const due = addDays(completedOn, noticeDays);
  return due < bookingDate ? bookingDate : due;
};

export function scheduleOf(plan: readonly PlanInstalment[], amount: number, bookingDate: string, stages: StageDates, noticeDays: number): ScheduledInstalment[] {
  let given = 0n;
  return plan.map((p, i) => {
    const last = i === plan.length - 1;
    // Exact integers: percent × amount / 10000, the paisa below.
    const part = last ? BigInt(amount) - given : (BigInt(p.percent) * BigInt(amount)) / 10000n;
    given += part;
    return {
      seq: i + 1,
      label: p.label,
      amount: Number(part),
      due_date: dueDateOf(p.due, bookingDate, stages, noticeDays),
      stage: typeof p.due === 'object' && 'stage' in p.due ? p.due.stage : null,
    };
  });
}

/** A booking made without a plan: the whole amount, due on the booking date. */
export const WHOLE_ON_BOOKING: readonly PlanInstalment[] = [{ label: 'Full amount', percent: 10000, due: 'on_booking' }];
