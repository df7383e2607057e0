import { useEffect, useMemo, useRef, useState } from 'react';
import { send } from '../api/client.js';
import { allUnits, type Unit } from '../api/units.js';
import { ExportButton } from '../components/ExportButton.js';
import { RecordPicker } from '../components/RecordPicker.js';
import { Badge, Card, Empty, ErrorBanner, Field, Loading, Notice } from '../components/ui.js';
import { useAsync } from '../components/useAsync.js';
import { amount, amountOf, required, useForm } from '../components/useForm.js';
import { day, instant, label, money, number, today } from '../format.js';
import { useCan, useSession } from '../store/session.js';

// SPEC §10 and issue 15: a project's units as people in this trade read them — towers
// side by side, floors as rows (top floor first), each unit a cell coloured by its
// status — with the counts per type above, and a unit's history and actions beside.

const STATUSES = ['available', 'held', 'booked', 'sold', 'blocked'] as const;

/** "1 d 4 h left", "35 min left": what a hold has left. */
export function timeLeft(until: string | null, now = Date.now()): string {
  if (!until) return '';
  const ms = Date.parse(until) - now;
  if (ms <= 0) return 'ended';
  const min = Math.floor(ms / 60_000);
  if (min < 60) return `${min} min left`;
  const h = Math.floor(min / 60);
  return h < 24 ? `${h} h left` : `${Math.floor(h / 24)} d ${h % 24} h left`;
}

/** A tower's heading: `A` is "Tower A"; a name of its own ("Tower B", "Villas") is shown as it is. */
const towerTitle = (tower: string) => (tower.length <= 3 ? `Tower ${tower}` : tower);

export function Inventory() {
  const can = useCan();
  const manager = can('units.create');
  const inventory = useAsync(() => send('inventory.list', { limit: 500 }), []);
  const projects = useMemo(() => [...new Set((inventory.data?.items ?? []).map((i) => i.project_name).filter(Boolean))], [inventory.data]);
  const [project, setProject] = useState('');
  useEffect(() => {
    if (!project && projects.length) setProject(projects[0]!);
  }, [project, projects]);
  const [selected, setSelected] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const units = useAsync(async () => (project ? allUnits({ project_name: project }) : []), [project]);
  const counts = useAsync(() => (project ? send('reports.inventory', { project_name: project }) : Promise.resolve([])), [project]);
  const reload = (message?: string) => {
    if (message) setNotice(message);
    units.reload();
    counts.reload();
    inventory.reload();
  };

  const towers = useMemo(() => {
    const byTower = new Map<string, Map<number, Unit[]>>();
    for (const u of units.data ?? []) {
      let floors = byTower.get(u.tower);
      if (!floors) byTower.set(u.tower, (floors = new Map()));
      let row = floors.get(u.floor);
      if (!row) floors.set(u.floor, (row = []));
      row.push(u);
    }
    return [...byTower].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
      .map(([tower, floors]) => ({ tower, floors: [...floors].sort(([a], [b]) => b - a) }));
  }, [units.data]);

  return (
    <>
      <header className="page-head">
        <h1>Inventory</h1>
        <div className="actions">
          {projects.length > 0 && (
            <select aria-label="Project" value={project} onChange={(e) => (setProject(e.target.value), setSelected(null))}>
              {projects.map((p) => <option key={p}>{p}</option>)}
            </select>
          )}
          <ExportButton name="inventory" filters={{ project_name: project }} label="Export counts" />
          <ExportButton name="units" label="Export units" />
          {manager && project && <button className="primary" onClick={() => setAdding(true)}>Add a tower</button>}
        </div>
      </header>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBanner error={inventory.error ?? units.error ?? counts.error} onRetry={() => reload()} />
      {adding && (
        <AddTower
          project={project}
          types={(inventory.data?.items ?? []).filter((i) => i.project_name === project).map((i) => i.unit_type)}
          onCancel={() => setAdding(false)}
          onDone={(m) => (setAdding(false), reload(m))}
        />
      )}
      {counts.data && counts.data.length > 0 && (
        <div className="table-scroll">
        <table className="data compact counts" aria-label="Units by type and status">
          <thead><tr><th>Type</th>{STATUSES.map((s) => <th key={s} className="num">{label(s)}</th>)}<th className="num">Total</th><th className="num">List value</th><th className="num">Sold for</th></tr></thead>
          <tbody>
            {counts.data.map((c) => (
              <tr key={c.unit_type}>
                <td>{c.unit_type}</td>
                {STATUSES.map((s) => <td key={s} className="num">{number(c[s])}</td>)}
                <td className="num">{number(c.total_units)}</td><td className="num">{money(c.list_value)}</td><td className="num">{money(c.sales_value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      {project && <Stages project={project} manager={manager} />}
      <ul className="legend" aria-label="Legend">
        {STATUSES.map((s) => <li key={s}><span className={`swatch unit-${s}`} aria-hidden />{label(s)}</li>)}
      </ul>
      <div className="inventory-body">
        {units.loading && !units.data ? <Loading what="Loading units" /> : !project ? (
          <Empty title="No projects in the inventory yet.">Add a project's unit types under Bookings → Unit inventory, then its towers here.</Empty>
        ) : towers.length === 0 ? (
          <Empty title={`No units in ${project} yet.`}>{manager ? 'Add a tower: its floors and units per floor, numbered for you.' : 'A manager adds the towers and units.'}</Empty>
        ) : (
          <div className="towers">
            {towers.map(({ tower, floors }) => (
              <section key={tower} className="tower" aria-label={tower ? towerTitle(tower) : 'No tower'}>
                <h2>{tower ? towerTitle(tower) : 'Units'}</h2>
                <table className="unit-grid">
                  <tbody>
                    {floors.map(([floor, row]) => (
                      <tr key={floor}>
                        <th scope="row" title={`Floor ${floor}`}>{floor < 0 ? `B${-floor}` : floor}</th>
                        <td><div className="cells">{row.map((u) => (
                            <button
                              key={u.id}
                              className={`unit unit-${u.status}${selected === u.id ? ' selected' : ''}`}
                              aria-label={`Unit ${u.unit_number}, ${u.unit_type}, ${u.status}${u.status === 'held' ? `, ${timeLeft(u.hold_until)}` : ''}`}
                              title={`${u.unit_number} · ${u.unit_type} · ${label(u.status)}${u.status === 'held' ? ` · ${timeLeft(u.hold_until)}` : ''}`}
                              onClick={() => setSelected(u.id)}
                            >
                              {u.unit_number}
                              {u.status === 'held' && <small>{timeLeft(u.hold_until).replace(' left', '')}</small>}
                            </button>
                        ))}</div></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            ))}
          </div>
        )}
        {selected && <UnitPanel key={selected} id={selected} manager={manager} onClose={() => setSelected(null)} onChanged={reload} />}
      </div>
    </>
  );
}

function UnitPanel({ id, manager, onClose, onChanged }: { id: string; manager: boolean; onClose: () => void; onChanged: (message: string) => void }) {
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

function AddTower({ project, types, onCancel, onDone }: { project: string; types: string[]; onCancel: () => void; onDone: (message: string) => void }) {
  const form = useForm({ tower: '', unit_type: types[0] ?? '', floor_from: '1', floor_to: '10', units_per_floor: '4', numbering: '{floor}{unit:02}', list_price: '', carpet_area_sqft: '' }, (v) => ({
    unit_type: required(v.unit_type),
    floor_from: /^-?\d+$/.test(v.floor_from) ? undefined : 'must be a whole number',
    floor_to: /^-?\d+$/.test(v.floor_to) ? (Number(v.floor_to) < Number(v.floor_from) ? 'must be at least the first floor' : undefined) : 'must be a whole number',
    units_per_floor: /^[1-9]\d*$/.test(v.units_per_floor) ? undefined : 'must be 1 or more',
    list_price: amount(v.list_price, { optional: true }),
    carpet_area_sqft: v.carpet_area_sqft === '' || Number(v.carpet_area_sqft) > 0 ? undefined : 'must be greater than 0',
  }));
  const { values: v, set, errors } = form;
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
        <Field label="Tower" hint="Empty when the project has none">{(id) => <input id={id} value={v.tower} onChange={(e) => set('tower', e.target.value)} />}</Field>
        <Field label="Unit type" error={errors.unit_type}>{(id) => <select id={id} value={v.unit_type} onChange={(e) => set('unit_type', e.target.value)}>{types.map((t) => <option key={t}>{t}</option>)}</select>}</Field>
        <Field label="First floor" error={errors.floor_from}>{(id) => <input id={id} inputMode="numeric" value={v.floor_from} onChange={(e) => set('floor_from', e.target.value)} />}</Field>
        <Field label="Last floor" error={errors.floor_to}>{(id) => <input id={id} inputMode="numeric" value={v.floor_to} onChange={(e) => set('floor_to', e.target.value)} />}</Field>
        <Field label="Units per floor" error={errors.units_per_floor}>{(id) => <input id={id} inputMode="numeric" value={v.units_per_floor} onChange={(e) => set('units_per_floor', e.target.value)} />}</Field>
        <Field label="Numbering" hint="{floor}{unit:02} makes 101, 102 … 1004">{(id) => <input id={id} value={v.numbering} onChange={(e) => set('numbering', e.target.value)} />}</Field>
        <Field label="List price" error={errors.list_price}>{(id) => <input id={id} inputMode="decimal" value={v.list_price} onChange={(e) => set('list_price', e.target.value)} />}</Field>
        <Field label="Carpet area (sq ft)" error={errors.carpet_area_sqft}>{(id) => <input id={id} inputMode="decimal" value={v.carpet_area_sqft} onChange={(e) => set('carpet_area_sqft', e.target.value)} />}</Field>
        <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Add units</button></div>
      </form>
    </Card>
  );
}

/** SPEC §10: a project's construction stages; completing one dates the instalments tied to it. */
function Stages({ project, manager }: { project: string; manager: boolean }) {
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
