import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { bool, enumCheck, rangeCheck, recordColumns } from './columns.js';
import { engagementChannels, engagementStatuses, engagementTypes, milestoneTypes, outcomes } from './enums.js';
import { leads } from './leads.js';

export const milestones = sqliteTable(
  'sales_lead_milestones',
  {
    ...recordColumns(),
    lead_id: text('lead_id').notNull().references(() => leads.id),
    milestone_type: text('milestone_type', { enum: milestoneTypes }).notNull(),
    milestone_date: text('milestone_date').notNull(),
    milestone_time: text('milestone_time'),
    location_latitude: real('location_latitude'),
    location_longitude: real('location_longitude'),
    location_name: text('location_name'),
    // Proof of a visit: the GPS fix's accuracy (metres) and the device's time of
    // the fix, and the project site it was judged against: the distance from the site's
    // centre and whether that lies outside the site's radius (null when it cannot be told).
    location_accuracy_m: real('location_accuracy_m'),
    location_fixed_at: text('location_fixed_at'),
    site_project: text('site_project'),
    site_distance_m: integer('site_distance_m'),
    off_site: bool('off_site'),
    visited_by: text('visited_by'),
    duration_minutes: integer('duration_minutes'),
    outcome: text('outcome', { enum: outcomes }),
    follow_up_required: bool('follow_up_required').notNull().default(false),
    follow_up_date: text('follow_up_date'),
    follow_up_completed_at: text('follow_up_completed_at'),
    notes: text('notes'),
    /** JSON object. */
    metadata: text('metadata'),
  },
  (t) => [
    index('sales_lead_milestones_lead_idx').on(t.lead_id, t.milestone_date, t.milestone_time, t.created_at),
    index('sales_lead_milestones_follow_up_idx')
      .on(t.follow_up_date)
      .where(sql`${t.follow_up_required} = 1 AND ${t.follow_up_completed_at} IS NULL AND ${t.deleted_at} IS NULL`),
    // Follow-ups as of a past day: those recorded after it, and those completed after it.
    index('sales_lead_milestones_pending_since_idx')
      .on(t.milestone_date, t.follow_up_date, t.lead_id)
      .where(sql`${t.follow_up_required} = 1 AND ${t.follow_up_completed_at} IS NULL AND ${t.deleted_at} IS NULL`),
    index('sales_lead_milestones_completed_idx')
      .on(t.follow_up_completed_at, t.milestone_date, t.follow_up_date, t.lead_id)
      .where(sql`${t.follow_up_required} = 1 AND ${t.deleted_at} IS NULL`),
    // Visits per staff member over a period, from the index alone.
    index('sales_lead_milestones_visits_idx')
      .on(t.milestone_type, t.milestone_date, t.visited_by, t.off_site, t.location_latitude)
      .where(sql`${t.deleted_at} IS NULL`),
    enumCheck('sales_lead_milestones', t.milestone_type, milestoneTypes),
    enumCheck('sales_lead_milestones', t.outcome, outcomes),
    rangeCheck('sales_lead_milestones', 'latitude', sql`${t.location_latitude} BETWEEN -90 AND 90`),
    rangeCheck('sales_lead_milestones', 'longitude', sql`${t.location_longitude} BETWEEN -180 AND 180`),
    rangeCheck('sales_lead_milestones', 'duration', sql`${t.duration_minutes} >= 0`),
    rangeCheck('sales_lead_milestones', 'follow_up', sql`${t.follow_up_date} IS NULL OR ${t.follow_up_date} >= ${t.milestone_date}`),
  ],
);

export const engagements = sqliteTable(
  'sales_lead_engagement',
  {
    ...recordColumns(),
    lead_id: text('lead_id').notNull().references(() => leads.id),
    engagement_type: text('engagement_type', { enum: engagementTypes }).notNull(),
    engagement_channel: text('engagement_channel', { enum: engagementChannels }).notNull(),
    engagement_date: text('engagement_date').notNull(),
    subject: text('subject'),
    notes: text('notes'),
    status: text('status', { enum: engagementStatuses }).notNull().default('completed'),
    response_received: bool('response_received').notNull().default(false),
    response_date: text('response_date'),
    response_notes: text('response_notes'),
    duration_seconds: integer('duration_seconds'),
  },
  (t) => [
    index('sales_lead_engagement_lead_idx').on(t.lead_id, t.engagement_date, t.created_at),
    index('sales_lead_engagement_date_idx').on(t.engagement_date),
    enumCheck('sales_lead_engagement', t.engagement_type, engagementTypes),
    enumCheck('sales_lead_engagement', t.engagement_channel, engagementChannels),
    enumCheck('sales_lead_engagement', t.status, engagementStatuses),
    rangeCheck('sales_lead_engagement', 'duration', sql`${t.duration_seconds} >= 0`),
  ],
);
