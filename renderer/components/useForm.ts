import { readAmount } from '../../main/domain/amountText.js';
import { useSession } from '../store/session.js';
import { useState } from 'react';
import { ApiError } from '../api/types.js';
import { asApiError } from './useAsync.js';

export type Errors = Record<string, string | undefined>;

/**
 * A form's values and errors. `submit` runs the local checks first and sends nothing
 * when they fail; a refusal from Milepost puts its field errors beside the fields
 * and its message in words above the form.
 */
export function useForm<V extends Record<string, unknown>>(initial: V, check: (v: V) => Errors) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const set = <K extends keyof V>(key: K, value: V[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => ({ ...e, [key as string]: undefined }));
    setFailure(null); // the user is putting it right: the last refusal no longer describes the form
  };

  async function submit(action: (v: V) => Promise<unknown>): Promise<boolean> {
    const local = Object.fromEntries(Object.entries(check(values)).filter(([, m]) => m));
    setErrors(local);
    setFailure(null);
    if (Object.keys(local).length) return false;
    setBusy(true);
    try {
      await action(values);
      return true;
    } catch (err) {
      const e = asApiError(err);
      setErrors(e instanceof ApiError ? e.fieldErrors() : {});
      setFailure(e);
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { values, set, errors, failure, busy, submit, clearFailure: () => setFailure(null), reset: () => (setValues(initial), setErrors({}), setFailure(null)) };
}

// Local checks shared by the forms (the server checks the same and more).
export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const required = (v: unknown) => (v === undefined || v === null || String(v).trim() === '' ? 'is required' : undefined);
/** An amount as typed in the tenant's locale (`62,40,000`, `₹6,240,000.50`): the check, and the number sent (issue 18). */
const localeNow = () => useSession.getState().me?.tenant.locale ?? 'en-IN';
export function amount(v: string, { positive = false, optional = false } = {}) {
  if (v.trim() === '') return optional ? undefined : 'is required';
  const read = readAmount(v, localeNow());
  if ('error' in read) return read.error;
  if (positive && read.value <= 0) return 'must be greater than 0';
  return undefined;
}
/** The number a typed amount stands for (checked first with `amount`); undefined when empty or unreadable. */
export const amountOf = (v: string): number | undefined => {
  const read = readAmount(v, localeNow());
  return 'value' in read ? read.value : undefined;
};
/** Empty inputs are left out; numbers sent as numbers. */
export const optional = (v: string) => (v.trim() === '' ? undefined : v);
export const optionalNumber = (v: string) => (v.trim() === '' ? undefined : Number(v));
