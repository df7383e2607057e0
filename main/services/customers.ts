import { asc } from 'drizzle-orm';
import { z } from 'zod';
import { customers, leads } from '../../db/schema/index.js';
import type { ServiceContext } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import { code, longText, newRecordId, recordId, requiredText, text } from '../domain/validation.js';
import { entityService } from './entityService.js';
import { assertReference, nextCode, withChangedPhone, withPhone, findRecord, idOrCode } from './records.js';

// Customers (SPEC §3): who books and pays — made by a booking or by hand, found by name,
// code, email or any run of their phone's digits, and their ledger's owner.

const customerFields = {
  customer_code: code(),
  name: requiredText(),
  email: z.email({ error: 'must be an email address' }).max(254).nullish(),
  phone: text(40).nullish(),
  address: longText().nullish(),
  lead_id: recordId().nullish(),
};

export const customerService = entityService({
  table: customers,
  entity: 'customer',
  createInput: z.strictObject({ id: newRecordId().optional(), ...customerFields, customer_code: code().optional() }),
  updateInput: z.strictObject(customerFields).partial(),
  uniqueFields: ['customer_code'],
  filters: { lead_id: customers.lead_id },
  searchColumns: [customers.name, customers.customer_code, customers.email, customers.phone],
  phoneColumn: 'phone',
  digitColumns: [customers.customer_code, customers.email],
  orderBy: [asc(customers.name)],
  prepare: (ctx, values) => ({ ...withPhone(ctx, values), customer_code: values.customer_code ?? nextCode(ctx, 'CUS') }),
  preparePatch: withChangedPhone,
  check: (ctx, customer) => assertReference(ctx, leads, 'lead', customer.lead_id, 'lead_id'),
});

/** A customer named by its id or its code (as the CLI lets a user type either). */
export function customerIdOf(ctx: ServiceContext, ref: string): string {
  const row = findRecord(ctx, customers, idOrCode(ctx, 'sales_customers', 'customer_code', ref));
  if (!row) throw new AppError('not_found', `customer '${ref}' not found`, [{ field: 'customer', message: 'no customer with this id or code' }]);
  return row.id;
}
