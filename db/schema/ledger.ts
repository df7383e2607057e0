import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { enumCheck, rangeCheck, recordColumns } from './columns.js';
import { ledgerStatuses, transactionTypes } from './enums.js';
import { customers } from './customers.js';

// balance_after is not a column: it is derived on read as the running sum of the
// customer's non-cancelled entries (SPEC §3), so merged or back-dated entries can
// never leave a stale balance behind.
export const ledgerEntries = sqliteTable(
  'sales_account_ledgers',
  {
    ...recordColumns(),
    ledger_code: text('ledger_code').notNull(),
    customer_id: text('customer_id').notNull().references(() => customers.id),
    transaction_date: text('transaction_date').notNull(),
    transaction_type: text('transaction_type', { enum: transactionTypes }).notNull(),
    /** Money in minor units (SPEC §2). */
    debit_amount: integer('debit_amount').notNull().default(0),
    credit_amount: integer('credit_amount').notNull().default(0),
    reference_document_type: text('reference_document_type'),
    reference_document_id: text('reference_document_id'),
    description: text('description'),
    status: text('status', { enum: ledgerStatuses }).notNull().default('active'),
  },
  (t) => [
    uniqueIndex('sales_account_ledgers_code_unique').on(t.ledger_code),
    // Covering: a running balance up to an entry is summed from the index alone.
    index('sales_account_ledgers_customer_idx').on(
      t.customer_id, t.transaction_date, t.created_at, t.id, t.status, t.deleted_at, t.debit_amount, t.credit_amount, t.transaction_type,
    ),
    index('sales_account_ledgers_type_idx').on(t.transaction_type, t.status),
    enumCheck('sales_account_ledgers', t.transaction_type, transactionTypes),
    enumCheck('sales_account_ledgers', t.status, ledgerStatuses),
    rangeCheck(
      'sales_account_ledgers',
      'amounts',
      sql`${t.debit_amount} >= 0 AND ${t.credit_amount} >= 0 AND ((${t.debit_amount} > 0) + (${t.credit_amount} > 0)) = 1`,
    ),
  ],
);
