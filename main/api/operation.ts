import type { z } from 'zod';
import type { Rule } from './rules.js';
import type { Session } from './session.js';

// How an operation is declared, once, beside the others of its domain
// (main/api/operations/): its input schema, who may call it (SPEC §11), what runs it,
// and the HTTP routes that reach it (SPEC §6). The contract (contract.ts) merges them;
// dispatch, the IPC adapter and the HTTP server read everything from there.

export interface HttpRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
}

/** A record an operation names, by its id or its code (`#/leads/LD-000123`, `PATCH leads/LD-000123`, `bookings/BKG-000042/schedule`). */
export type ByCode = readonly [field: string, ...CodedTable];
export type CodedTable = readonly ['sales_leads', 'lead_code'] | readonly ['sales_customers', 'customer_code'] | readonly ['sales_bookings', 'booking_code'] | readonly ['sales_account_ledgers', 'ledger_code'];
export const LEAD = ['sales_leads', 'lead_code'] as const;
export const CUSTOMER = ['sales_customers', 'customer_code'] as const;
export const BOOKING = ['sales_bookings', 'booking_code'] as const;
export const LEDGER_ENTRY = ['sales_account_ledgers', 'ledger_code'] as const;

export interface OperationSpec<S extends z.ZodType = z.ZodType, R = unknown> {
  input: S;
  /** SPEC §11: who may call it, and for a sales rep what more is checked. */
  who: Rule;
  /** Runs it for a signed-in session with its input as the schema read it — parsed once, by dispatch: a service takes it as it is (its `.parsed` entry). */
  run: (s: Session, input: z.output<S>) => R;
  /** Its routes under SPEC §6 (none: the app reaches it by name only). */
  routes?: readonly HttpRoute[];
  /** It creates something (HTTP 201). */
  creates?: boolean;
  /** Its input may be large (photos, import files): HTTP reads the caller's token before the body. */
  largeInput?: boolean;
  /** A read: a rep under rep_scope = own runs it on their share of the data. */
  reads?: boolean;
  /** It answers a document (a PDF): its HTTP route sends the file itself. */
  document?: boolean;
  /** The field that names a lead or customer, taken by its code as well as its id. */
  byCode?: ByCode;
  /** What a role refused it is told it may not do, where the name says it badly ("import leads"). */
  said?: string;
}

export const operation = <S extends z.ZodType, R>(spec: OperationSpec<S, R>): OperationSpec<S, R> => spec;

const SALES = '/api/v1/sales';
const route = (method: HttpRoute['method']) => (path: string): HttpRoute => ({ method, path: path.startsWith('/api') ? path : `${SALES}/${path}` });
export const get = route('GET');
export const post = route('POST');
export const put = route('PUT');
export const patch = route('PATCH');
export const del = route('DELETE');

/** The field a lead's id or code is given in. */
export const leadByCode = (field: string): ByCode => [field, ...LEAD];
/** The field a customer's id or code is given in. */
export const customerByCode = (field: string): ByCode => [field, ...CUSTOMER];
/** The field a booking's id or code (BKG-…) is given in. */
export const bookingByCode = (field: string): ByCode => [field, ...BOOKING];
/** The field a ledger entry's id or code is given in. */
export const ledgerByCode = (field: string): ByCode => [field, ...LEDGER_ENTRY];
