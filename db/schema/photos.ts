import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { enumCheck, rangeCheck, recordColumns } from './columns.js';
import { photoTypes } from './enums.js';
import { milestones } from './milestones.js';

/**
 * Photos taken or picked at a visit. The image and its thumbnail are files in
 * the tenant's data folder (photos/<milestone id>/<photo id>.<ext> and .thumb.jpg),
 * named by Milepost, never by the sender; this row holds what is known about them.
 * Kept on the device that took them: the milestone syncs, the files do not (yet).
 */
export const milestonePhotos = sqliteTable(
  'sales_milestone_photos',
  {
    ...recordColumns(),
    milestone_id: text('milestone_id').notNull().references(() => milestones.id),
    /** The name it had on the device, for showing only. */
    original_name: text('original_name').notNull(),
    content_type: text('content_type', { enum: photoTypes }).notNull(),
    size_bytes: integer('size_bytes').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    sha256: text('sha256').notNull(),
  },
  (t) => [
    index('sales_milestone_photos_milestone_idx').on(t.milestone_id, t.created_at),
    enumCheck('sales_milestone_photos', t.content_type, photoTypes),
    rangeCheck('sales_milestone_photos', 'size', sql`${t.size_bytes} > 0`),
  ],
);
