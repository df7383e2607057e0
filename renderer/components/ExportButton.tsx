import { useState } from 'react';
import { create } from 'zustand';
import { csvFormatFor } from '../../main/csv/format.js';
import { saveCsv, saveDocument, send } from '../api/client.js';
import type { Input } from '../api/types.js';
import { useSession } from '../store/session.js';
import { asApiError } from './useAsync.js';

type Details = NonNullable<Input<'exports.csv'>['details']>;
type Delimiter = NonNullable<Input<'exports.csv'>['delimiter']> | 'locale';

const DETAILS: { id: Details; label: string; hint: string }[] = [
  { id: 'comment', label: 'In the first line', hint: 'a # line before the header' },
  { id: 'side', label: 'In a separate file', hint: 'NAME.about.json beside the CSV' },
  { id: 'none', label: 'Not at all', hint: 'the header is the first line' },
];
const STORAGE_KEY = 'milepost.export';

interface ExportChoice {
  details: Details;
  delimiter: Delimiter;
  set(choice: Partial<Pick<ExportChoice, 'details' | 'delimiter'>>): void;
}

function remembered(): Pick<ExportChoice, 'details' | 'delimiter'> {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<ExportChoice>;
    return {
      details: DETAILS.some((d) => d.id === saved.details) ? saved.details! : 'comment',
      delimiter: saved.delimiter === ',' || saved.delimiter === ';' ? saved.delimiter : 'locale',
    };
  } catch {
    return { details: 'comment', delimiter: 'locale' };
  }
}

/** The user's last choice of how exports are written, kept on this machine for every export. */
const useExportChoice = create<ExportChoice>((set, get) => ({
  ...remembered(),
  set(choice) {
    set(choice);
    const { details, delimiter } = get();
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ details, delimiter }));
  },
}));

/**
 * "Export CSV": the same CSV as `milepost export`, downloaded or saved natively. It
 * asks where the export's details (filters, time zone, when made) go and which
 * delimiter to use; the choice is remembered for the next export.
 */
export function ExportButton({ name, filters = {}, label = 'Export CSV' }: { name: Input<'exports.csv'>['name']; filters?: Omit<Input<'exports.csv'>, 'name' | 'details' | 'delimiter'>; label?: string }) {
  const [state, setState] = useState<'idle' | 'open' | 'busy' | { error: string }>('idle');
  const choice = useExportChoice();
  const locale = useSession((s) => s.me?.tenant.locale ?? 'en-IN');
  async function save() {
    setState('busy');
    try {
      const file = await send('exports.csv', { name, ...filters, details: choice.details, ...(choice.delimiter === 'locale' ? {} : { delimiter: choice.delimiter }) });
      await saveCsv(file);
      setState('idle');
    } catch (err) {
      setState({ error: asApiError(err).message });
    }
  }
  // The same rows as an Excel workbook — dates, money and percentages typed, the details on its second sheet.
  async function saveXlsx() {
    setState('busy');
    try {
      await saveDocument(await send('exports.xlsx', { name, ...filters }));
      setState('idle');
    } catch (err) {
      setState({ error: asApiError(err).message });
    }
  }
  const open = state === 'open' || state === 'busy';
  // An export from a screen carries its search and filters, and says so.
  const shownFilters = Object.entries(filters)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => (k === 'search' ? `search “${String(v)}”` : `${k.replace(/_/g, ' ')} ${String(v)}`));
  return (
    <span className="export">
      <button className="secondary" onClick={() => setState(open ? 'idle' : 'open')} aria-expanded={open} aria-label={`${label}: ${name}`}>
        {label}
      </button>
      {open && (
        <div className="export-options" role="dialog" aria-label={`Export ${name}`} onKeyDown={(e) => e.key === 'Escape' && setState('idle')}>
          <p className="hint" aria-label="What is exported">{shownFilters.length ? `Only the rows the screen shows: ${shownFilters.join(' · ')}` : 'Every row (no search or filter on the screen).'}</p>
          <fieldset>
            <legend>What the file is (filters, time zone, when made)</legend>
            {DETAILS.map((d) => (
              <label key={d.id} title={d.hint}>
                <input type="radio" name={`details-${name}`} checked={choice.details === d.id} onChange={() => choice.set({ details: d.id })} />
                {d.label}
              </label>
            ))}
          </fieldset>
          <label>
            Delimiter
            <select value={choice.delimiter} onChange={(e) => choice.set({ delimiter: e.target.value as Delimiter })}>
              <option value="locale">As the locale, {locale} ({csvFormatFor(locale).delimiter})</option>
              <option value=",">Comma (,)</option>
              <option value=";">Semicolon (;)</option>
            </select>
          </label>
          <div className="actions">
            <button onClick={save} disabled={state === 'busy'}>{state === 'busy' ? 'Exporting…' : `Save ${name}.csv`}</button>
            <button onClick={saveXlsx} disabled={state === 'busy'}>Save {name}.xlsx</button>
            <button className="secondary" onClick={() => setState('idle')}>Cancel</button>
          </div>
        </div>
      )}
      {typeof state === 'object' && <span className="field-error" role="alert">{state.error}</span>}
    </span>
  );
}
