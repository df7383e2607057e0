import { useState } from 'react';
import { send } from '../api/client.js';
import type { Output } from '../api/types.js';
import { Card, Empty, ErrorBanner, Loading, Notice } from '../components/ui.js';
import { attempt, useAsync } from '../components/useAsync.js';
import { day, instant, label, money, number, phone, today } from '../format.js';
import { timeLeft } from './inventory/Inventory.js';
import { useSession } from '../store/session.js';

// The follow-ups due today and overdue — a sales rep's own leads by default,
// everyone's for a manager — each one completed from the list.

type FollowUp = Output<'followUps.list'>['items'][number];

export function Today() {
  const { me, go } = useSession();
  const [mine, setMine] = useState(me?.user.role === 'sales_rep');
  const [notice, setNotice] = useState<string | null>(null);
  const asOf = today();
  const list = useAsync(() => send('followUps.list', { status: 'due', as_of: asOf, assigned_to: mine ? me?.user.username : undefined, limit: 500 }), [mine, asOf]);
  // Units held for a lead whose hold ends within a day.
  const holds = useAsync(() => send('units.holdsEnding', { held_by: mine ? me?.user.id : undefined }), [mine]);
  // Instalments past their due date — the rep's own customers, or everyone's.
  // Up to 500 late instalments: the count and total are of all of them, the first 20 shown until asked for the rest.
  const late = useAsync(() => send('receivables.overdue', { assigned_to: mine ? me?.user.username : undefined, as_of: asOf, limit: 500 }), [mine, asOf]);
  const [allLate, setAllLate] = useState(false);
  const items = list.data?.items ?? [];
  const overdue = items.filter((f) => f.overdue);
  const dueToday = items.filter((f) => !f.overdue);

  const done = (f: FollowUp) =>
    attempt(() => send('milestones.completeFollowUp', { id: f.id }), setNotice).then((ok) => ok && (setNotice(`Follow-up with ${f.lead_name} marked done.`), list.reload()));

  const group = (title: string, rows: FollowUp[]) => (
    <Card title={`${title} (${rows.length})`}>
      {rows.length === 0 ? <p className="hint">Nothing here.</p> : (
        <ul className="today" aria-label={title}>
          {rows.map((f) => (
            <li key={f.id} className={f.overdue ? 'overdue' : ''}>
              <div>
                <button className="link" onClick={() => go('milestones', f.lead_id)}><strong>{f.lead_name}</strong></button>
                <span className="meta">after the {label(f.milestone_type).toLowerCase()} of {day(f.milestone_date)}{f.assigned_to ? ` · ${f.assigned_to}` : ''}{f.lead_phone ? ` · ${phone(f.lead_phone)}` : ''}</span>
                {f.notes && <p>{f.notes}</p>}
              </div>
              <span className="due">{f.overdue ? `since ${day(f.follow_up_date)}` : 'today'}</span>
              <button className="secondary" onClick={() => void done(f)} aria-label={`Mark the follow-up with ${f.lead_name} done`}>Done</button>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );

  return (
    <>
      <header className="page-head">
        <h1>Today</h1>
        <label className="as-of"><input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} /> Only my leads</label>
      </header>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBanner error={list.error ?? holds.error ?? late.error} onRetry={() => (list.reload(), holds.reload(), late.reload())} />
      {late.data && late.data.length > 0 && (
        <Card title={`Late instalments (${number(late.data.length)}${late.data.length === 500 ? '+' : ''} · ${money(late.data.reduce((a, i) => a + Math.round(i.overdue * 100), 0) / 100)})`}>
          <ul className="today" aria-label="Late instalments">
            {(allLate ? late.data : late.data.slice(0, 20)).map((i) => (
              <li key={i.instalment_id} className="overdue">
                <div>
                  <button className="link" onClick={() => go('ledger', i.customer_id)}><strong>{i.customer_name}</strong></button>
                  <span className="meta">{i.label} of {i.booking_code}{i.phone ? ` · ${phone(i.phone)}` : ''}</span>
                </div>
                <span className="due">{money(i.overdue)} · {i.days_overdue} d since {day(i.due_date)}</span>
              </li>
            ))}
          </ul>
          {late.data.length > 20 && (
            <button className="link" onClick={() => setAllLate((v) => !v)}>{allLate ? 'Show the 20 most overdue' : `Show all ${number(late.data.length)}`}</button>
          )}
        </Card>
      )}
      {holds.data && holds.data.length > 0 && (
        <Card title={`Holds ending within a day (${holds.data.length})`}>
          <ul className="today" aria-label="Holds ending within a day">
            {holds.data.map((h) => (
              <li key={h.id}>
                <div>
                  <button className="link" onClick={() => go('inventory')}><strong>{h.project_name}{h.tower ? ` ${h.tower}` : ''} · unit {h.unit_number}</strong></button>
                  <span className="meta">{h.unit_type} held for {h.lead_name}</span>
                </div>
                <span className="due">{timeLeft(h.hold_until)} · until {instant(h.hold_until)}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      {!list.data ? <Loading what="Finding today's follow-ups" /> : items.length === 0 ? (
        <Empty title="No follow-ups due.">Follow-ups set on milestones show here on their day, and stay until they are done.</Empty>
      ) : (
        <>
          {group('Overdue follow-ups', overdue)}
          {group('Follow-ups due today', dueToday)}
        </>
      )}
    </>
  );
}
