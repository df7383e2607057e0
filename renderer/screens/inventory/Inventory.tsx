import { useEffect, useMemo, useState } from 'react';
import { send } from '../../api/client.js';
import { allUnits, type Unit } from '../../api/units.js';
import { ExportButton } from '../../components/ExportButton.js';
import { Empty, ErrorBanner, Loading, Notice } from '../../components/ui.js';
import { useAsync } from '../../components/useAsync.js';
import { label, money, number } from '../../format.js';
import { useCan } from '../../store/session.js';
import { unitStatuses } from '../../../db/schema/enums.js';
import { UnitPanel } from './UnitPanel.js';
import { AddTower, Stages } from './ProjectWork.js';

// SPEC §10: a project's units as people in this trade read them — towers
// side by side, floors as rows (top floor first), each unit a cell coloured by its
// status — with the counts per type above, and a unit's history and actions beside.


/** Statuses as the screen shows them: from free to taken (the schema lists them the other way). */
const SHOWN = [...unitStatuses].reverse();

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
export const towerTitle = (tower: string) => (tower.length <= 3 ? `Tower ${tower}` : tower);

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
          <thead><tr><th>Type</th>{SHOWN.map((s) => <th key={s} className="num">{label(s)}</th>)}<th className="num">Total</th><th className="num">List value</th><th className="num">Sold for</th></tr></thead>
          <tbody>
            {counts.data.map((c) => (
              <tr key={c.unit_type}>
                <td>{c.unit_type}</td>
                {SHOWN.map((s) => <td key={s} className="num">{number(c[s])}</td>)}
                <td className="num">{number(c.total_units)}</td><td className="num">{money(c.list_value)}</td><td className="num">{money(c.sales_value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      {project && <Stages project={project} manager={manager} />}
      <ul className="legend" aria-label="Legend">
        {SHOWN.map((s) => <li key={s}><span className={`swatch unit-${s}`} aria-hidden />{label(s)}</li>)}
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
