import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip } from 'chart.js';
import { type ReactNode } from 'react';
import { send } from '../../api/client.js';
import { DrillNumber, DrillPanel } from '../../components/DrillDown.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ReportHead, useReportScope } from '../../components/ReportScope.js';
import { ErrorBanner, Kpi, Loading } from '../../components/ui.js';
import { useAsync } from '../../components/useAsync.js';
import { money, number, percent, today } from '../../format.js';
import { Funnel, Sources } from './FunnelReports.js';
import { BookingStatuses, CampaignRoi, UnitInventory } from './SalesReports.js';
import { SiteVisits, TimeInStage } from './ActivityReports.js';

// Reports (SPEC §5, §7): the KPI dashboard, then each report as a chart and a table,
// every number opening the records behind it, every table exportable.

ChartJS.register(CategoryScale, LinearScale, BarElement, Tooltip, Legend);

export function Reports() {
  // The dashboard, bookings and inventory of one project, or of them all.
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
