import { useEffect, useRef, useState, type ReactNode } from 'react';
import { create } from 'zustand';
import { send } from '../api/client.js';
import type { Input, Output } from '../api/types.js';
import { useSession } from '../store/session.js';
import { day, label, money, number, phone } from '../format.js';
import { ErrorBanner, Loading, Pager } from './ui.js';
import { useAsync } from './useAsync.js';

// Every number of the dashboard, funnel, source and campaign reports opens the
// list of the records behind it (reports.drill). One panel for the whole Reports screen.

type DrillRequest = Omit<Input<'reports.drill'>, 'limit' | 'offset'> & { title: string };
type DrillRow = Output<'reports.drill'>['rows'][number];

export const useDrill = create<{ open: DrillRequest | null; show(r: DrillRequest): void; close(): void }>((set) => ({
  open: null,
  show: (open) => set({ open }),
  close: () => set({ open: null }),
}));

/** A figure that opens its list when clicked. */
export function DrillNumber({ request, children }: { request: DrillRequest; children: ReactNode }) {
  const show = useDrill((s) => s.show);
  return (
    <button className="drill" title={`Show the records behind ${request.title}`} onClick={() => show(request)}>
      {children}
    </button>
  );
}

/** A report's figures by row, each opening the records behind it: `fig(row, 'total_leads', 'Leads', '12')`. */
export const rowFigures = <Row,>(report: DrillRequest['report'], rowOf: (r: Row) => { row: string; name: string }) =>
  (r: Row, column: keyof Row & string, title: string, text: string) => {
    const { row, name } = rowOf(r);
    return <DrillNumber request={{ report, column, row, title: `${title} — ${name}` }}>{text}</DrillNumber>;
  };

const PAGE = 100;

// The fields shown for each kind of list, and how to read them.
const FIELDS: Record<Output<'reports.drill'>['list'], [string, string, (v: unknown) => string][]> = {
  leads: [['lead_code', 'Code', String], ['name', 'Name', String], ['company', 'Company', String], ['status', 'Status', (v) => label(String(v))], ['lead_date', 'Lead date', (v) => day(v as string)], ['source_name', 'Source', String], ['campaign_code', 'Campaign', String], ['assigned_to', 'Assigned to', String]],
  bookings: [['booking_code', 'Booking', String], ['booking_date', 'Date', (v) => day(v as string)], ['status', 'Status', (v) => label(String(v))], ['customer_name', 'Customer', String], ['lead_name', 'Lead', String], ['project_name', 'Project', String], ['units_booked', 'Units', (v) => number(v as number)], ['amount', 'Amount', (v) => money(v as number)]],
  ledger: [['ledger_code', 'Entry', String], ['transaction_date', 'Date', (v) => day(v as string)], ['transaction_type', 'Type', (v) => label(String(v))], ['customer_name', 'Customer', String], ['description', 'Description', String], ['debit', 'Debit', (v) => money(v as number)], ['credit', 'Credit', (v) => money(v as number)]],
  customers: [['customer_code', 'Code', String], ['name', 'Name', String], ['email', 'Email', String], ['phone', 'Phone', (v) => phone(v as string)]],
  engagements: [['engagement_date', 'Date', (v) => day(v as string)], ['lead_name', 'Lead', String], ['engagement_type', 'Type', (v) => label(String(v))], ['engagement_channel', 'Channel', (v) => label(String(v))], ['subject', 'Subject', String]],
  instalments: [['due_date', 'Due', (v) => day(v as string)], ['customer_name', 'Customer', String], ['booking_code', 'Booking', String], ['label', 'Instalment', String], ['project_name', 'Project', String], ['amount', 'Amount', (v) => money(v as number)], ['paid', 'Paid', (v) => money(v as number)]],
  follow_ups: [['follow_up_date', 'Due', (v) => day(v as string)], ['lead_name', 'Lead', String], ['milestone_type', 'After', (v) => label(String(v))], ['milestone_date', 'On', (v) => day(v as string)], ['visited_by', 'By', String]],
};

// "1 instalments due" reads as a slip: the list's first plural noun made singular.
const SINGULAR: Record<string, string> = { leads: 'lead', bookings: 'booking', instalments: 'instalment', customers: 'customer', engagements: 'engagement', 'follow-ups': 'follow-up', entries: 'entry', payments: 'payment' };
const singular = (label: string) => label.replace(/\b(leads|bookings|instalments|customers|engagements|follow-ups|entries|payments)\b/, (w) => SINGULAR[w] ?? w).replace(/^payment and refunds/, 'payment or refund');

const shown = (read: (v: unknown) => string, v: unknown) => (v === null || v === undefined || v === '' ? '—' : read(v));

/** The open list, over the screen; Escape or the close button shuts it. */
export function DrillPanel() {
  const { open, close } = useDrill();
  const [offset, setOffset] = useState(0);
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => setOffset(0), [open]);
  useEffect(() => {
    if (!open) return;
    closeButton.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, close]);
  const { title: _title, ...request } = open ?? { title: '' };
  const page = useAsync(
    () => (open ? send('reports.drill', { ...(request as Input<'reports.drill'>), offset, limit: PAGE }) : Promise.resolve(null)),
    [JSON.stringify(open), offset],
  );
  const go = useSession((s) => s.go);
  if (!open) return null;
  const d = page.data;
  return (
    <div className="overlay" onClick={(e) => e.target === e.currentTarget && close()}>
      <section className="drill-panel" role="dialog" aria-modal="true" aria-label={`Records behind ${open.title}`}>
        <header>
          <h2>{open.title}</h2>
          <button ref={closeButton} className="link" onClick={close} aria-label="Close">✕</button>
        </header>
        <ErrorBanner error={page.error} onRetry={page.reload} />
        {!d ? <Loading what="Finding the records" /> : (
          <>
            <p className="drill-summary">
              <strong>{number(d.total)}</strong> {d.total === 1 ? singular(d.label) : d.label}
              {d.amount !== null && <> · {money(d.amount)}</>}
            </p>
            {d.rows.length === 0 ? <p className="hint">No records.</p> : (
              <div className="drill-table">
                <table className="data" aria-label={d.label}>
                  <thead><tr>{FIELDS[d.list].map(([key, title]) => <th key={key}>{title}</th>)}{d.amount !== null && <th className="num">In this figure</th>}</tr></thead>
                  <tbody>
                    {d.rows.map((r: DrillRow) => (
                      <tr key={String(r.id)}>
                        {FIELDS[d.list].map(([key, , read], i) => (
                          <td key={key}>
                            {i === 1 && d.list === 'leads'
                              ? <button className="link" onClick={() => (close(), go('milestones', String(r.id)))}>{shown(read, r[key])}</button>
                              : shown(read, r[key])}
                          </td>
                        ))}
                        {d.amount !== null && <td className="num">{money(r.share as number)}</td>}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Pager offset={offset} nextOffset={d.next_offset} pageSize={PAGE} onPage={setOffset} />
          </>
        )}
      </section>
    </div>
  );
}
