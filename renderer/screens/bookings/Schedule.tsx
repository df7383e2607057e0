import { send } from '../../api/client.js';
import { DocumentButton } from '../../components/DocumentButton.js';
import { Card, ErrorBanner, Loading } from '../../components/ui.js';
import { useAsync } from '../../components/useAsync.js';
import { day, money } from '../../format.js';
import type { Booking } from './Bookings.js';

/** A booking's instalments as of today: paid, due and overdue of each (SPEC §10). */
export function Schedule({ booking, onClose }: { booking: Booking; onClose?: () => void }) {
  const s = useAsync(() => send('bookings.schedule', { id: booking.id }), [booking.id]);
  return (
    <Card title={`Schedule of ${booking.booking_code}`} actions={<>
      {booking.status !== 'cancelled' && <DocumentButton label="Demand letter (PDF)" make={() => send('documents.demandLetter', { booking_id: booking.id })} />}
      {onClose && <button className="link" onClick={onClose}>Close</button>}
    </>}>
      <ErrorBanner error={s.error} onRetry={s.reload} />
      {!s.data ? <Loading /> : (
        <div className="table-scroll">
          <table className="data compact" aria-label={`Instalments of ${booking.booking_code}`}>
            <thead><tr><th>#</th><th>Instalment</th><th>Due</th><th className="num">Amount</th><th className="num">Paid</th><th className="num">Due now</th><th className="num">Overdue</th></tr></thead>
            <tbody>
              {s.data.items.map((i) => (
                <tr key={i.id} className={i.status === 'cancelled' ? 'muted' : undefined}>
                  <td>{i.seq}</td>
                  <td>{i.label}{i.status === 'cancelled' && <small>cancelled</small>}</td>
                  <td>{i.due_date ? day(i.due_date) : i.stage ? `when ${i.stage} is complete` : '—'}</td>
                  <td className="num">{money(i.amount)}</td><td className="num">{money(i.paid)}</td><td className="num">{money(i.due)}</td>
                  <td className="num">{i.overdue ? <strong className="down">{money(i.overdue)} · {i.days_overdue} d</strong> : '—'}</td>
                </tr>
              ))}
            </tbody>
            <tfoot><tr><td colSpan={3}>Total</td><td className="num">{money(s.data.totals.amount)}</td><td className="num">{money(s.data.totals.paid)}</td><td className="num">{money(s.data.totals.due)}</td><td className="num">{money(s.data.totals.overdue)}</td></tr></tfoot>
          </table>
        </div>
      )}
    </Card>
  );
}
