import { useState } from 'react';
import { saveCsv, send } from '../api/client.js';
import type { Input } from '../api/types.js';
import { asApiError } from './useAsync.js';

/** "Export CSV": the same CSV as `milepost export`, downloaded or saved natively. */
export function ExportButton({ name, filters = {}, label = 'Export CSV' }: { name: Input<'exports.csv'>['name']; filters?: Omit<Input<'exports.csv'>, 'name'>; label?: string }) {
  const [state, setState] = useState<'idle' | 'busy' | string>('idle');
  async function run() {
    setState('busy');
    try {
      const { filename, csv } = await send('exports.csv', { name, ...filters });
      await saveCsv(filename, csv);
      setState('idle');
    } catch (err) {
      setState(asApiError(err).message);
    }
  }
  return (
    <span className="export">
      <button className="secondary" onClick={run} disabled={state === 'busy'} aria-label={`${label}: ${name}`}>
        {state === 'busy' ? 'Exporting…' : label}
      </button>
      {state !== 'idle' && state !== 'busy' && <span className="field-error" role="alert">{state}</span>}
    </span>
  );
}
