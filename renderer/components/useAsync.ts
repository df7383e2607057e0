import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/types.js';

/** Load something, with loading and error states and a way to load it again. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (err: unknown) => live && setState({ error: asApiError(err), loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { ...state, reload };
}

/** Run a one-click action; a refusal's message goes to `onError`. Resolves whether it succeeded. */
export async function attempt(action: () => Promise<unknown>, onError: (message: string) => void): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (err) {
    onError(asApiError(err).message);
    return false;
  }
}

export const asApiError = (err: unknown) => (err instanceof ApiError ? err : new ApiError('error', err instanceof Error ? err.message : String(err)));
