import { useEffect, useRef, useState } from 'react';
import { send } from '../../api/client.js';
import { RecordPicker } from '../../components/RecordPicker.js';
import { Badge, Card, ErrorBanner, Loading } from '../../components/ui.js';
import { useAsync } from '../../components/useAsync.js';
import { day, instant, money, number } from '../../format.js';
import { timeLeft, towerTitle } from './Inventory.js';

// One unit: its details, price and history, and what may be done with it (hold, release, block).

export function UnitPanel({ id, manager, onClose, onChanged }: { id: string; manager: boolean; onClose: () => void; onChanged: (message: string) => void }) {
  const unit = useAsync(() => send('units.get', { id }), [id]);
  const [lead, setLead] = useState<{ id: string; title: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    setFailure(null);
    try {
      const message = await work();
      unit.reload();
      onChanged(message);
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  const u = unit.data;
  // Opened from a cell far down the grid (or below it, on a narrow window): brought into view.
  const place = useRef<HTMLDivElement>(null);
  useEffect(() => {
    place.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  return (
    <div ref={place} className="unit-panel-place">
    <Card title={u ? `Unit ${u.unit_number}` : 'Unit'} className="unit-panel" actions={<button className="link" onClick={onClose}>Close</button>}>
      <ErrorBanner error={(unit.error ?? failure) as never} />
      {!u ? <Loading /> : (
        <>
          <p>
            <Badge value={u.status} tone={u.status === 'available' ? 'good' : u.status === 'blocked' ? 'bad' : undefined} /> {u.project_name}{u.tower ? ` · ${towerTitle(u.tower)}` : ''} · floor {u.floor} · {u.unit_type}
          </p>
          <dl className="facts">
            <dt>List price</dt><dd>{money(u.list_price)}</dd>
            <dt>Carpet area</dt><dd>{u.carpet_area_sqft ? `${number(u.carpet_area_sqft, 1)} sq ft` : '—'}</dd>
            {u.status === 'held' && (<><dt>Held until</dt><dd>{instant(u.hold_until)} ({timeLeft(u.hold_until)})</dd></>)}
          </dl>
          {(u.status === 'available' || u.status === 'held') && (
            <div className="unit-actions">
              <RecordPicker kind="lead" label="For lead" value={lead} onPick={setLead} />
              <div className="buttons">
                <button className="secondary" disabled={busy || !lead} onClick={() => void act(async () => {
                  const r = await send('units.hold', { id, lead_id: lead!.id });
                  return `Unit ${u.unit_number} ${r.extended ? 'hold extended' : 'held'} for ${lead!.title} until ${instant(r.hold.hold_until)}.`;
                })}>Hold for lead</button>
                <button className="primary" disabled={busy || !lead} onClick={() => void act(async () => {
                  const r = await send('leads.book', { id: lead!.id, unit_id: id });
                  return `Booked unit ${u.unit_number} for ${lead!.title}: ${r.booking.booking_code}, invoice ${r.ledger_entry.ledger_code} of ${money(r.booking.booking_amount)}.`;
                })}>Book for lead</button>
                {u.status === 'held' && (
                  <button className="link" disabled={busy} onClick={() => void act(async () => (await send('units.release', { id }), `Unit ${u.unit_number} released.`))}>Release hold</button>
                )}
              </div>
            </div>
          )}
          {manager && (u.status === 'available' || u.status === 'blocked') && (
            <button className="link" disabled={busy} onClick={() => void act(async () => {
              await send('units.update', { id, blocked: !u.blocked });
              return `Unit ${u.unit_number} ${u.blocked ? 'released for sale' : 'blocked'}.`;
            })}>{u.blocked ? 'Unblock' : 'Block'}</button>
          )}
          <h3>History</h3>
          {u.holds.length + u.bookings.length === 0 ? <p className="hint">No holds or bookings yet.</p> : (
            <ul className="history" aria-label="Unit history">
              {u.bookings.map((b) => (
                <li key={b.id}>Booking {b.booking_code} · {day(b.booking_date)} · {b.customer_name ?? '—'} · {money(b.booking_amount)} <Badge value={b.status} />{b.conflict && <Badge value="overbooked at sync" tone="bad" />}</li>
              ))}
              {u.holds.map((h) => (
                <li key={h.id}>Hold for {h.lead_name} · {instant(h.held_at)} → {instant(h.hold_until)} <Badge value={h.state === 'conflict' ? 'released: held first on another device' : h.state} /></li>
              ))}
            </ul>
          )}
        </>
      )}
    </Card>
    </div>
  );
}
