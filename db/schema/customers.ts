import { index, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
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
  (t) => [uniqueIndex('sales_customers_code_unique').on(t.customer_code), index('sales_customers_lead_idx').on(t.lead_id)],
);
