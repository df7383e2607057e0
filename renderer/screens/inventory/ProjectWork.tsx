import { useState } from 'react';
import { send } from '../../api/client.js';
import { Badge, Card, Empty, ErrorBanner, Field, Loading, Notice, TextField } from '../../components/ui.js';
import { useAsync } from '../../components/useAsync.js';
import { amount, amountOf, required, useForm } from '../../components/useForm.js';
import { day, number, today } from '../../format.js';
import { towerTitle } from './Inventory.js';

// A project's building work: a tower of units added at once, and its construction stages.

export function AddTower({ project, types, onCancel, onDone }: { project: string; types: string[]; onCancel: () => void; onDone: (message: string) => void }) {
  const form = useForm({ tower: '', unit_type: types[0] ?? '', floor_from: '1', floor_to: '10', units_per_floor: '4', numbering: '{floor}{unit:02}', list_price: '', carpet_area_sqft: '' }, (v) => ({
    unit_type: required(v.unit_type),
    floor_from: /^-?\d+$/.test(v.floor_from) ? undefined : 'must be a whole number',
    floor_to: /^-?\d+$/.test(v.floor_to) ? (Number(v.floor_to) < Number(v.floor_from) ? 'must be at least the first floor' : undefined) : 'must be a whole number',
    units_per_floor: /^[1-9]\d*$/.test(v.units_per_floor) ? undefined : 'must be 1 or more',
    list_price: amount(v.list_price, { optional: true }),
    carpet_area_sqft: v.carpet_area_sqft === '' || Number(v.carpet_area_sqft) > 0 ? undefined : 'must be greater than 0',
  }));
  const { bind, errors } = form;
  const save = () => form.submit(async (x) => {
    const r = await send('units.createMany', {
      project_name: project, tower: x.tower, unit_type: x.unit_type, floor_from: Number(x.floor_from), floor_to: Number(x.floor_to),
      units_per_floor: Number(x.units_per_floor), numbering: x.numbering, list_price: amountOf(x.list_price),
      carpet_area_sqft: x.carpet_area_sqft ? Number(x.carpet_area_sqft) : undefined,
    });
    onDone(`Added ${r.created} unit${r.created === 1 ? '' : 's'} to ${project}${x.tower ? ` ${towerTitle(x.tower)}` : ''}: ${r.units[0]?.unit_number} … ${r.units.at(-1)?.unit_number}.`);
  });
  return (
    <Card title={`Add a tower to ${project}`} actions={<button className="link" onClick={onCancel}>Close</button>}>
      <ErrorBanner error={form.failure} />
      <form className="grid" aria-label="Add a tower" onSubmit={(e) => (e.preventDefault(), void save())}>
        <Field label="Tower" hint="Empty when the project has none">{(id) => <input id={id} {...bind('tower')} />}</Field>
        <Field label="Unit type" error={errors.unit_type}>{(id) => <select id={id} {...bind('unit_type')}>{types.map((t) => <option key={t}>{t}</option>)}</select>}</Field>
        <TextField label="First floor" error={errors.floor_from} inputMode="numeric" {...bind('floor_from')} />
        <TextField label="Last floor" error={errors.floor_to} inputMode="numeric" {...bind('floor_to')} />
        <TextField label="Units per floor" error={errors.units_per_floor} inputMode="numeric" {...bind('units_per_floor')} />
        <Field label="Numbering" hint="{floor}{unit:02} makes 101, 102 … 1004">{(id) => <input id={id} {...bind('numbering')} />}</Field>
        <TextField label="List price" error={errors.list_price} inputMode="decimal" {...bind('list_price')} />
        <TextField label="Carpet area (sq ft)" error={errors.carpet_area_sqft} inputMode="decimal" {...bind('carpet_area_sqft')} />
        <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Add units</button></div>
      </form>
    </Card>
  );
}

/** SPEC §10: a project's construction stages; completing one dates the instalments tied to it. */
export function Stages({ project, manager }: { project: string; manager: boolean }) {
  const stages = useAsync(() => send('stages.list', { project_name: project, limit: 500 }).then((p) => p.items), [project]);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [on, setOn] = useState(today());
  // Completing a stage dates its instalments and cannot be undone: asked once more.
  const [confirming, setConfirming] = useState<{ id: string; stage: string } | null>(null);
  const form = useForm({ stage: '' }, (v) => ({ stage: required(v.stage) }));
  const complete = async (id: string, stage: string) => {
    setConfirming(null);
    setFailure(null);
    try {
      const r = await send('stages.complete', { id, completed_on: on });
      setMessage(`${stage} completed on ${day(on)}: ${number(r.instalments_dated)} instalment${r.instalments_dated === 1 ? '' : 's'} now fall${r.instalments_dated === 1 ? 's' : ''} due.`);
      stages.reload();
    } catch (e) {
      setFailure(e);
    }
  };
  return (
    <Card title={`Construction stages — ${project}`} className="stages">
      <ErrorBanner error={(stages.error ?? failure ?? form.failure) as never} onRetry={stages.reload} />
      {message && <Notice>{message}</Notice>}
      {confirming && (
        <div className="confirm" role="alertdialog" aria-label={`Complete ${confirming.stage}`}>
          <p>Complete <strong>{confirming.stage}</strong> on {day(on)}? Every instalment tied to it falls due {day(on)} plus the demand notice days; this cannot be undone.</p>
          <button className="primary" onClick={() => void complete(confirming.id, confirming.stage)}>Yes, complete {confirming.stage}</button>
          <button className="link" onClick={() => setConfirming(null)}>Cancel</button>
        </div>
      )}
      {manager && stages.data && stages.data.some((x) => !x.completed_on) && (
        <div className="inline-form">
          <Field label="Completion date">{(id) => <input id={id} type="date" value={on} max={today()} onChange={(e) => e.target.value && setOn(e.target.value)} />}</Field>
          <span className="hint">the day a stage below is marked complete</span>
        </div>
      )}
      {!stages.data ? <Loading /> : stages.data.length === 0 ? <Empty title="No stages yet.">Add the stages your payment plans are tied to (Plinth, Roof slab, Possession…).</Empty> : (
        <ul className="stage-list" aria-label="Construction stages">
          {stages.data.map((s) => (
            <li key={s.id}>
              <strong>{s.stage}</strong> {s.completed_on ? <Badge value={`completed ${day(s.completed_on)}`} tone="good" /> : manager ? (
                <button className="link" onClick={() => (setMessage(null), setConfirming({ id: s.id, stage: s.stage }))}>Complete on {day(on)}</button>
              ) : <span className="muted">in progress</span>}
            </li>
          ))}
        </ul>
      )}
      {manager && (
        <form className="inline-form" aria-label="Add a stage" onSubmit={(e) => (e.preventDefault(), void form.submit((x) => send('stages.create', { project_name: project, stage: x.stage })).then((ok) => ok && (form.reset(), stages.reload())))}>
          <Field label="New stage" error={form.errors.stage}>{(id) => <input id={id} value={form.values.stage} onChange={(e) => form.set('stage', e.target.value)} />}</Field>
          <button type="submit" className="secondary" disabled={form.busy}>Add stage</button>
        </form>
      )}
    </Card>
  );
}
