import { z } from 'zod';
import { AppError, type FieldError } from './errors.js';
import { isLocalDate, isLocalTime } from '../../db/values/dates.js';
import { toMinor } from '../../db/values/money.js';

// Field builders shared by every input schema (SPEC §2). Schemas are strict: an
// unknown field is refused rather than silently dropped.

export const CLIENT_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export const recordId = () =>
  z.string({ error: 'must be a string id' }).regex(CLIENT_ID_RE, { error: 'must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' });

/**
 * The id a client gives a new record: one that is a safe file name on every
 * system, since photo folders are named after milestones — letters, digits, `_`, `-` and
 * inner dots; no `:`; not a Windows device name (CON, NUL, COM1…).
 */
const NEW_ID_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9_-])?$/;
const RESERVED_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
export const newRecordId = () =>
  z.string({ error: 'must be a string id' })
    .regex(NEW_ID_RE, { error: 'must be 1 to 64 letters, digits, _, - or inner dots, starting with a letter or digit' })
    .refine((id) => !RESERVED_NAME.test(id), { error: 'must not be a name the system keeps for devices (CON, NUL, COM1…)' });

// Text is stored exactly as sent (never trimmed), so it reads back byte for byte;
// strings that are not well-formed Unicode (lone surrogates) cannot be, and are refused.
export const text = (max = 200) =>
  z
    .string({ error: 'must be a string' })
    .max(max, { error: `must be at most ${max} characters` })
    .refine((s) => s.isWellFormed(), { error: 'must be valid Unicode text' });
export const requiredText = (max = 200) => text(max).refine((s) => s.trim().length > 0, { error: 'is required' });
export const longText = () => text(10_000);
export const code = () => requiredText(64);

export const enumOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of: ${values.join(', ')}` });

export const localDate = () =>
  z.string({ error: 'must be a date YYYY-MM-DD' }).refine(isLocalDate, { error: 'must be a real calendar date YYYY-MM-DD' });

export const localTime = () => z.string({ error: 'must be a time HH:MM' }).refine(isLocalTime, { error: 'must be a time HH:MM (24 h)' });

/** A decimal amount with at most 2 decimals, turned into integer minor units. */
const MAX_MONEY = 1e12;

export const money = ({ positive = false } = {}) =>
  z
    .number({ error: 'must be a number' })
    .refine((n) => Number.isFinite(n), { error: 'must be a finite number' })
    .refine((n) => (positive ? n > 0 : n >= 0), { error: positive ? 'must be greater than 0' : 'must not be negative' })
    // Far beyond any sale (₹1 lakh crore), and exact in minor units.
    .refine((n) => Math.abs(n) < MAX_MONEY, { error: 'must be less than 1000000000000' })
    .refine((n) => Math.abs(n) >= MAX_MONEY || toMinor(n) !== null, { error: 'must have at most 2 decimals' })
    .transform((n) => toMinor(n) as number);

export const count = (min = 0) =>
  z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(min, { error: `must be at least ${min}` }).max(2_147_483_647);

export const flag = () => z.boolean({ error: 'must be true or false' });

export const pagination = {
  limit: z.number({ error: 'must be a whole number from 1 to 500' }).int({ error: 'must be a whole number from 1 to 500' }).min(1, { error: 'must be a whole number from 1 to 500' }).max(500, { error: 'must be a whole number from 1 to 500' }).optional(),
  offset: z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(0, { error: 'must not be negative' }).max(100_000_000).optional(),
  include_deleted: flag().optional(),
};

/** SPEC §4: the `updated_at` of the copy a change is based on (or the HTTP If-Match header); a stale one is refused with 409. */
/** An instant as records stamp it (`updated_at`): ISO 8601 with its offset. */
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const asRead = 'must be the updated_at of the record as you read it';
export const basedOn = {
  expected_updated_at: z.string({ error: asRead }).max(40, { error: asRead }).regex(ISO_INSTANT, { error: asRead }).optional(),
};

export const period = {
  from: localDate().optional(),
  to: localDate().optional(),
  as_of: localDate().optional(),
};

/**
 * A service's entry that takes a value its schema has already parsed, as `.parsed` —
 * what dispatch calls, having parsed the input once (a money field's transform cannot
 * run twice) — and, called itself, one that parses what it is given first (the CLI, the
 * demo, a test). `input` is the schema both use.
 */
export type Parsing<S extends z.ZodType, C, R, More extends unknown[] = []> =
  ((ctx: C, input?: unknown, ...more: More) => R) & { parsed: (ctx: C, input: z.output<S>, ...more: More) => R; input: S };
export function parsing<S extends z.ZodType, C, R, More extends unknown[] = []>(schema: S, body: (ctx: C, input: z.output<S>, ...more: More) => R): Parsing<S, C, R, More> {
  return Object.assign((ctx: C, input?: unknown, ...more: More) => body(ctx, parseInput(schema, input), ...more), { parsed: body, input: schema });
}

/** The same for a service that acts on one record, named by its id beside the input. */
export type ParsingFor<S extends z.ZodType, C, R> = ((ctx: C, id: string, input?: unknown) => R) & { parsed: (ctx: C, id: string, input: z.output<S>) => R; input: S };
export function parsingFor<S extends z.ZodType, C, R>(schema: S, body: (ctx: C, id: string, input: z.output<S>) => R): ParsingFor<S, C, R> {
  return Object.assign((ctx: C, id: string, input?: unknown) => body(ctx, id, parseInput(schema, input)), { parsed: body, input: schema });
}

/** Parse or throw one validation error listing every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw validationFailed(result.error);
}

export function validationFailed(error: z.ZodError): AppError {
  const details: FieldError[] = error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return { field: issue.keys.join(', '), message: 'is not a known field' };
    }
    return { field: issue.path.map(String).join('.') || '(body)', message: issue.message };
  });
  const summary = details.map((d) => `${d.field} ${d.message}`).join('; ');
  return new AppError('validation_failed', `invalid input: ${summary}`, details);
}
