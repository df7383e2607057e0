import { useState } from 'react';
import { send } from '../../api/client.js';
import type { Output } from '../../api/types.js';
import { ExportButton } from '../../components/ExportButton.js';
import { Badge, Empty, ErrorBanner, Loading, Notice, Pager } from '../../components/ui.js';
import { useAsync } from '../../components/useAsync.js';
import { day, label, money, number } from '../../format.js';
import { useCan, useSession } from '../../store/session.js';
import { BookUnit } from './BookUnit.js';
import { CancelBooking } from './CancelBooking.js';
import { Schedule } from './Schedule.js';
import { ProjectInventory } from './ProjectInventory.js';

// Bookings (SPEC §7, §10): the list with each booking's customer, unit and status; a
// unit booked for a lead; a booking's instalments; a cancellation with its refund.

const PAGE = 25;
export type Booking = Output<'bookings.list'>['items'][number];

export function Bookings() {
  const can = useCan();
  const { go, record } = useSession();
  const [status, setStatus] = useState('');
  const [offset, setOffset] = useState(0);
  // Opened for a lead (`#/bookings/LD-000123`, "Book a unit instead" of converting by hand): the form opens with it.
  const forLead = useAsync(() => (record ? send('leads.get', { id: record }) : Promise.resolve(null)), [record]);
  const [booking, setBooking] = useState(Boolean(record));
  const [cancelling, setCancelling] = useState<Booking | null>(null);
  const [scheduleOf, setScheduleOf] = useState<Booking | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useAsync(() => send('bookings.list', { status: status || undefined, limit: PAGE, offset }), [status, offset]);
  const done = (message: string) => (setNotice(message), setBooking(false), setCancelling(null), list.reload());

  return (
    <>
      <header className="page-head">
        <h1>Bookings</h1>
        <div className="actions">
          <ExportButton name="booking-list" filters={{ status: status || undefined }} />
          <button className="primary" onClick={() => setBooking(true)}>Book a unit</button>
        </div>
      </header>
      {notice && <Notice>{notice}</Notice>}
      {booking && (!record || !forLead.loading) && (
        <BookUnit key={forLead.data?.id ?? 'any'} lead={forLead.data ? { id: forLead.data.id, title: forLead.data.name } : null} onCancel={() => setBooking(false)} onDone={done} />
      )}
      {cancelling && <CancelBooking booking={cancelling} onCancel={() => setCancelling(null)} onDone={done} />}
      {scheduleOf && <Schedule key={scheduleOf.id} booking={scheduleOf} onClose={() => setScheduleOf(null)} />}
      <div className="toolbar">
        <select aria-label="Filter by booking status" value={status} onChange={(e) => (setStatus(e.target.value), setOffset(0))}>
          <option value="">All statuses</option>
          {['confirmed', 'pending', 'on_hold', 'completed', 'cancelled'].map((s) => <option key={s} value={s}>{label(s)}</option>)}
        </select>
      </div>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading what="Loading bookings" /> : list.data?.items.length === 0 ? (
        <Empty title="No bookings yet.">Book a unit for a lead with “Book a unit”: the booking, its milestone and the invoice are made together.</Empty>
      ) : (
        <div className="table-scroll">
        <table className="data rows-stack" aria-label="Bookings">
          <thead>
            <tr><th>Booking · date</th><th>Customer</th><th>Project · unit</th><th className="num narrow-hide">Units</th><th className="num">Amount</th><th>Status</th><th className="narrow-hide">Delivery</th></tr>
          </thead>
          <tbody>
            {list.data?.items.map((b) => (
              <tr key={b.id}>
                <td data-label="Booking" className="nowrap"><strong>{b.booking_code}</strong><small>{day(b.booking_date)}</small></td>
                <td data-label="Customer" className="clip" title={b.customer_name ?? undefined}>
                  <button className="link" title={b.customer_name ?? undefined} onClick={() => go('ledger', b.customer_code ?? b.customer_id)}>{b.customer_name ?? '—'}</button>
                  <small>{b.customer_code}</small>
                </td>
                <td data-label="Project · unit">
                  {[b.project_name, b.unit_type, b.unit_number && `unit ${b.tower ? `${b.tower}-` : ''}${b.unit_number}`].filter(Boolean).join(' · ') || '—'}
                  {b.units_available != null && !b.unit_number && <small>{number(b.units_available)} left</small>}
                </td>
                <td data-label="Units" className="num narrow-hide">{b.units_booked} / {b.unit_count}</td>
                <td data-label="Amount" className="num">{money(b.booking_amount)}</td>
                <td data-label="Status">
                  <Badge value={b.status} />
                  {b.status === 'cancelled' && <small>{day(b.cancellation_date)} · refund {money(b.refund_amount ?? 0)}</small>}
                  {/* The actions under the status: the row's last column stays in view at 1024 px. */}
                  <span className="row-actions">
                    <button className="link" aria-label={`Schedule of ${b.booking_code}`} onClick={() => setScheduleOf(b)}>Schedule</button>
                    {b.status !== 'cancelled' && can('bookings.cancel') && <> · <button className="link danger" aria-label={`Cancel booking ${b.booking_code}`} onClick={() => setCancelling(b)}>Cancel</button></>}
                  </span>
                </td>
                <td data-label="Delivery" className="narrow-hide nowrap">{day(b.delivery_date)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      {list.data && <Pager offset={offset} nextOffset={list.data.next_offset} pageSize={PAGE} onPage={setOffset} />}
      <ProjectInventory />
    </>
  );
}
