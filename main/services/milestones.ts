import { asc, sql } from 'drizzle-orm';
import { z } from 'zod';
import { leads, milestones } from '../../db/schema/index.js';
import { milestoneTypes, outcomes } from '../../db/schema/enums.js';
import { eventId, type ServiceContext } from '../domain/context.js';
import { instantOf } from '../../db/values/dates.js';
import { validationError } from '../domain/errors.js';
import { statusAfterMilestone } from '../domain/lifecycle.js';
import { count, enumOf, flag, localDate, localTime, longText, newRecordId, recordId, text, parsing } from '../domain/validation.js';
import { changeLeadStatus, listByLeadInput, recordsOfLead } from './leads.js';
import { photoInfo, photosOf, photoUploads, preparePhotos, storePhotos, withPhotoFiles, type PhotoInfo } from './photos.js';
import { judgeVisit } from './sites.js';
import { assertIdFree, assertReference, inTransaction, insertRecord } from './records.js';

// A lead's milestones (SPEC §3–4): contacts, visits, demos, bookings… each one moves the
// lead forward; a visit is judged against its project's site and may carry photos.

type LeadRow = typeof leads.$inferSelect;
export type MilestoneRow = typeof milestones.$inferSelect;

export const milestoneInput = z.strictObject({
  id: newRecordId().optional(),
  lead_id: recordId(),
  milestone_type: enumOf(milestoneTypes),
  milestone_date: localDate(),
  milestone_time: localTime().nullish(),
  location_latitude: z.number({ error: 'must be a number' }).min(-90, { error: 'must be between -90 and 90' }).max(90, { error: 'must be between -90 and 90' }).nullish(),
  location_longitude: z.number({ error: 'must be a number' }).min(-180, { error: 'must be between -180 and 180' }).max(180, { error: 'must be between -180 and 180' }).nullish(),
  location_name: text().nullish(),
  /** How far the GPS fix may be off, in metres, and when the device took it. */
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
  metadata: row.metadata ? (JSON.parse(row.metadata) as Record<string, unknown>) : null,
});

const VISITS: readonly string[] = ['site_visit', 'revisit'];

/** Record a milestone and move the lead forward (SPEC §4), in the caller's transaction. */
export function recordMilestone(ctx: ServiceContext, m: MilestoneInput): MilestoneRow {
  const lead = assertReference(ctx, leads, 'lead', m.lead_id, 'lead_id') as LeadRow;
  if (m.follow_up_date && m.follow_up_date < m.milestone_date) throw validationError('follow_up_date', 'must be on or after milestone_date');
  const visit = VISITS.includes(m.milestone_type);
  if ((m.location_latitude === null || m.location_latitude === undefined) !== (m.location_longitude === null || m.location_longitude === undefined)) {
    throw validationError(m.location_latitude === null || m.location_latitude === undefined ? 'location_latitude' : 'location_longitude', 'is required with the other coordinate');
  }
  assertIdFree(ctx, milestones, m.id);
  const { id, metadata, photos: _photos, ...fields } = m;
  // A visit's fix judged against its project's site; other milestones keep what was sent.
  const judged = visit
    ? judgeVisit(ctx, { latitude: m.location_latitude, longitude: m.location_longitude, accuracy_m: m.location_accuracy_m }, m.site_project)
    : { site_project: m.site_project ?? null, site_distance_m: null, off_site: null };
  const row = insertRecord(
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
export const createMilestone = parsing(milestoneInput, (ctx: ServiceContext, milestone) => {
  if (milestone.photos?.length) throw validationError('photos', 'are stored by createMilestoneWithPhotos');
  return { ...presentMilestone(inTransaction(ctx, () => recordMilestone(ctx, milestone))), photos: [] as PhotoInfo[] };
});

/** The operation: a milestone with its photos, once they are checked and their thumbnails made. */
export const createMilestoneWithPhotos = parsing(milestoneInput, (ctx: ServiceContext, milestone) => {
  if (!milestone.photos?.length) return createMilestone(ctx, milestone);
  return preparePhotos(milestone.photos).then((prepared) =>
    withPhotoFiles((written) => {
      const { row, photos } = inTransaction(ctx, () => {
        const row = recordMilestone(ctx, milestone);
        return { row, photos: storePhotos(ctx, row.id, prepared, written) };
      });
      return { ...presentMilestone(row), photos: photos.map(photoInfo) };
    }),
  );
});

export const listMilestones = parsing(listByLeadInput, (ctx: ServiceContext, filters) => {
  const page = recordsOfLead(ctx, milestones, [asc(milestones.milestone_date), sql`coalesce(${milestones.milestone_time}, '')`, asc(milestones.created_at), asc(milestones.id)], filters);
  const photos = photosOf(ctx, page.items.map((r) => r.id));
  return { ...page, items: page.items.map((r) => ({ ...presentMilestone(r), photos: photos.get(r.id) ?? [] })) };
});
