import { z } from 'zod';
import { statement } from '../../db/statements.js';
import { engagements, leads, milestones } from '../../db/schema/index.js';
import { engagementChannels, engagementStatuses, engagementTypes, milestoneTypes, outcomes } from '../../db/schema/enums.js';
import { eventId, nowIso, today, type ServiceContext } from '../domain/context.js';
import { instantOf } from '../domain/dates.js';
import { AppError, validationError } from '../domain/errors.js';
import { statusAfterMilestone } from '../domain/lifecycle.js';
import { count, enumOf, flag, localDate, localTime, longText, pagination, parseInput, newRecordId, recordId, text } from '../domain/validation.js';
import { changeLeadStatus } from './leads.js';
import { photoInfo, photosOf, photoUploads, preparePhotos, storePhotos, withPhotoFiles, type PhotoInfo } from './photos.js';
import { judgeVisit } from './sites.js';
import { assertIdFree, assertReference, inTransaction, insertRecord, pageOf, requireRecord, updateRecord, type Page } from './records.js';

type LeadRow = typeof leads.$inferSelect;
type MilestoneRow = typeof milestones.$inferSelect;
type EngagementRow = typeof engagements.$inferSelect;

export const milestoneInput = z.strictObject({
  id: newRecordId().optional(),
  lead_id: recordId(),
  milestone_type: enumOf(milestoneTypes),
  milestone_date: localDate(),
  milestone_time: localTime().nullish(),
  location_latitude: z.number({ error: 'must be a number' }).min(-90, { error: 'must be between -90 and 90' }).max(90, { error: 'must be between -90 and 90' }).nullish(),
  location_longitude: z.number({ error: 'must be a number' }).min(-180, { error: 'must be between -180 and 180' }).max(180, { error: 'must be between -180 and 180' }).nullish(),
  location_name: text().nullish(),
  /** How far the GPS fix may be off, in metres, and when the device took it (issue 8). */
  location_accuracy_m: z.number({ error: 'must be a number of metres' }).min(0, { error: 'must not be negative' }).max(100_000, { error: 'must be at most 100,000 m' }).nullish(),
  location_fixed_at: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 timestamp' }).nullish(),
  /** The project whose site the visit was at; the nearest site when absent. */
  site_project: text().nullish(),
  visited_by: text().nullish(),
  duration_minutes: count(0).nullish(),
  outcome: enumOf(outcomes).nullish(),
  follow_up_required: flag().optional(),
  follow_up_date: localDate().nullish(),
  notes: longText().nullish(),
  metadata: z.record(z.string(), z.unknown(), { error: 'must be a JSON object' }).nullish(),
  photos: photoUploads.optional(),
});

export type MilestoneInput = z.output<typeof milestoneInput>;

export const presentMilestone = (row: MilestoneRow) => ({
  ...row,
  off_site: row.off_site === null ? null : Boolean(row.off_site),
  metadata: row.metadata ? (JSON.parse(row.metadata) as Record<string, unknown>) : null,
});

const VISITS: readonly string[] = ['site_visit', 'revisit'];

/** Record a milestone and move the lead forward (SPEC §4), in the caller's transaction. */
export function recordMilestone(ctx: ServiceContext, m: MilestoneInput): MilestoneRow {
  const lead = assertReference<LeadRow>(ctx, leads, 'lead', m.lead_id, 'lead_id') as LeadRow;
  if (m.follow_up_date && m.follow_up_date < m.milestone_date) throw validationError('follow_up_date', 'must be on or after milestone_date');
  const visit = VISITS.includes(m.milestone_type);
  if ((m.location_latitude === null || m.location_latitude === undefined) !== (m.location_longitude === null || m.location_longitude === undefined)) {
    throw validationError(m.location_latitude === null || m.location_latitude === undefined ? 'location_latitude' : 'location_longitude', 'is required with the other coordinate');
  }
  assertIdFree(ctx, milestones, m.id);
  const { id, metadata, photos: _photos, ...fields } = m;
  // A visit's fix judged against its project's site (issue 8); other milestones keep what was sent.
  const judged = visit
    ? judgeVisit(ctx, { latitude: m.location_latitude, longitude: m.location_longitude, accuracy_m: m.location_accuracy_m }, m.site_project)
    : { site_project: m.site_project ?? null, site_distance_m: null, off_site: null };
  const row = insertRecord<MilestoneRow>(
    ctx,
    milestones,
    { ...fields, ...judged, follow_up_required: m.follow_up_required ?? Boolean(m.follow_up_date), metadata: metadata ? JSON.stringify(metadata) : null },
    id,
  );
  const next = statusAfterMilestone(lead.status, m.milestone_type);
  if (next) {
    const at = instantOf(m.milestone_date, m.milestone_time, ctx.settings.timezone).toISOString();
    // The status change a milestone causes is one event with it: the same on every device.
    changeLeadStatus(ctx, lead, next, `milestone:${m.milestone_type}`, at, eventId('status-after-milestone', row.id));
  }
  return row;
}

/** Record a milestone (without photos: those need the asynchronous `createMilestoneWithPhotos`). */
export function createMilestone(ctx: ServiceContext, input: unknown) {
  const m = parseInput(milestoneInput, input);
  if (m.photos?.length) throw validationError('photos', 'are stored by createMilestoneWithPhotos');
  return { ...presentMilestone(inTransaction(ctx, () => recordMilestone(ctx, m))), photos: [] as PhotoInfo[] };
}

/** The operation: a milestone with its photos, once they are checked and their thumbnails made. */
export function createMilestoneWithPhotos(ctx: ServiceContext, input: unknown) {
  const m = parseInput(milestoneInput, input);
  if (!m.photos?.length) return createMilestone(ctx, m);
  return preparePhotos(m.photos).then((prepared) =>
    withPhotoFiles((written) => {
      const { row, photos } = inTransaction(ctx, () => {
        const row = recordMilestone(ctx, m);
        return { row, photos: storePhotos(ctx, row.id, prepared, written) };
      });
      return { ...presentMilestone(row), photos: photos.map(photoInfo) };
    }),
  );
}

export const listByLeadInput = z.strictObject({ lead_id: recordId(), ...pagination });

function listByLead<Row>(ctx: ServiceContext, table: 'sales_lead_milestones' | 'sales_lead_engagement', order: string, input: unknown): Page<Row> {
  const q = parseInput(listByLeadInput, input);
  requireRecord(ctx, leads, 'lead', q.lead_id);
  const limit = q.limit ?? 100;
  const offset = q.offset ?? 0;
  const rows = statement(ctx.db, `SELECT * FROM ${table} WHERE lead_id = ? ${q.include_deleted ? '' : 'AND deleted_at IS NULL'} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .all(q.lead_id, limit + 1, offset) as Row[];
  return pageOf(rows, limit, offset);
}

function normaliseBooleans<T extends Record<string, unknown>>(row: T, fields: string[]): T {
  const out: Record<string, unknown> = { ...row };
  for (const f of fields) out[f] = Boolean(out[f]);
  return out as T;
}

export function listMilestones(ctx: ServiceContext, input: unknown) {
  const page = listByLead<MilestoneRow>(ctx, 'sales_lead_milestones', "milestone_date, coalesce(milestone_time, ''), created_at, id", input);
  const photos = photosOf(ctx, page.items.map((r) => r.id));
  return { ...page, items: page.items.map((r) => ({ ...presentMilestone(normaliseBooleans(r, ['follow_up_required'])), photos: photos.get(r.id) ?? [] })) };
}

export const completeFollowUpInput = z.strictObject({ completed_at: z.iso.datetime({ error: 'must be an ISO-8601 timestamp' }).optional() });

export function completeFollowUp(ctx: ServiceContext, id: string, input: unknown = {}) {
  const q = parseInput(completeFollowUpInput, input);
  return inTransaction(ctx, () => {
    const m = requireRecord<MilestoneRow>(ctx, milestones, 'milestone', id);
    if (!m.follow_up_required) throw new AppError('conflict', 'this milestone has no follow-up to complete', [{ field: 'follow_up_required', message: 'is false' }]);
    if (m.follow_up_completed_at) throw new AppError('conflict', 'the follow-up is already completed', [{ field: 'follow_up_completed_at', message: 'is already set' }]);
    return presentMilestone(updateRecord<MilestoneRow>(ctx, milestones, 'milestone', id, { follow_up_completed_at: q.completed_at ?? nowIso(ctx) }, 'complete_follow_up'));
  });
}

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
export function listFollowUps(ctx: ServiceContext, input: unknown = {}) {
  const q = parseInput(followUpsInput, input);
  const asOf = q.as_of ?? today(ctx);
  const limit = q.limit ?? 100;
  const offset = q.offset ?? 0;
  const rows = statement(ctx.db, 
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
    .all({ asOf, overdueOnly: q.status === 'overdue' ? 1 : 0, dueOnly: q.status === 'due' ? 1 : 0, assignedTo: q.assigned_to ?? null, limit: limit + 1, offset }) as Record<string, unknown>[];
  const page = pageOf(rows, limit, offset);
  return { ...page, items: page.items.map((r) => normaliseBooleans(r, ['overdue']) as unknown as FollowUpRow) };
}

export const engagementInput = z.strictObject({
  id: newRecordId().optional(),
  lead_id: recordId(),
  engagement_type: enumOf(engagementTypes),
  engagement_channel: enumOf(engagementChannels),
  engagement_date: localDate().optional(),
  subject: text(500).nullish(),
  notes: longText().nullish(),
  status: enumOf(engagementStatuses).optional(),
  response_received: flag().optional(),
  response_date: localDate().nullish(),
  response_notes: longText().nullish(),
  duration_seconds: count(0).nullish(),
});

function checkResponse(engagementDate: string, responseDate: string | null | undefined) {
  if (responseDate && responseDate < engagementDate) throw validationError('response_date', 'must be on or after engagement_date');
}

export function createEngagement(ctx: ServiceContext, input: unknown): EngagementRow {
  const { id, ...e } = parseInput(engagementInput, input);
  return inTransaction(ctx, () => {
    assertReference(ctx, leads, 'lead', e.lead_id, 'lead_id');
    assertIdFree(ctx, engagements, id);
    const engagementDate = e.engagement_date ?? today(ctx);
    checkResponse(engagementDate, e.response_date);
    const received = e.response_received ?? Boolean(e.response_date);
    return insertRecord<EngagementRow>(
      ctx,
      engagements,
      { ...e, engagement_date: engagementDate, response_received: received, response_date: e.response_date ?? (received ? today(ctx) : null) },
      id,
    );
  });
}

export function listEngagements(ctx: ServiceContext, input: unknown) {
  const page = listByLead<EngagementRow>(ctx, 'sales_lead_engagement', 'engagement_date DESC, created_at DESC, id DESC', input);
  return { ...page, items: page.items.map((r) => normaliseBooleans(r, ['response_received'])) };
}

export const responseInput = z.strictObject({
  response_received: flag().optional(),
  response_date: localDate().optional(),
  response_notes: longText().nullish(),
});

export function recordResponse(ctx: ServiceContext, id: string, input: unknown): EngagementRow {
  const r = parseInput(responseInput, input);
  return inTransaction(ctx, () => {
    const e = requireRecord<EngagementRow>(ctx, engagements, 'engagement', id);
    const received = r.response_received ?? true;
    const responseDate = received ? (r.response_date ?? today(ctx)) : null;
    checkResponse(e.engagement_date, responseDate);
    return updateRecord<EngagementRow>(ctx, engagements, 'engagement', id, { response_received: received, response_date: responseDate, response_notes: r.response_notes ?? null }, 'record_response');
  });
}
