import { useState } from 'react';
import { send } from '../../api/client.js';
import { allUnits } from '../../api/units.js';
import type { Output } from '../../api/types.js';
import { RecordPicker } from '../../components/RecordPicker.js';
import { Card, ErrorBanner, Field, TextField } from '../../components/ui.js';
import { useAsync } from '../../components/useAsync.js';
import { amount, amountOf, DATE_RE, optional, useForm } from '../../components/useForm.js';
import { day, money, number, today } from '../../format.js';

export function BookUnit({ lead: given = null, onCancel, onDone }: { lead?: { id: string; title: string } | null; onCancel: () => void; onDone: (message: string) => void }) {
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
  const { values: v, set, bind, errors } = form;
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
            <TextField label="Project" error={errors.project_name} {...bind('project_name')} />
            <TextField label="Unit type" error={errors.unit_type} {...bind('unit_type')} />
          </>
        )}
        {byUnit ? (
          <Field label="Unit" error={errors.unit_id}>{(id) => (
            <select id={id} {...bind('unit_id')}>
              <option value="">— choose —</option>
              {free.map((u) => <option key={u.id} value={u.id}>{u.tower ? `${u.tower} · ` : ''}{u.unit_number}{u.status === 'held' ? ' (held for this lead)' : ''}{u.list_price !== null ? ` · ${money(u.list_price)}` : ''}</option>)}
            </select>
          )}</Field>
        ) : (
          <TextField label="Units" error={errors.units_booked} inputMode="numeric" {...bind('units_booked')} />
        )}
        <Field label="Booking amount" error={errors.booking_amount} hint={unit?.list_price != null ? `List price ${money(unit.list_price)} when empty` : undefined}>{(id) => <input id={id} inputMode="decimal" {...bind('booking_amount')} />}</Field>
        <Field label="Payment plan" error={errors.payment_plan_id} hint={plan ? undefined : 'None: the whole amount falls due on the booking date'}>{(id) => (
          <select id={id} {...bind('payment_plan_id')}>
            <option value="">— none —</option>
            {(plans.data ?? []).map((p) => <option key={p.id} value={p.id}>{p.plan_name} ({p.plan_code})</option>)}
          </select>
        )}</Field>
        {plan && <PlanPreview plan={plan} amount={amountOf(v.booking_amount) ?? unit?.list_price ?? 0} bookingDate={v.booking_date} project={v.project_name} />}
        <TextField label="Booking date" error={errors.booking_date} type="date" {...bind('booking_date')} />
        <TextField label="Delivery date" error={errors.delivery_date} type="date" {...bind('delivery_date')} />
        <Field label="Booking notes" error={errors.notes} wide>{(id) => <textarea id={id} {...bind('notes')} />}</Field>
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
