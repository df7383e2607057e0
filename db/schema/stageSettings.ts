import { sql } from 'drizzle-orm';
import { integer, sqliteTable } from 'drizzle-orm/sqlite-core';
import { rangeCheck, recordColumns } from './columns.js';

/**
 * Stale leads: per stage (the row's id is the status: new, contacted,
 * qualified, negotiation), after how many days without a milestone or engagement a
 * lead counts as stale. A tenant setting, so it syncs; a stage without a row uses
 * the default of db/reports/staleLeads.ts.
 */
export const stageSettings = sqliteTable(
  'sales_stage_settings',
  {
    ...recordColumns(),
    stale_after_days: integer('stale_after_days').notNull(),
  },
  (t) => [
    rangeCheck('sales_stage_settings', 'stale_after_days', sql`${t.stale_after_days} BETWEEN 1 AND 3650`),
    rangeCheck('sales_stage_settings', 'stage', sql`${t.id} IN ('new', 'contacted', 'qualified', 'negotiation')`),
  ],
);
