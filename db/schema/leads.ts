import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { enumCheck, rangeCheck, recordColumns } from './columns.js';
import { leadStatuses } from './enums.js';
import { campaigns } from './campaigns.js';
import { customers } from './customers.js';
import { leadSources } from './sources.js';

export const leads = sqliteTable(
  'sales_leads',
  {
    ...recordColumns(),
    lead_code: text('lead_code'),
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    company: text('company'),
    source_id: text('source_id').references(() => leadSources.id),
    campaign_id: text('campaign_id').references(() => campaigns.id),
    assigned_to: text('assigned_to'),
    status: text('status', { enum: leadStatuses }).notNull().default('new'),
    // Highest stage rank the lead ever reached (SPEC §4 "reached"), kept with every
    // status change so funnel reports need not scan the status history.
    reached_rank: integer('reached_rank').notNull().default(0),
    lead_date: text('lead_date').notNull(),
    customer_id: text('customer_id').references((): AnySQLiteColumn => customers.id),
    lost_reason: text('lost_reason'),
    notes: text('notes'),
  },
  (t) => [
    uniqueIndex('sales_leads_code_unique').on(t.lead_code),
    // Covering, live rows only: the funnel, source and campaign reports read these
    // indexes alone, never the table.
    index('sales_leads_date_idx').on(t.lead_date, t.status, t.reached_rank).where(sql`${t.deleted_at} IS NULL`),
    index('sales_leads_status_idx').on(t.status),
    index('sales_leads_source_idx').on(t.source_id, t.lead_date, t.status, t.reached_rank).where(sql`${t.deleted_at} IS NULL`),
    index('sales_leads_campaign_idx').on(t.campaign_id, t.lead_date, t.status).where(sql`${t.deleted_at} IS NULL`),
    index('sales_leads_assigned_idx').on(t.assigned_to),
    index('sales_leads_customer_idx').on(t.customer_id),
    enumCheck('sales_leads', t.status, leadStatuses),
    rangeCheck('sales_leads', 'reached_rank', sql`${t.reached_rank} BETWEEN 0 AND 4`),
  ],
);

export const leadStatusHistory = sqliteTable(
  'sales_lead_status_history',
  {
    ...recordColumns(),
    lead_id: text('lead_id').notNull().references(() => leads.id),
    from_status: text('from_status', { enum: leadStatuses }),
    to_status: text('to_status', { enum: leadStatuses }).notNull(),
    changed_at: text('changed_at').notNull(),
    changed_by: text('changed_by'),
    /** `manual` or `milestone:<type>` (SPEC §3). */
    cause: text('cause').notNull(),
  },
  (t) => [
    index('sales_lead_status_history_lead_idx').on(t.lead_id, t.changed_at),
    enumCheck('sales_lead_status_history', t.from_status, leadStatuses),
    enumCheck('sales_lead_status_history', t.to_status, leadStatuses),
    rangeCheck('sales_lead_status_history', 'cause', sql`${t.cause} = 'manual' OR ${t.cause} LIKE 'milestone:%'`),
  ],
);
