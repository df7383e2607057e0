import path from 'node:path';
import { type ParseArgsConfig } from 'node:util';
import { AppError } from '../domain/errors.js';
import { updateUser, userIdOf } from '../services/users.js';
import { assertTenantId } from '../domain/tenantId.js';
import { TenantManager } from '../tenants.js';
import { writeWhole } from '../files.js';

// What every CLI command is made of (SPEC §6): its usage, options and run, and the
// helpers they share to read options and say errors in the user's own option names.

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | undefined>;
export type Output = { write(text: string): unknown };

export interface Command {
  usage: string;
  options: Options;
  required: string[];
  run: (manager: TenantManager, v: Values, positionals: string[], out: Output) => Promise<string> | string;
  /** The option that gives each input field, so an error names what the user typed. */
  fields?: Record<string, string>;
}

export const str = { type: 'string' } as const;
export const common: Options = { 'data-dir': str, help: { type: 'boolean', short: 'h' } };

export const optionOf: Record<string, string> = { from: '--from', to: '--to', as_of: '--as-of', lead_id: '--lead', customer_id: '--customer', project_name: '--project' };

export const tenantOf = (v: Values) => assertTenantId(v.tenant);

/** A document written where the user asked. */
export function writeDocument(out: string, doc: { file_name: string; data_base64: string }): string {
  const file = path.resolve(out);
  const bytes = Buffer.from(doc.data_base64, 'base64');
  writeWhole(file, bytes);
  return `wrote ${file} (${bytes.length} bytes)`;
}

/** Money as the CLI prints it: two decimals. */
export const formatAmount = (n: number) => n.toFixed(2);

/** `--floor-from -2` as `--floor-from=-2`: a negative number after an option is its value, not another option. */
export const withNegativeValues = (args: string[]) =>
  args.reduce<string[]>((out, a, i) => {
    const prev = out[out.length - 1];
    if (i > 0 && /^-\d/.test(a) && prev?.startsWith('--') && !prev.includes('=') && prev !== '--') out[out.length - 1] = `${prev}=${a}`;
    else out.push(a);
    return out;
  }, []);

/** A change to one user found by username (in any case): each ends that user's sessions. */
export function userChange(usage: string, options: Options, change: (v: Values) => Record<string, unknown>, said: (u: { username: string; role: string }) => string): Command {
  return {
    usage,
    options: { tenant: str, username: str, ...options },
    required: ['tenant', 'username', ...Object.keys(options)],
    run: (m, v) => {
      const ctx = m.context(tenantOf(v), null);
      return said(updateUser(ctx, userIdOf(ctx, v.username as string), change(v)));
    },
  };
}

/** An error's message with the input field it names given as the option the user typed (`list_price` → `--price`). */
export function inOptionWords(e: AppError, fields: Record<string, string> = {}): string {
  const field = e.details[0]?.field;
  const option = field === undefined ? undefined : fields[field];
  return option ? e.message.replace(new RegExp(`\\b${field}\\b`, 'g'), option) : e.message;
}

/** An option that is a number in the input's schema: passed as a number when it reads as one, else as given (the schema names it). */
export const numberOf = (x: string | boolean | undefined) => (typeof x === 'string' && x.trim() !== '' && Number.isFinite(Number(x)) ? Number(x) : x);

export function integerOption(v: Values, name: string, fallback: number): number {
  if (v[name] === undefined) return fallback;
  const n = Number(v[name]);
  if (!Number.isSafeInteger(n) || n < 0) throw new AppError('validation_failed', `--${name} must be a whole number`, [{ field: name, message: 'must be a whole number' }]);
  return n;
}

export const dropUndefined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));