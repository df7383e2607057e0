import { useState } from 'react';
import { send } from '../api/client.js';
import { DocumentButton } from '../components/DocumentButton.js';
import { allUnits } from '../api/units.js';
import type { Output } from '../api/types.js';
import { ExportButton } from '../components/ExportButton.js';
import { RecordPicker } from '../components/RecordPicker.js';
import { Badge, Card, Empty, ErrorBanner, Field, Loading, Notice, Pager } from '../components/ui.js';
import { useAsync } from '../components/useAsync.js';
import { amount, amountOf, DATE_RE, optional, required, useForm } from '../components/useForm.js';
import { day, label, money, number, today } from '../format.js';
import { useCan, useSession } from '../store/session.js';

const PAGE = 25;
type Booking = Output<'bookings.list'>['items'][number];

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
      <Inventory />
    </>
  );
}

function BookUnit({ lead: given = null, onCancel, onDone }: { lead?: { id: string; title: string } | null; onCancel: () => void; onDone: (message: string) => void }) {
  const [lead, setLead] = useState<{ id: string; title: string } | null>(given);
  // Project, type and unit come from the inventory where it knows them (SPEC §3, §10):
  // lists, not free text; a type sold by unit is booked by picking the unit.
  const inventory = useAsync(() => send('inventory.list', { limit: 500 }), []);
  const items = inventory.data?.items ?? [];
  const soldByUnit = (project: string, unitType: string) => Boolean(items.find((i) => i.project_name === project && i.unit_type === unitType)?.by_unit);
  const form = useForm(
    { booking_amount: '', booking_date: today(), project_name: '', unit_type: '', unit_id: '', units_booked: '1', delivery_date: '', notes: '', payment_plan_id: '' },
    (v) => ({
      lead: lead ? undefined : 'pick the lead who is booking',
      booking_amount: amount(v.booking_amount, { positive: true, optional: v.unit_id !== '' }),
      booking_date: DATE_RE.test(v.booking_date) ? undefined : 'is required',
      units_booked: /^[1-9]\d*$/.test(v.units_booked) ? undefined : 'must be 1 or more',
      unit_id: soldByUnit(v.project_name, v.unit_type) && !v.unit_id ? 'pick the unit' : undefined,
    }),
  );
  const { values: v, set, errors } = form;
  const projects = [...new Set(items.map((i) => i.project_name))];
  const types = items.filter((i) => i.project_name === v.project_name);
  const byUnit = soldByUnit(v.project_name, v.unit_type);
  const units = useAsync(
    // Every unit free to book: those available, and any held for this lead (a tower may hold more than a page).
    async () => (byUnit ? { items: [...await allUnits({ project_name: v.project_name, unit_type: v.unit_type, status: 'available' }), ...await allUnits({ project_name: v.project_name, unit_type: v.unit_type, status: 'held' })] } : null),
    [byUnit, v.project_name, v.unit_type],
  );
  // SPEC §10: the plans for the project (or any), and the chosen one's instalments in rupees.
  const plans = useAsync(() => send('plans.list', { project_name: v.project_name || undefined, active: true, limit: 500 }).then((p) => p.items), [v.project_name]);
  const plan = plans.data?.find((p) => p.id === v.payment_plan_id);
  const free = (units.data?.items ?? []).filter((u) => u.status === 'available' || (u.status === 'held' && u.hold_lead_id === lead?.id));
  const unit = free.find((u) => u.id === v.unit_id);
  const save = () =>
    form.submit(async (x) => {
      const count = byUnit ? 1 : Number(x.units_booked);
      const r = await send('leads.book', {
        id: lead!.id, booking_amount: amountOf(x.booking_amount), booking_date: x.booking_date,
        ...(x.payment_plan_id ? { payment_plan_id: x.payment_plan_id } : {}),
        ...(byUnit ? { unit_id: x.unit_id } : { project_name: optional(x.project_name), unit_type: optional(x.unit_type), unit_count: count, units_booked: count }),
        delivery_date: optional(x.delivery_date), notes: optional(x.notes),
      });
      onDone(`Booked ${r.booking.booking_code} for ${lead!.title}${unit ? ` (unit ${unit.tower ? `${unit.tower}-` : ''}${unit.unit_number})` : ''}: invoice ${r.ledger_entry.ledger_code} of ${money(r.booking.booking_amount)} raised.`);
    });
  return (
    <Card title="Book a unit" actions={<button className="link" onClick={onCancel}>Close</button>}>
      <ErrorBanner error={form.failure ?? inventory.error} />
      <form className="grid" aria-label="Book a unit" onSubmit={(e) => (e.preventDefault(), void save())}>
        <div className={`field wide${errors.lead ? ' invalid' : ''}`}>
          <RecordPicker kind="lead" label="Lead" value={lead} onPick={(o) => (setLead(o), form.set('notes', v.notes))} />
          {errors.lead && <p className="field-error" role="alert">{errors.lead}</p>}
        </div>
        {items.length > 0 ? (
          <>
            <Field label="Project" error={errors.project_name}>{(id) => (
              <select id={id} value={v.project_name} onChange={(e) => (set('project_name', e.target.value), set('unit_type', ''), set('unit_id', ''))}>
                <option value="">— choose —</option>
                {projects.map((p) => <option key={p} value={p}>{p || '(no project)'}</option>)}
              </select>
            )}</Field>
            <Field label="Unit type" error={errors.unit_type}>{(id) => (
              <select id={id} value={v.unit_type} onChange={(e) => (set('unit_type', e.target.value), set('unit_id', ''))}>
                <option value="">— choose —</option>
                {types.map((t) => <option key={t.unit_type} value={t.unit_type}>{t.unit_type} ({number(t.units_available)} free)</option>)}
              </select>
            )}</Field>
          </>
        ) : (
          <>
            <Field label="Project" error={errors.project_name}>{(id) => <input id={id} value={v.project_name} onChange={(e) => set('project_name', e.target.value)} />}</Field>
            <Field label="Unit type" error={errors.unit_type}>{(id) => <input id={id} value={v.unit_type} onChange={(e) => set('unit_type', e.target.value)} />}</Field>
          </>
        )}
        {byUnit ? (
          <Field label="Unit" error={errors.unit_id}>{(id) => (
            <select id={id} value={v.unit_id} onChange={(e) => set('unit_id', e.target.value)}>
              <option value="">— choose —</option>
              {free.map((u) => <option key={u.id} value={u.id}>{u.tower ? `${u.tower} · ` : ''}{u.unit_number}{u.status === 'held' ? ' (held for this lead)' : ''}{u.list_price !== null ? ` · ${money(u.list_price)}` : ''}</option>)}
            </select>
          )}</Field>
        ) : (
          <Field label="Units" error={errors.units_booked}>{(id) => <input id={id} inputMode="numeric" value={v.units_booked} onChange={(e) => set('units_booked', e.target.value)} />}</Field>
        )}
        <Field label="Booking amount" error={errors.booking_amount} hint={unit?.list_price != null ? `List price ${money(unit.list_price)} when empty` : undefined}>{(id) => <input id={id} inputMode="decimal" value={v.booking_amount} onChange={(e) => set('booking_amount', e.target.value)} />}</Field>
        <Field label="Payment plan" error={errors.payment_plan_id} hint={plan ? undefined : 'None: the whole amount falls due on the booking date'}>{(id) => (
          <select id={id} value={v.payment_plan_id} onChange={(e) => set('payment_plan_id', e.target.value)}>
            <option value="">— none —</option>
            {(plans.data ?? []).map((p) => <option key={p.id} value={p.id}>{p.plan_name} ({p.plan_code})</option>)}
          </select>
        )}</Field>
        {plan && <PlanPreview plan={plan} amount={amountOf(v.booking_amount) ?? unit?.list_price ?? 0} bookingDate={v.booking_date} project={v.project_name} />}
        <Field label="Booking date" error={errors.booking_date}>{(id) => <input id={id} type="date" value={v.booking_date} onChange={(e) => set('booking_date', e.target.value)} />}</Field>
        <Field label="Delivery date" error={errors.delivery_date}>{(id) => <input id={id} type="date" value={v.delivery_date} onChange={(e) => set('delivery_date', e.target.value)} />}</Field>
        <Field label="Booking notes" error={errors.notes} wide>{(id) => <textarea id={id} value={v.notes} onChange={(e) => set('notes', e.target.value)} />}</Field>
        <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Book unit</button></div>
      </form>
    </Card>
  );
}

type Plan = Output<'plans.list'>['items'][number];

/** A plan's instalments for this booking, in rupees, as the server will make them (the paisa below on each, the rest on the last; stages already complete dated). */
function PlanPreview({ plan, amount, bookingDate, project }: { plan: Plan; amount: number; bookingDate: string; project: string }) {
  const valid = amount > 0 && Number.isFinite(amount) && Math.round(amount * 100) === amount * 100;
  const preview = useAsync(
    () => (valid ? send('plans.preview', { plan_id: plan.id, booking_amount: amount, ...(project ? { project_name: project } : {}), ...(bookingDate ? { booking_date: bookingDate } : {}) }) : Promise.resolve(null)),
    [plan.id, amount, bookingDate, project],
  );
  const rows = preview.data ?? plan.instalments.map((i, n) => ({ seq: n + 1, label: i.label, percent: i.percent, amount: null as number | null, due_date: null as string | null, stage: null as string | null, due: i.due }));
  const when = (r: (typeof rows)[number], n: number) => {
    if (r.due_date) return day(r.due_date);
    const due = plan.instalments[n]?.due;
    return due && typeof due === 'object' && 'stage' in due ? `when ${due.stage} is complete` : '—';
  };
  return (
    <div className="field wide">
      <ErrorBanner error={preview.error} onRetry={preview.reload} />
      <table className="data compact" aria-label="Instalments of the plan">
        <thead><tr><th>Instalment</th><th className="num">%</th><th className="num">Amount</th><th>Due</th></tr></thead>
        <tbody>{rows.map((r, n) => <tr key={r.seq}><td>{r.label}</td><td className="num">{number(r.percent, 2)}</td><td className="num">{r.amount === null ? '—' : money(r.amount)}</td><td>{when(r, n)}</td></tr>)}</tbody>
      </table>
    </div>
  );
}

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

/** SPEC §10 cancellation: what was received, the most that can be paid back and the balance it leaves, before the user commits. */
function CancelBooking({ booking, onCancel, onDone }: { booking: Booking; onCancel: () => void; onDone: (message: string) => void }) {
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
  const { values: v, set, errors } = form;
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
        <Field label="Reason" error={errors.cancellation_reason} wide>{(id) => <input id={id} value={v.cancellation_reason} onChange={(e) => set('cancellation_reason', e.target.value)} />}</Field>
        <Field label="Forfeiture" error={errors.forfeiture_amount} hint="Retained of the booking amount">{(id) => <input id={id} inputMode="decimal" value={v.forfeiture_amount} onChange={(e) => set('forfeiture_amount', e.target.value)} />}</Field>
        <Field label="Refund now" error={errors.refund_amount} hint={terms.data ? `Up to ${money(most / 100)}` : undefined}>{(id) => <input id={id} inputMode="decimal" value={v.refund_amount} onChange={(e) => set('refund_amount', e.target.value)} />}</Field>
        <Field label="Cancellation date" error={errors.cancellation_date}>{(id) => <input id={id} type="date" value={v.cancellation_date} onChange={(e) => set('cancellation_date', e.target.value)} />}</Field>
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

function Inventory() {
  const can = useCan();
  const list = useAsync(() => send('inventory.list', { limit: 500 }), []);
  const form = useForm({ project_name: '', unit_type: '', total_units: '' }, (v) => ({
    unit_type: required(v.unit_type),
    total_units: /^\d+$/.test(v.total_units) ? undefined : 'must be a whole number',
  }));
  const { values: v, set, errors } = form;
  return (
    <Card title="Unit inventory" className="inventory">
      <ErrorBanner error={list.error ?? form.failure} onRetry={list.reload} />
      {list.data?.items.length ? (
        <table className="data compact" aria-label="Unit inventory">
          <thead><tr><th>Project</th><th>Unit type</th><th className="num">Total</th><th className="num">Available</th><th>Site</th></tr></thead>
          <tbody>
            {list.data.items.map((i) => (
              <tr key={i.id}>
                <td>{i.project_name || '—'}</td><td>{i.unit_type}</td><td className="num">{number(i.total_units)}</td><td className="num">{number(i.units_available)}</td>
                <td>{i.site_latitude === null ? '—' : `${i.site_latitude}, ${i.site_longitude} · ${i.site_radius_m} m`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : list.data ? <Empty title="No inventory kept.">Add a unit type to have bookings checked against it.</Empty> : <Loading />}
      {can('inventory.create') && <form className="inline-form" aria-label="Add unit type" onSubmit={(e) => (e.preventDefault(), void form.submit((x) => send('inventory.create', { project_name: x.project_name || undefined, unit_type: x.unit_type, total_units: Number(x.total_units) })).then((ok) => ok && (form.reset(), list.reload())))}>
        <Field label="Inventory project" error={errors.project_name}>{(id) => <input id={id} value={v.project_name} onChange={(e) => set('project_name', e.target.value)} />}</Field>
        <Field label="Inventory unit type" error={errors.unit_type}>{(id) => <input id={id} value={v.unit_type} onChange={(e) => set('unit_type', e.target.value)} />}</Field>
        <Field label="Total units" error={errors.total_units}>{(id) => <input id={id} inputMode="numeric" value={v.total_units} onChange={(e) => set('total_units', e.target.value)} />}</Field>
        <button type="submit" className="secondary" disabled={form.busy}>Add unit type</button>
      </form>}
      {can('inventory.setSite') && <ProjectSite projects={[...new Set(list.data?.items.map((i) => i.project_name).filter(Boolean))]} onSaved={list.reload} />}
    </Card>
  );
}

/** Issue 8: a project's site centre and radius, against which site visits are checked. */
function ProjectSite({ projects, onSaved }: { projects: string[]; onSaved: () => void }) {
  const form = useForm({ project_name: '', site_latitude: '', site_longitude: '', site_radius_m: '500' }, (v) => ({
    project_name: required(v.project_name),
    site_latitude: Math.abs(Number(v.site_latitude)) <= 90 && v.site_latitude !== '' ? undefined : 'must be between -90 and 90',
    site_longitude: Math.abs(Number(v.site_longitude)) <= 180 && v.site_longitude !== '' ? undefined : 'must be between -180 and 180',
    site_radius_m: /^\d+$/.test(v.site_radius_m) ? undefined : 'must be whole metres',
  }));
  const { values: v, set, errors } = form;
  if (!projects.length) return null;
  const save = () => form.submit((x) => send('inventory.setSite', {
    project_name: x.project_name, site_latitude: Number(x.site_latitude), site_longitude: Number(x.site_longitude), site_radius_m: Number(x.site_radius_m),
  })).then((ok) => ok && (form.reset(), onSaved()));
  return (
    <form className="inline-form" aria-label="Set project site" onSubmit={(e) => (e.preventDefault(), void save())}>
      <Field label="Site of project" error={errors.project_name}>
        {(id) => <select id={id} value={v.project_name} onChange={(e) => set('project_name', e.target.value)}><option value="">—</option>{projects.map((p) => <option key={p}>{p}</option>)}</select>}
      </Field>
      <Field label="Site latitude" error={errors.site_latitude}>{(id) => <input id={id} inputMode="decimal" value={v.site_latitude} onChange={(e) => set('site_latitude', e.target.value)} />}</Field>
      <Field label="Site longitude" error={errors.site_longitude}>{(id) => <input id={id} inputMode="decimal" value={v.site_longitude} onChange={(e) => set('site_longitude', e.target.value)} />}</Field>
      <Field label="Radius (m)" error={errors.site_radius_m}>{(id) => <input id={id} inputMode="numeric" value={v.site_radius_m} onChange={(e) => set('site_radius_m', e.target.value)} />}</Field>
      <button type="submit" className="secondary" disabled={form.busy}>Set site</button>
    </form>
  );
}
