import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip } from 'chart.js';
import { useState, type ReactNode } from 'react';
import { Bar } from 'react-chartjs-2';
import { send } from '../api/client.js';
import type { Output } from '../api/types.js';
import { DrillNumber, DrillPanel } from '../components/DrillDown.js';
import { ExportButton } from '../components/ExportButton.js';
import { ReportHead, useReportScope } from '../components/ReportScope.js';
import { Card, Empty, ErrorBanner, Kpi, Loading } from '../components/ui.js';
import { useAsync } from '../components/useAsync.js';
import { label, money, number, percent, roi, today } from '../format.js';

ChartJS.register(CategoryScale, LinearScale, BarElement, Tooltip, Legend);

export function Reports() {
  // Issue 15: the dashboard, bookings and inventory of one project, or of them all.
  const scope = useReportScope();
  const { asOf, project, projects, filters } = scope;
  return (
    <>
      <ReportHead title="Reports" scope={scope} />
      {project && <p className="hint">Figures of {project}: its bookings, the customers who booked in it and their money, and the leads who held or booked one of its units. The lead funnel, sources and campaigns below are of every project.</p>}
      <Dashboard asOf={asOf} project={project} />
      <Funnel asOf={asOf} />
      <Sources />
      <BookingStatuses project={project} />
      {projects.length > 0 && <UnitInventory project={project} />}
      <CampaignRoi />
      <TimeInStage asOf={asOf} />
      <SiteVisits asOf={asOf} />
      <DrillPanel />
      <p className="hint">Every figure counts records dated on or before {asOf}. <ExportButton name="dashboard" filters={filters} label="Export dashboard CSV" /></p>
    </>
  );
}

function Dashboard({ asOf, project }: { asOf: string; project: string }) {
  const d = useAsync(() => send('reports.dashboard', { as_of: asOf, ...(project ? { project_name: project } : {}) }), [asOf, project]);
  if (d.error) return <ErrorBanner error={d.error} onRetry={d.reload} />;
  if (!d.data) return <Loading what="Working out the dashboard" />;
  const k = d.data;
  const trend = k.conversion_rate_trend;
  /** A dashboard figure that opens its records (the whole tenant's: a project's figures are shown as they are). */
  const fig = (column: keyof typeof k, title: string, text: string) => project ? text : <DrillNumber request={{ report: 'dashboard', column, as_of: asOf, title }}>{text}</DrillNumber>;
  // Instalments are listed as they stand now: their figures open for today or a later day only.
  const dues = (drillable: ReactNode, text: string) => (asOf >= today() ? drillable : text);
  return (
    <section aria-label="Dashboard">
      <div className="kpis">
        <Kpi
          title="Total Leads"
          value={fig('total_leads', 'Total Leads', number(k.total_leads))}
          detail={<>{fig('active_leads', 'Active leads', number(k.active_leads))} active · {fig('qualified_leads', 'Qualified leads', number(k.qualified_leads))} qualified · {fig('converted_leads', 'Converted leads', number(k.converted_leads))} converted</>}
        />
        <Kpi
          title="Conversion Rate"
          value={fig('conversion_rate', 'Conversion Rate', percent(k.conversion_rate))}
          detail={<span className={trend > 0 ? 'up' : trend < 0 ? 'down' : ''}>{trend > 0 ? '▲' : trend < 0 ? '▼' : '■'} {number(Math.abs(trend), 2)} pts vs last month's cohort</span>}
        />
        <Kpi
          title="Active Customers"
          value={fig('active_customers', 'Active Customers', number(k.active_customers))}
          detail={<>{fig('total_bookings', 'Bookings', number(k.total_bookings))} bookings of {fig('customer_count', 'Customers', number(k.customer_count))} customers</>}
        />
        <Kpi title="Outstanding Balance" value={fig('outstanding_balance', 'Outstanding Balance', money(k.outstanding_balance))} detail={<>{fig('booked_amount', 'Booked amount', money(k.booked_amount))} booked</>} accent />
        <Kpi
          title="Due & Unpaid"
          value={dues(fig('due_to_date', 'Due & unpaid', money(k.due_to_date)), money(k.due_to_date))}
          detail={<>{dues(fig('overdue_amount', 'Overdue', money(k.overdue_amount)), money(k.overdue_amount))} of it overdue · {dues(fig('collection_efficiency', 'Collection efficiency', percent(k.collection_efficiency)), percent(k.collection_efficiency))} of this month's instalments so far collected</>}
          warn={k.overdue_amount > 0}
        />
        <Kpi title="Engagements This Month" value={fig('engagements_this_month', 'Engagements This Month', number(k.engagements_this_month))} detail={`${number(k.engagement_rate, 2)} per active lead`} />
        <Kpi title="Pending Follow-ups" value={fig('pending_follow_ups', 'Pending Follow-ups', number(k.pending_follow_ups))} detail={<>{fig('overdue_follow_ups', 'Overdue follow-ups', number(k.overdue_follow_ups))} overdue</>} warn={k.overdue_follow_ups > 0} />
        <Kpi title="Stale Leads" value={fig('stale_leads', 'Stale Leads', number(k.stale_leads))} detail="idle longer than their stage allows" warn={k.stale_leads > 0} />
      </div>
      <dl className="ratios">
        <div><dt>Lead quality</dt><dd>{fig('lead_quality', 'Lead quality', percent(k.lead_quality))}</dd></div>
        <div><dt>Booking rate</dt><dd>{fig('booking_rate', 'Booking rate', percent(k.booking_rate))}</dd></div>
        <div><dt>Payment collection</dt><dd>{fig('payment_collection', 'Payment collection', percent(k.payment_collection))}</dd></div>
        <div><dt>Customer LTV</dt><dd>{fig('customer_ltv', 'Customer LTV', money(k.customer_ltv))}</dd></div>
        <div><dt>Invoiced</dt><dd>{fig('total_invoiced', 'Invoiced', money(k.total_invoiced))}</dd></div>
        <div><dt>Paid</dt><dd>{fig('total_paid', 'Paid', money(k.total_paid))}</dd></div>
      </dl>
    </section>
  );
}


type FunnelRow = Output<'reports.funnel'>[number];
const FUNNEL_COLUMNS: [keyof FunnelRow, string][] = [
  ['month', 'Month'], ['total_leads', 'New'], ['contacted', 'Contacted'], ['qualified', 'Qualified'], ['negotiation', 'Negotiation'],
  ['converted', 'Converted'], ['lost', 'Lost'], ['conversion_rate', 'Conv. Rate'],
];

function Funnel({ asOf }: { asOf: string }) {
  const f = useAsync(() => send('reports.funnel', { as_of: asOf }), [asOf]);
  const [sort, setSort] = useState<{ key: keyof FunnelRow; desc: boolean }>({ key: 'month', desc: false });
  const rows = [...(f.data ?? [])].sort((a, b) => {
    const x = a[sort.key];
    const y = b[sort.key];
    const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sort.desc ? -cmp : cmp;
  });
  const toggle = (key: keyof FunnelRow) => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key !== 'month' }));
  return (
    <Card title="Lead funnel — 12 months" actions={<ExportButton name="funnel" filters={{ as_of: asOf }} />}>
      <ErrorBanner error={f.error} onRetry={f.reload} />
      {!f.data ? <Loading /> : (
        <div className="funnel">
          <div className="table-scroll">
          <table className="data" aria-label="Lead funnel">
            <thead>
              <tr>
                {FUNNEL_COLUMNS.map(([key, title]) => (
                  <th key={key} className={key === 'month' ? '' : 'num'} aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                    <button className="sort" onClick={() => toggle(key)}>{title}{sort.key === key ? (sort.desc ? ' ▼' : ' ▲') : ''}</button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.month}>
                  <td>{r.month}</td>
                  {FUNNEL_COLUMNS.slice(1, -1).map(([key, title]) => (
                    <td key={key} className="num">
                      <DrillNumber request={{ report: 'funnel', column: key, row: r.month, as_of: asOf, title: `${title} — ${r.month}` }}>{number(r[key] as number)}</DrillNumber>
                    </td>
                  ))}
                  <td className="num"><strong><DrillNumber request={{ report: 'funnel', column: 'conversion_rate', row: r.month, as_of: asOf, title: `Conversion — ${r.month}` }}>{percent(r.conversion_rate)}</DrillNumber></strong></td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
          <div className="chart">
            <Bar
              aria-label="Funnel chart"
              role="img"
              data={{
                labels: f.data.map((r) => r.month),
                datasets: [
                  { label: 'New', data: f.data.map((r) => r.total_leads), backgroundColor: '#cbd5e1' },
                  { label: 'Qualified', data: f.data.map((r) => r.qualified), backgroundColor: '#818cf8' },
                  { label: 'Converted', data: f.data.map((r) => r.converted), backgroundColor: '#16a34a' },
                  { label: 'Lost', data: f.data.map((r) => r.lost), backgroundColor: '#f87171' },
                ],
              }}
              options={{ responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: 'bottom' } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }}
            />
          </div>
        </div>
      )}
    </Card>
  );
}

function Sources() {
  const s = useAsync(() => send('reports.sourcePerformance', {}), []);
  type Row = NonNullable<typeof s.data>[number];
  const fig = (r: Row, column: keyof Row, title: string, text: string) => (
    <DrillNumber request={{ report: 'source-performance', column, row: r.source_id ?? '', title: `${title} — ${r.source_name}` }}>{text}</DrillNumber>
  );
  return (
    <Card title="Source performance" actions={<ExportButton name="source-performance" />}>
      <ErrorBanner error={s.error} onRetry={s.reload} />
      {!s.data ? <Loading /> : s.data.length === 0 ? <Empty title="No lead sources yet." /> : (
        <div className="cards">
          {s.data.map((r) => (
            <article key={r.source_id ?? 'none'} className="mini" aria-label={`Source ${r.source_name}`}>
              <h3>{r.source_name}</h3>
              <p className="meta">{[r.subsource_name, r.channel].filter(Boolean).join(' · ') || label(r.source_type)}</p>
              <strong>{fig(r, 'conversion_rate', 'Conversion', percent(r.conversion_rate))}</strong>
              <dl>
                <div><dt>Leads</dt><dd>{fig(r, 'total_leads', 'Leads', number(r.total_leads))}</dd></div>
                <div><dt>Qualified</dt><dd>{fig(r, 'qualified_leads', 'Qualified', number(r.qualified_leads))}</dd></div>
                <div><dt>Converted</dt><dd>{fig(r, 'converted_leads', 'Converted', number(r.converted_leads))}</dd></div>
                <div><dt>Lost</dt><dd>{fig(r, 'lost_leads', 'Lost', number(r.lost_leads))}</dd></div>
              </dl>
            </article>
          ))}
        </div>
      )}
    </Card>
  );
}

function BookingStatuses({ project }: { project: string }) {
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

/** Issue 15: units by type and status with their value, per project. */
function UnitInventory({ project }: { project: string }) {
  const filters = project ? { project_name: project } : {};
  const u = useAsync(() => send('reports.inventory', filters), [project]);
  const statuses = ['available', 'held', 'booked', 'sold', 'blocked'] as const;
  return (
    <Card title={project ? `Unit inventory — ${project}` : 'Unit inventory'} actions={<ExportButton name="inventory" filters={filters} />}>
      <ErrorBanner error={u.error} onRetry={u.reload} />
      {!u.data ? <Loading /> : u.data.length === 0 ? <Empty title="No units yet.">Add a project's towers on the Inventory screen.</Empty> : (
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
              {u.data.map((r) => (
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
      )}
    </Card>
  );
}

function CampaignRoi() {
  const c = useAsync(() => send('reports.campaignPerformance', {}), []);
  type Row = NonNullable<typeof c.data>[number];
  const fig = (r: Row, column: keyof Row, title: string, text: string) => (
    <DrillNumber request={{ report: 'campaign-performance', column, row: r.campaign_id, title: `${title} — ${r.campaign_name}` }}>{text}</DrillNumber>
  );
  return (
    <Card title="Campaign ROI" actions={<ExportButton name="campaign-performance" />}>
      <ErrorBanner error={c.error} onRetry={c.reload} />
      {!c.data ? <Loading /> : c.data.length === 0 ? <Empty title="No campaigns yet." /> : (
        <div className="table-scroll">
        <table className="data" aria-label="Campaign ROI">
          <thead><tr><th>Campaign</th><th className="num">Budget</th><th className="num">Leads</th><th className="num">Cost per lead</th><th className="num">Conversion</th><th className="num">Booked</th><th className="num">Expected ROI</th><th className="num">Actual ROI</th></tr></thead>
          <tbody>
            {c.data.map((r) => (
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
      )}
    </Card>
  );
}

const days = (d: number | null) => (d === null ? '—' : `${d.toLocaleString(undefined, { maximumFractionDigits: 1 })} d`);

/** Issue 8: how long leads take to reach each stage and how long they wait in it (median · 90th percentile). */
function TimeInStage({ asOf }: { asOf: string }) {
  const [group, setGroup] = useState<'all' | 'source' | 'campaign'>('all');
  const t = useAsync(() => send('reports.stageTiming', { as_of: asOf }), [asOf]);
  const rows = t.data?.filter((r) => r.group === group) ?? [];
  return (
    <Card
      title="Time in stage"
      actions={
        <>
          <select aria-label="Group time in stage by" value={group} onChange={(e) => setGroup(e.target.value as typeof group)}>
            <option value="all">All leads</option><option value="source">By source</option><option value="campaign">By campaign</option>
          </select>
          <ExportButton name="stage-timing" filters={{ as_of: asOf }} />
        </>
      }
    >
      <ErrorBanner error={t.error} onRetry={t.reload} />
      {!t.data ? <Loading /> : rows.length === 0 ? <Empty title="No leads yet." /> : (
        <div className="table-scroll">
        <table className="data" aria-label="Time in stage">
          <thead><tr>{group !== 'all' && <th>{group === 'source' ? 'Source' : 'Campaign'}</th>}<th>Stage</th><th className="num">Reached</th><th className="num">Days to reach (median · p90)</th><th className="num">In stage</th><th className="num">Days in stage (median · p90)</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.group_id ?? ''}:${r.stage}`}>
                {group !== 'all' && <td>{r.group_name}</td>}
                <td>{label(r.stage)}</td>
                {/* Every lead starts as New: it is not reached, it is where the clock starts (issue 18: "New: reached 0"). */}
                <td className="num">{r.stage === 'new' ? <span className="muted" title="Every lead starts here">start</span> : number(r.leads_reached)}</td>
                <td className="num">{r.stage !== 'new' && r.leads_reached ? `${days(r.median_days_to_reach)} · ${days(r.p90_days_to_reach)}` : '—'}</td>
                <td className="num">{number(r.leads_in_stage)}</td>
                <td className="num">{r.leads_in_stage ? `${days(r.median_days_in_stage)} · ${days(r.p90_days_in_stage)}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </Card>
  );
}

/** Issue 8: site visits per staff member in the last 90 days, with how many were off site. */
function SiteVisits({ asOf }: { asOf: string }) {
  const from = new Date(Date.parse(`${asOf}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);
  const filters = { from, to: asOf };
  const v = useAsync(() => send('reports.siteVisits', filters), [asOf]);
  return (
    <Card title="Site visits by staff — 90 days" actions={<ExportButton name="site-visits" filters={filters} />}>
      <ErrorBanner error={v.error} onRetry={v.reload} />
      {!v.data ? <Loading /> : v.data.length === 0 ? <Empty title="No site visits in these 90 days." /> : (
        <div className="table-scroll">
        <table className="data" aria-label="Site visits by staff">
          <thead><tr><th>Visited by</th><th className="num">Visits</th><th className="num">With GPS</th><th className="num">Checked</th><th className="num">Off site</th><th className="num">Off-site share</th><th className="num">Mean accuracy</th><th className="num">Positive</th></tr></thead>
          <tbody>
            {v.data.map((r) => (
              <tr key={r.visited_by ?? ''}>
                <td>{r.visited_by ?? '(not recorded)'}</td>
                <td className="num">{number(r.visits)}</td>
                <td className="num">{number(r.located)}</td>
                <td className="num">{number(r.judged)}</td>
                <td className="num">{number(r.off_site)}</td>
                <td className="num"><strong className={r.off_site_share > 10 ? 'down' : ''}>{percent(r.off_site_share)}</strong></td>
                <td className="num">{r.mean_accuracy_m === null ? '—' : `±${number(r.mean_accuracy_m, 1)} m`}</td>
                <td className="num">{number(r.positive)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </Card>
  );
}
