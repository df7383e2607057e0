import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { bool, enumCheck, recordColumns } from './columns.js';
import { sourceTypes } from './enums.js';

export const leadSources = sqliteTable(
  'sales_lead_sources',
  {
    ...recordColumns(),
    source_name: text('source_name').notNull(),
    source_type: text('source_type', { enum: sourceTypes }).notNull(),
    subsource_name: text('subsource_name'),
    channel: text('channel'),
    is_active: bool('is_active').notNull().default(true),
  },
  (t) => [enumCheck('sales_lead_sources', t.source_type, sourceTypes)],
);
