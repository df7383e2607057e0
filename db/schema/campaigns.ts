import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { enumCheck, rangeCheck, recordColumns } from './columns.js';
import { campaignStatuses, campaignTypes } from './enums.js';

export const campaigns = sqliteTable(
  'sales_campaigns',
  {
    ...recordColumns(),
    campaign_code: text('campaign_code').notNull(),
    campaign_name: text('campaign_name').notNull(),
    campaign_type: text('campaign_type', { enum: campaignTypes }).notNull(),
    start_date: text('start_date'),
    end_date: text('end_date'),
    /** Money in minor units (SPEC §2). */
    budget: integer('budget').notNull().default(0),
    expected_roi: real('expected_roi'),
    assigned_to: text('assigned_to'),
    status: text('status', { enum: campaignStatuses }).notNull().default('active'),
    description: text('description'),
  },
  (t) => [
    uniqueIndex('sales_campaigns_code_unique').on(t.campaign_code),
    index('sales_campaigns_status_idx').on(t.status),
    enumCheck('sales_campaigns', t.campaign_type, campaignTypes),
    enumCheck('sales_campaigns', t.status, campaignStatuses),
    rangeCheck('sales_campaigns', 'budget', sql`${t.budget} >= 0`),
    rangeCheck('sales_campaigns', 'dates', sql`${t.end_date} IS NULL OR ${t.start_date} IS NULL OR ${t.end_date} >= ${t.start_date}`),
  ],
);
