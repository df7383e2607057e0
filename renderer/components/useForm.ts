import { readAmount } from '../../main/domain/amountText.js';
import { markUnsaved, useSession } from '../store/session.js';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/types.js';
import { asApiError } from './useAsync.js';

export type Errors = Record<string, string | undefined>;

export interface FormOptions {
  /**
   * Keep what is typed across a reload: the half-typed form comes back in this
   * tab until it is saved or cancelled. Named per form and record (`lead-edit:<id>`).
   */
  draft?: string;
}

const draftOf = <V,>(key: string | undefined): V | null => {
  if (!key) return null;
  try {
    const raw = sessionStorage.getItem(`milepost.draft.${key}`);
    return raw ? (JSON.parse(raw) as V) : null;
  } catch {
    return null;
  }
};
const keepDraft = (key: string | undefined, values: unknown) => {
  if (!key) return;
  try {
    if (values === null) sessionStorage.removeItem(`milepost.draft.${key}`);
    else sessionStorage.setItem(`milepost.draft.${key}`, JSON.stringify(values));
  } catch {
    /* storage full or off: the form still works, without surviving a reload */
  }
};

/**
 * A form's values and errors. `submit` runs the local checks first and sends nothing
 * when they fail; a refusal from Milepost puts its field errors beside the fields
 * and its message in words above the form. A form changed and not yet saved asks before
 * the user leaves it (another screen, back, reload).
 */
export function useForm<V extends Record<string, unknown>>(initial: V, check: (v: V) => Errors, options: FormOptions = {}) {
  const [baseline, setBaseline] = useState(initial);
  const [values, setValues] = useState<V>(() => ({ ...initial, ...(draftOf<Partial<V>>(options.draft) ?? {}) }));
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const dirty = JSON.stringify(values) !== JSON.stringify(baseline);
  const key = useRef(Symbol('form'));
  useEffect(() => markUnsaved(key.current, dirty, () => keepDraft(options.draft, null)), [dirty, options.draft]);
  useEffect(() => () => markUnsaved(key.current, false), []);
  useEffect(() => keepDraft(options.draft, dirty ? values : null), [options.draft, dirty, values]);

  const set = <K extends keyof V>(key: K, value: V[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => ({ ...e, [key as string]: undefined }));
    setFailure(null); // the user is putting it right: the last refusal no longer describes the form
  };

  /** A text, date or choice input's value and what a change does: `<input {...bind('field')} />`. */
  const bind = <K extends keyof V>(key: K) => ({
    value: values[key] as string,
    onChange: (e: { target: { value: string } }) => set(key, e.target.value as V[K]),
  });

  async function submit(action: (v: V) => Promise<unknown>): Promise<boolean> {
    const local = Object.fromEntries(Object.entries(check(values)).filter(([, m]) => m));
    setErrors(local);
    setFailure(null);
    if (Object.keys(local).length) return false;
    setBusy(true);
    try {
      await action(values);
      // Saved: nothing is left to lose.
      setBaseline(values);
      markUnsaved(key.current, false);
      keepDraft(options.draft, null);
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

  /** Start again from these values (the record as it is now), nothing left unsaved. */
  const load = (next: V) => {
    setBaseline(next);
    setValues(next);
    setErrors({});
    markUnsaved(key.current, false);
    keepDraft(options.draft, null);
  };

  return {
    values, set, bind, errors, failure, busy, submit, dirty, load,
    clearFailure: () => setFailure(null),
    /** Cancel: back to the start, the draft forgotten. */
    reset: () => (load(initial), setFailure(null)),
    /** Keep a refusal shown after `load` (a stale copy refused, the newer values now in the form). */
    fail: (e: ApiError) => setFailure(e),
  };
}

/**
 * The fields of an edit form that differ from the record as read: only those are sent.
 * An emptied field is sent as null (cleared), except the `required` ones, sent as typed.
 */
export function changedFields<V extends Record<string, string>>(values: V, before: V, required: readonly (keyof V)[] = []): Partial<Record<keyof V, string | null>> {
  return Object.fromEntries(
    (Object.keys(values) as (keyof V)[]).filter((k) => values[k] !== before[k]).map((k) => [k, required.includes(k) || values[k]!.trim() !== '' ? values[k] : null]),
  ) as Partial<Record<keyof V, string | null>>;
}

/**
 * SPEC §4 in a form: a change refused because the record was changed meanwhile loads the
 * record as it is now into the form, keeps the refusal in view and tells the screen, so
 * the user sees the newer values and makes the change again. True while that is shown.
 */
export function useNewerRecord<V extends Record<string, unknown>, R>(form: ReturnType<typeof useForm<V>>, valuesOf: (record: R) => V, onStale: () => void): boolean {
  const [stale, setStale] = useState(false);
  useEffect(() => {
    const e = form.failure;
    const current = e?.current<R>();
    if (e && current) {
      form.load(valuesOf(current));
      form.fail(e);
      setStale(true);
      onStale();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [form.failure]);
  return stale && form.failure?.code === 'conflict';
}

// Local checks shared by the forms (the server checks the same and more).
export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const required = (v: unknown) => (v === undefined || v === null || String(v).trim() === '' ? 'is required' : undefined);
/** An amount as typed in the tenant's locale (`62,40,000`, `₹6,240,000.50`): the check, and the number sent. */
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
