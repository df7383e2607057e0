import { useState } from 'react';
import { saveDocument } from '../api/client.js';
import { asApiError } from './useAsync.js';

/** Makes a document (a PDF) on the main side and saves it: a native save dialog on the desktop, a download in the browser. */
export function DocumentButton({ label, make }: { label: string; make: () => Promise<{ file_name: string; content_type: string; data_base64: string }> }) {
  const [state, setState] = useState<'idle' | 'busy' | { error: string }>('idle');
  const run = async () => {
    setState('busy');
    try {
      await saveDocument(await make());
      setState('idle');
    } catch (err) {
      setState({ error: asApiError(err).message });
    }
  };
  return (
    <span className="export">
      <button className="secondary" onClick={() => void run()} disabled={state === 'busy'}>{state === 'busy' ? 'Making…' : label}</button>
      {typeof state === 'object' && <small className="field-error" role="alert">{state.error}</small>}
    </span>
  );
}
