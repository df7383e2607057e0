import { z } from 'zod';
import { prepareCached } from '../../db/statements.js';
import { milestones } from '../../db/schema/index.js';
import { nowIso, today, type ServiceContext } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import { enumOf, localDate, pagination, text, parsing, parsingFor } from '../domain/validation.js';
import { presentMilestone } from './milestones.js';
import { inTransaction, pageOf, requireRecord, updateRecord } from './records.js';

// Follow-ups (SPEC §5): a milestone's next step, due on its date; the day's list of them
// (due today and overdue), a rep's own or everyone's, and marking one done.

export const completeFollowUpInput = z.strictObject({ completed_at: z.iso.datetime({ error: 'must be an ISO-8601 timestamp' }).optional() });

export const completeFollowUp = parsingFor(completeFollowUpInput, (ctx: ServiceContext, id, completion) => {
  return inTransaction(ctx, () => {
    const done = requireRecord(ctx, milestones, 'milestone', id);
    if (!done.follow_up_required) throw new AppError('conflict', 'this milestone has no follow-up to complete', [{ field: 'follow_up_required', message: 'is false' }]);
    if (done.follow_up_completed_at) throw new AppError('conflict', 'the follow-up is already completed', [{ field: 'follow_up_completed_at', message: 'is already set' }]);
    return presentMilestone(updateRecord(ctx, milestones, 'milestone', id, { follow_up_completed_at: completion.completed_at ?? nowIso(ctx) }, 'complete_follow_up'));
  });
});

export const followUpsInput = z.strictObject({
  /** pending: all not completed; overdue: dated before as_of; due: dated on or before as_of (the day's list). */
  status: enumOf(['pending', 'overdue', 'due'] as const).optional(),
  as_of: localDate().optional(),
  assigned_to: text(200).optional(),
  ...pagination,
});

export interface FollowUpRow {
  id: string;
  lead_id: string;
  lead_name: string;
  lead_phone: string | null;
  assigned_to: string | null;
  milestone_type: string;
  milestone_date: string;
  follow_up_date: string | null;
  notes: string | null;
  overdue: boolean;
}

/** Follow-ups required and not completed; `overdue` are those dated before as_of (SPEC §5). */
export const listFollowUps = parsing(followUpsInput, (ctx: ServiceContext, filters) => {
  const asOf = filters.as_of ?? today(ctx);
  const limit = filters.limit ?? 100;
  const offset = filters.offset ?? 0;
  const rows = prepareCached(ctx.db, 
      `SELECT m.id, m.lead_id, l.name AS lead_name, l.phone AS lead_phone, l.assigned_to, m.milestone_type, m.milestone_date, m.follow_up_date, m.notes,
              m.follow_up_date < @asOf AS overdue
       FROM sales_lead_milestones m JOIN sales_leads l ON l.id = m.lead_id AND l.deleted_at IS NULL
       WHERE m.follow_up_required = 1 AND m.follow_up_completed_at IS NULL AND m.deleted_at IS NULL
         AND (@overdueOnly = 0 OR m.follow_up_date < @asOf)
         AND (@dueOnly = 0 OR m.follow_up_date <= @asOf)
         AND (@assignedTo IS NULL OR l.assigned_to = @assignedTo)
       -- Today's list (due): today's first, then the overdue, most recently missed first; otherwise by date.
       ORDER BY CASE WHEN @dueOnly = 1 THEN m.follow_up_date = @asOf END DESC, CASE WHEN @dueOnly = 1 THEN m.follow_up_date END DESC, m.follow_up_date, m.id
       LIMIT @limit OFFSET @offset`,
    )
    .all({ asOf, overdueOnly: filters.status === 'overdue' ? 1 : 0, dueOnly: filters.status === 'due' ? 1 : 0, assignedTo: filters.assigned_to ?? null, limit: limit + 1, offset }) as Record<string, unknown>[];
  const page = pageOf(rows, limit, offset);
  return { ...page, items: page.items.map((r) => ({ ...r, overdue: Boolean(r.overdue) }) as unknown as FollowUpRow) };
});
