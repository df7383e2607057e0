import { z } from 'zod';
import { prepareCached } from '../../db/statements.js';
import { customers, ledgerEntries } from '../../db/schema/index.js';
import { transactionTypes } from '../../db/schema/enums.js';
import { eventId, today, type ServiceContext } from '../domain/context.js';
import { AppError, validationError } from '../domain/errors.js';
import { formatMinor, fromMinor, toMinor } from '../../db/values/money.js';
import { code, enumOf, localDate, longText, money, pagination, newRecordId, recordId, text, parsing, parsingFor } from '../domain/validation.js';
import { customerLedgerSummary } from '../../db/reports/customerLedgerSummary.js';
import { presentMoney } from './entityService.js';
import { assertIdFree, assertReference, inTransaction, insertRecord, nextCode, pageOf, requireRecord, updateRecord } from './records.js';

type EntryRow = typeof ledgerEntries.$inferSelect;
const MONEY = ['debit_amount', 'credit_amount', 'balance_after'] as const;

export const ledgerInput = z.strictObject({
  id: newRecordId().optional(),
  ledger_code: code().optional(),
  customer_id: recordId(),
  transaction_date: localDate().optional(),
  transaction_type: enumOf(transactionTypes),
  debit_amount: money().optional(),
  credit_amount: money().optional(),
  // Checked against the derived balance, never stored (SPEC §3). It may be negative.
  balance_after: z
    .number({ error: 'must be a number' })
    .refine((n) => toMinor(n) !== null, { error: 'must have at most 2 decimals' })
    .transform((n) => toMinor(n) as number)
    .optional(),
  reference_document_type: text(64).nullish(),
  reference_document_id: text(64).nullish(),
  description: longText().nullish(),
  status: enumOf(['active'] as const).optional(),
});

export type LedgerInput = z.output<typeof ledgerInput>;

/** The derived balance right after an entry: Σ(debit − credit) of the customer's non-cancelled entries up to it (SPEC §3). */
function balanceAfter(ctx: ServiceContext, entry: EntryRow): number {
  const row = prepareCached(ctx.db, 
      `SELECT coalesce(sum(debit_amount - credit_amount), 0) AS balance FROM sales_account_ledgers
       WHERE customer_id = ? AND status <> 'cancelled' AND deleted_at IS NULL
         AND (transaction_date, created_at, id) <= (?, ?, ?)`,
    )
    .get(entry.customer_id, entry.transaction_date, entry.created_at, entry.id) as { balance: number };
  return row.balance;
}

/** Append an entry in the caller's transaction; a mismatching expected balance refuses it with 409. */
export function appendLedgerEntry(ctx: ServiceContext, e: LedgerInput): EntryRow & { balance_after: number } {
  const debit = e.debit_amount ?? 0;
  const credit = e.credit_amount ?? 0;
  if ((debit > 0 ? 1 : 0) + (credit > 0 ? 1 : 0) !== 1) {
    throw new AppError('validation_failed', 'exactly one of debit_amount and credit_amount must be greater than 0', [
      { field: 'debit_amount', message: 'exactly one of debit_amount and credit_amount must be greater than 0' },
      { field: 'credit_amount', message: 'exactly one of debit_amount and credit_amount must be greater than 0' },
    ]);
  }
  assertReference(ctx, customers, 'customer', e.customer_id, 'customer_id');
  assertIdFree(ctx, ledgerEntries, e.id);
  const { id, balance_after: claimed, ...fields } = e;
  const ledgerCode = fields.ledger_code ?? nextCode(ctx, 'LED');
  if (prepareCached(ctx.db, 'SELECT 1 FROM sales_account_ledgers WHERE ledger_code = ?').get(ledgerCode)) {
    throw new AppError('conflict', `ledger_code '${ledgerCode}' already exists`, [{ field: 'ledger_code', message: 'already exists' }]);
  }
  const row = insertRecord(
    ctx,
    ledgerEntries,
    { ...fields, ledger_code: ledgerCode, transaction_date: fields.transaction_date ?? today(ctx), debit_amount: debit, credit_amount: credit, status: 'active' },
    id,
  );
  const derived = balanceAfter(ctx, row);
  if (claimed !== undefined && claimed !== derived) {
    throw new AppError(
      'conflict',
      `balance_after ${formatMinor(claimed)} does not match the derived balance ${formatMinor(derived)}`,
      [{ field: 'balance_after', message: `expected ${formatMinor(derived)}` }],
      { expected_balance_after: fromMinor(derived) },
    );
  }
  return { ...row, balance_after: derived };
}

export const presentEntry = (row: EntryRow & { balance_after: number }) => presentMoney(row, MONEY);

/** The side each kind of entry falls on (SPEC §3): an adjustment may fall on either. */
const DEBIT_SIDE = new Set(['invoice', 'debit_note', 'refund']);
const CREDIT_SIDE = new Set(['payment', 'credit_note']);

export const createLedgerEntry = parsing(ledgerInput, (ctx: ServiceContext, entry) => {
  const oneSide = ((entry.debit_amount ?? 0) > 0) !== ((entry.credit_amount ?? 0) > 0); // both or neither: refused below, naming both
  if (oneSide && DEBIT_SIDE.has(entry.transaction_type) && (entry.credit_amount ?? 0) > 0) throw validationError('credit_amount', `a ${entry.transaction_type.replace('_', ' ')} is a debit: give debit_amount`);
  if (oneSide && CREDIT_SIDE.has(entry.transaction_type) && (entry.debit_amount ?? 0) > 0) throw validationError('debit_amount', `a ${entry.transaction_type.replace('_', ' ')} is a credit: give credit_amount`);
  // A payment or refund naming a booking pays (or pays back on) that booking: it must be one of this customer's.
  if (entry.reference_document_type === 'booking' && entry.reference_document_id
    && !prepareCached(ctx.db, 'SELECT 1 FROM sales_bookings WHERE id = ? AND customer_id = ? AND deleted_at IS NULL').get(entry.reference_document_id, entry.customer_id)) {
    throw validationError('reference_document_id', `no booking '${entry.reference_document_id}' of this customer`);
  }
  return presentEntry(inTransaction(ctx, () => appendLedgerEntry(ctx, entry)));
});

export const customerLedgerInput = z.strictObject({ customer_id: recordId(), from: localDate().optional(), to: localDate().optional(), ...pagination });

/** A customer's entries with their derived running balance, and the summary of SPEC §5. */
export const customerLedger = parsing(customerLedgerInput, (ctx: ServiceContext, query) => {
  const customer = requireRecord(ctx, customers, 'customer', query.customer_id);
  const limit = query.limit ?? 200;
  const offset = query.offset ?? 0;
  const rows = prepareCached(ctx.db, 
      `SELECT * FROM (
         SELECT e.*, sum(CASE WHEN status <> 'cancelled' THEN debit_amount - credit_amount ELSE 0 END)
                  OVER (ORDER BY transaction_date, created_at, id ROWS UNBOUNDED PRECEDING) AS balance_after
         FROM sales_account_ledgers e WHERE customer_id = @customer AND deleted_at IS NULL
       ) WHERE (@from IS NULL OR transaction_date >= @from) AND (@to IS NULL OR transaction_date <= @to)
       ORDER BY transaction_date, created_at, id LIMIT @limit OFFSET @offset`,
    )
    .all({ customer: customer.id, from: query.from ?? null, to: query.to ?? null, limit: limit + 1, offset }) as (EntryRow & { balance_after: number })[];
  const page = pageOf(rows, limit, offset);
  return {
    customer: { id: customer.id, customer_code: customer.customer_code, name: customer.name },
    entries: { ...page, items: page.items.map(presentEntry) },
    summary: customerLedgerSummary(ctx.db, { customer_id: customer.id, from: query.from, to: query.to })[0],
  };
});

export const reverseInput = z.strictObject({ transaction_date: localDate().optional(), description: longText().nullish() });

/** Append a counter-entry and mark the original reversed; history is never rewritten (SPEC §3). */
export const reverseLedgerEntry = parsingFor(reverseInput, (ctx: ServiceContext, id, asked) => {
  return inTransaction(ctx, () => {
    const original = requireRecord(ctx, ledgerEntries, 'ledger entry', id);
    if (original.status !== 'active') {
      throw new AppError('conflict', `ledger entry ${original.ledger_code} is ${original.status} and cannot be reversed`, [{ field: 'status', message: `is ${original.status}` }]);
    }
    const transactionDate = asked.transaction_date ?? today(ctx);
    if (transactionDate < original.transaction_date) throw validationError('transaction_date', 'must be on or after the original entry date');
    const counter = appendLedgerEntry(ctx, {
      id: eventId('reversal', original.id),
      customer_id: original.customer_id,
      transaction_date: transactionDate,
      transaction_type: 'adjustment',
      debit_amount: original.credit_amount,
      credit_amount: original.debit_amount,
      reference_document_type: 'ledger_entry',
      reference_document_id: original.id,
      description: asked.description ?? `Reversal of ${original.ledger_code}`,
    });
    const reversed = updateRecord(ctx, ledgerEntries, 'ledger entry', id, { status: 'reversed' }, 'reverse');
    return { original: presentMoney(reversed, MONEY), reversal: presentEntry(counter) };
  });
});
