import { send } from '../../api/client.js';
import { Card, ErrorBanner, Field, TextField } from '../../components/ui.js';
import { useAsync } from '../../components/useAsync.js';
import { amount, amountOf, DATE_RE, required, useForm } from '../../components/useForm.js';
import { money, today } from '../../format.js';
import type { Booking } from './Bookings.js';

/** SPEC §10 cancellation: what was received, the most that can be paid back and the balance it leaves, before the user commits. */
export function CancelBooking({ booking, onCancel, onDone }: { booking: Booking; onCancel: () => void; onDone: (message: string) => void }) {
  const terms = useAsync(() => send('bookings.cancelPreview', { id: booking.id }), [booking.id]);
  const form = useForm({ cancellation_reason: '', forfeiture_amount: '', refund_amount: '', cancellation_date: today() }, (v) => {
    const received = terms.data?.received ?? 0;
    const forfeiture = amountOf(v.forfeiture_amount) ?? 0;
    return {
      cancellation_reason: required(v.cancellation_reason),
      forfeiture_amount: amount(v.forfeiture_amount, { optional: true }) ?? (forfeiture > booking.booking_amount ? `must not exceed ${money(booking.booking_amount)}` : undefined),
      refund_amount: amount(v.refund_amount, { optional: true }) ?? (toPaise(v.refund_amount) > maxRefund(received, forfeiture) ? `must not exceed ${money(maxRefund(received, forfeiture) / 100)}` : undefined),
      cancellation_date: DATE_RE.test(v.cancellation_date) ? undefined : 'is required',
    };
  });
  const { values: v, set, bind, errors } = form;
  const received = terms.data?.received ?? 0;
  const most = maxRefund(received, amountOf(v.forfeiture_amount) ?? 0);
  // The customer then owes forfeiture − received + refunded on this booking (paise, so the sum is exact).
  const leaves = (toPaise(v.forfeiture_amount) - Math.round(received * 100) + toPaise(v.refund_amount)) / 100;
  const save = () =>
    form.submit(async (x) => {
      const r = await send('bookings.cancel', {
        id: booking.id, cancellation_reason: x.cancellation_reason, cancellation_date: x.cancellation_date,
        forfeiture_amount: amountOf(x.forfeiture_amount) ?? 0, refund_amount: amountOf(x.refund_amount) ?? 0,
        // Based on the booking as the list showed it: one changed meanwhile (cancelled elsewhere) is refused, not cancelled twice.
        expected_updated_at: booking.updated_at,
      });
      onDone(`Booking ${booking.booking_code} cancelled; ${r.balance_after === 0 ? 'nothing is owed on it' : r.balance_after < 0 ? `${money(-r.balance_after)} is still to be paid back` : `${money(r.balance_after)} is still owed`}.`);
    });
  return (
    <Card title={`Cancel booking ${booking.booking_code}`} actions={<button className="link" onClick={onCancel}>Keep booking</button>}>
      <ErrorBanner error={form.failure ?? terms.error} onRetry={terms.reload} />
      <dl className="ratios" aria-label="Cancellation terms">
        <div><dt>Booking amount</dt><dd>{money(booking.booking_amount)}</dd></div>
        <div><dt>Received on it</dt><dd>{terms.data ? money(received) : '…'}</dd></div>
        <div><dt>Most that can be paid back</dt><dd>{terms.data ? money(most / 100) : '…'}</dd></div>
        <div><dt>Balance it leaves</dt><dd>{terms.data ? (leaves === 0 ? money(0) : leaves < 0 ? `${money(-leaves)} to pay back` : `${money(leaves)} owed`) : '…'}</dd></div>
      </dl>
      <form className="grid" aria-label="Cancel booking" onSubmit={(e) => (e.preventDefault(), void save())}>
        <TextField label="Reason" error={errors.cancellation_reason} wide {...bind('cancellation_reason')} />
        <TextField label="Forfeiture" error={errors.forfeiture_amount} hint="Retained of the booking amount" inputMode="decimal" {...bind('forfeiture_amount')} />
        <Field label="Refund now" error={errors.refund_amount} hint={terms.data ? `Up to ${money(most / 100)}` : undefined}>{(id) => <input id={id} inputMode="decimal" {...bind('refund_amount')} />}</Field>
        <TextField label="Cancellation date" error={errors.cancellation_date} type="date" {...bind('cancellation_date')} />
        <div className="form-actions">
          {terms.data && most > 0 && <button type="button" className="secondary" onClick={() => set('refund_amount', (most / 100).toFixed(2))}>Refund {money(most / 100)}</button>}
          <button type="submit" className="danger" disabled={form.busy || !terms.data}>Cancel booking</button>
        </div>
      </form>
    </Card>
  );
}

/** A typed amount in paise (0 when empty or not a number: the field's own check names it). */
const toPaise = (s: string) => Math.round((amountOf(s) ?? 0) * 100);
/** Received less forfeiture, in paise, never below 0. */
const maxRefund = (received: number, forfeiture: number) => Math.max(0, Math.round(received * 100) - Math.round(forfeiture * 100));
