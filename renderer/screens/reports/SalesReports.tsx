import { send } from '../../api/client.js';
import { rowFigures } from '../../components/DrillDown.js';
import { ExportButton } from '../../components/ExportButton.js';
import { Card, Empty, ErrorBanner, Loading } from '../../components/ui.js';
import { ReportCard } from './ReportCard.js';
import { useAsync } from '../../components/useAsync.js';
import { label, money, number, percent, roi } from '../../format.js';

// What is booked and sold: bookings by status, units by type and status, and each campaign's return.

export function BookingStatuses({ project }: { project: string }) {
  const filters = project ? { project_name: project } : {};
  const b = useAsync(() => send('reports.bookings', filters), [project]);
  return (
    <Card title={project ? `Bookings by status — ${project}` : 'Bookings by status'} actions={<ExportButton name="bookings" filters={filters} />}>
      <ErrorBanner error={b.error} onRetry={b.reload} />
      {!b.data ? <Loading /> : (
        <div className="cards">
          {b.data.map((r) => (
            <article key={r.status} className={`mini status-${r.status}`} aria-label={`Bookings ${r.status}`}>
              <h3>{label(r.status)}</h3>
              <strong>{number(r.booking_count)}</strong>
              <dl>
                <div><dt>Total</dt><dd>{money(r.total_amount)}</dd></div>
                <div><dt>Units</dt><dd>{number(r.units_booked)}</dd></div>
                <div><dt>Average</dt><dd>{money(r.average_amount)}</dd></div>
              </dl>
            </article>
          ))}
        </div>
      )}
    </Card>
  );
}

/** Units by type and status with their value, per project. */
export function UnitInventory({ project }: { project: string }) {
  const filters = project ? { project_name: project } : {};
  const u = useAsync(() => send('reports.inventory', filters), [project]);
  const statuses = ['available', 'held', 'booked', 'sold', 'blocked'] as const;
  return (
    <ReportCard title={project ? `Unit inventory — ${project}` : 'Unit inventory'} name="inventory" filters={filters} state={u} empty={<Empty title="No units yet.">Add a project's towers on the Inventory screen.</Empty>}>{(rows) => (
      <div className="table-scroll">
        <table className="data compact" aria-label="Unit inventory by type and status">
          <thead>
            <tr>
              {!project && <th>Project</th>}<th>Type</th>
              {statuses.map((s) => <th key={s} className="num">{label(s)}</th>)}
              <th className="num">Total</th><th className="num narrow-hide">List value</th><th className="num">To sell</th><th className="num">Sold for</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.project_name}\u0000${r.unit_type}`}>
                {!project && <td>{r.project_name}</td>}<td>{r.unit_type}</td>
                {statuses.map((s) => <td key={s} className="num">{number(r[s])}</td>)}
                <td className="num">{number(r.total_units)}</td><td className="num narrow-hide">{money(r.list_value)}</td>
                <td className="num">{money(r.unsold_value)}</td><td className="num">{money(r.sales_value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}</ReportCard>
  );
}

export function CampaignRoi() {
  const c = useAsync(() => send('reports.campaignPerformance', {}), []);
  type Row = NonNullable<typeof c.data>[number];
  const fig = rowFigures<Row>('campaign-performance', (r) => ({ row: r.campaign_id, name: r.campaign_name }));
  return (
    <ReportCard title="Campaign ROI" name="campaign-performance" state={c} empty={<Empty title="No campaigns yet." />}>{(rows) => (
      <div className="table-scroll">
      <table className="data" aria-label="Campaign ROI">
        <thead><tr><th>Campaign</th><th className="num">Budget</th><th className="num">Leads</th><th className="num">Cost per lead</th><th className="num">Conversion</th><th className="num">Booked</th><th className="num">Expected ROI</th><th className="num">Actual ROI</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.campaign_id}>
              <td><strong className="cell-clip" title={r.campaign_name}>{r.campaign_name}</strong><small>{r.campaign_code} · {label(r.status)}</small></td>
              <td className="num">{money(r.budget)}</td>
              <td className="num">{fig(r, 'total_leads', 'Leads', number(r.total_leads))}</td>
              <td className="num">{fig(r, 'cost_per_lead', 'Cost per lead', money(r.cost_per_lead))}</td>
              <td className="num">{fig(r, 'conversion_rate', 'Conversion', percent(r.conversion_rate))}</td>
              <td className="num">{fig(r, 'booked_amount', 'Booked', money(r.booked_amount))}</td>
              <td className="num">{roi(r.expected_roi)}</td>
              <td className="num"><strong className={r.actual_roi >= (r.expected_roi ?? 0) ? 'up' : 'down'}>{fig(r, 'actual_roi', 'Actual ROI', roi(r.actual_roi))}</strong></td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    )}</ReportCard>
  );
}
