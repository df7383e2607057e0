import { useEffect, useId, useState } from 'react';
import { send } from '../api/client.js';
import { phone } from '../format.js';

interface Option {
  id: string;
  title: string;
  detail: string;
}

const searchers = {
  lead: async (search: string): Promise<Option[]> =>
    (await send('leads.list', { search: search || undefined, limit: 8 })).items.map((l) => ({
      id: l.id, title: l.name, detail: [l.lead_code, l.phone && phone(l.phone), l.company, l.status].filter(Boolean).join(' · '),
    })),
  customer: async (search: string): Promise<Option[]> =>
    (await send('customers.list', { search: search || undefined, limit: 8 })).items.map((c) => ({
      id: c.id, title: c.name, detail: [c.customer_code, c.phone && phone(c.phone), c.email].filter(Boolean).join(' · '),
    })),
};

/**
 * Pick a lead or customer by typing part of a name, code or phone; the choice is
 * handed over at once (the screen loads it: "auto-load").
 */
export function RecordPicker({ kind, value, onPick, label }: { kind: keyof typeof searchers; value?: { id: string; title: string } | null; onPick: (o: Option) => void; label: string }) {
  const id = useId();
  const [text, setText] = useState(value?.title ?? '');
  const [options, setOptions] = useState<Option[]>([]);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => setText(value?.title ?? ''), [value?.id, value?.title]);
  useEffect(() => {
    if (!open) return;
    const timer = setTimeout(() => {
      searchers[kind](text.trim()).then(
        (found) => (setOptions(found), setError(null)),
        (err: Error) => setError(err.message),
      );
    }, 150);
    return () => clearTimeout(timer);
  }, [text, open, kind]);

  return (
    <div className="picker">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        role="combobox"
        aria-expanded={open}
        aria-controls={`${id}-list`}
        autoComplete="off"
        placeholder={`Search ${kind}s by name, code or phone`}
        value={text}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onChange={(e) => (setText(e.target.value), setOpen(true))}
      />
      {open && (
        <ul id={`${id}-list`} role="listbox" className="picker-list">
          {error && <li className="field-error">{error}</li>}
          {!error && options.length === 0 && <li className="hint">No {kind}s match “{text}”.</li>}
          {options.map((o) => (
            <li key={o.id} role="option" aria-selected={o.id === value?.id} onMouseDown={() => (onPick(o), setText(o.title), setOpen(false))}>
              <strong>{o.title}</strong>
              <span>{o.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
