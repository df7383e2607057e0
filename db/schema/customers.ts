import { index, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { recordColumns } from './columns.js';
import { leads } from './leads.js';

export const customers = sqliteTable(
  'sales_customers',
  {
    ...recordColumns(),
    customer_code: text('customer_code').notNull(),
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    address: text('address'),
    lead_id: text('lead_id').references((): AnySQLiteColumn => leads.id),
  },
  (t) => [
    uniqueIndex('sales_customers_code_unique').on(t.customer_code),
    index('sales_customers_lead_idx').on(t.lead_id),
    // The dashboard's customers as of a day: a range count.
    index('sales_customers_created_idx').on(t.created_at).where(sql`${t.deleted_at} IS NULL`),
  ],
);
