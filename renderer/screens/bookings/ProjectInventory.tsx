import { send } from '../../api/client.js';
import { Card, Empty, ErrorBanner, Field, Loading, TextField } from '../../components/ui.js';
import { useAsync } from '../../components/useAsync.js';
import { required, useForm } from '../../components/useForm.js';
import { number } from '../../format.js';
import { useCan } from '../../store/session.js';

// The unit types of each project and how many are free, and each project's site.

export function ProjectInventory() {
  const can = useCan();
  const list = useAsync(() => send('inventory.list', { limit: 500 }), []);
  const form = useForm({ project_name: '', unit_type: '', total_units: '' }, (v) => ({
    unit_type: required(v.unit_type),
    total_units: /^\d+$/.test(v.total_units) ? undefined : 'must be a whole number',
  }));
  const { bind, errors } = form;
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
        <TextField label="Inventory project" error={errors.project_name} {...bind('project_name')} />
        <TextField label="Inventory unit type" error={errors.unit_type} {...bind('unit_type')} />
        <TextField label="Total units" error={errors.total_units} inputMode="numeric" {...bind('total_units')} />
        <button type="submit" className="secondary" disabled={form.busy}>Add unit type</button>
      </form>}
      {can('inventory.setSite') && <ProjectSite projects={[...new Set(list.data?.items.map((i) => i.project_name).filter(Boolean))]} onSaved={list.reload} />}
    </Card>
  );
}

/** A project's site centre and radius, against which site visits are checked. */
function ProjectSite({ projects, onSaved }: { projects: string[]; onSaved: () => void }) {
  const form = useForm({ project_name: '', site_latitude: '', site_longitude: '', site_radius_m: '500' }, (v) => ({
    project_name: required(v.project_name),
    site_latitude: Math.abs(Number(v.site_latitude)) <= 90 && v.site_latitude !== '' ? undefined : 'must be between -90 and 90',
    site_longitude: Math.abs(Number(v.site_longitude)) <= 180 && v.site_longitude !== '' ? undefined : 'must be between -180 and 180',
    site_radius_m: /^\d+$/.test(v.site_radius_m) ? undefined : 'must be whole metres',
  }));
  const { bind, errors } = form;
  if (!projects.length) return null;
  const save = () => form.submit((x) => send('inventory.setSite', {
    project_name: x.project_name, site_latitude: Number(x.site_latitude), site_longitude: Number(x.site_longitude), site_radius_m: Number(x.site_radius_m),
  })).then((ok) => ok && (form.reset(), onSaved()));
  return (
    <form className="inline-form" aria-label="Set project site" onSubmit={(e) => (e.preventDefault(), void save())}>
      <Field label="Site of project" error={errors.project_name}>
        {(id) => <select id={id} {...bind('project_name')}><option value="">—</option>{projects.map((p) => <option key={p}>{p}</option>)}</select>}
      </Field>
      <TextField label="Site latitude" error={errors.site_latitude} inputMode="decimal" {...bind('site_latitude')} />
      <TextField label="Site longitude" error={errors.site_longitude} inputMode="decimal" {...bind('site_longitude')} />
      <TextField label="Radius (m)" error={errors.site_radius_m} inputMode="numeric" {...bind('site_radius_m')} />
      <button type="submit" className="secondary" disabled={form.busy}>Set site</button>
    </form>
  );
}
