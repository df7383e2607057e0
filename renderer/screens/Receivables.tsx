import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip } from 'chart.js';
import { Bar } from 'react-chartjs-2';
import { send } from '../api/client.js';
import { DrillNumber, DrillPanel } from '../components/DrillDown.js';
import { ExportButton } from '../components/ExportButton.js';
import type { Output } from '../api/types.js';
import { ReportHead, useReportScope } from '../components/ReportScope.js';
import { Card, Empty, ErrorBanner, Kpi, Loading } from '../components/ui.js';
import { useAsync } from '../components/useAsync.js';
import { day, money, moneyShort, number, percent, phone, today } from '../format.js';
import { useSession } from '../store/session.js';

ChartJS.register(CategoryScale, LinearScale, BarElement, Tooltip, Legend);

// SPEC §10 receivables: what customers owe, what is late and by how long (aging), and
// how well each month's instalments were collected.

const BUCKETS: [string, string][] = [['d0_30', '1–30'], ['d31_60', '31–60'], ['d61_90', '61–90'], ['d91_180', '91–180'], ['d181_plus', '181+']];

type AgingRow = Output<'reports.receivablesAging'>[number];

/** A row's figures, each opening the instalments (or receipts) it is made of — as they stand now, so only for today or a later day. */
function AgingCells({ row, filters, drillable }: { row: AgingRow; filters: { as_of: string; project_name?: string }; drillable: boolean }) {
  const who = row.customer_id ? String(row.name) : 'all customers';
  const drill = (column: string, title: string, value: number, blank = false) => (blank && !value ? '—' : !drillable ? money(value) : (
    <DrillNumber request={{ report: 'receivables-aging', column, row: (row.customer_id as string | null) ?? '', ...filters, title: `${title} — ${who}` }}>{money(value)}</DrillNumber>
  ));
  // Most wanted first: what is late and how late; then what fell due and what of it was paid.
  return (
    <>
      <td className="num"><strong>{drill('overdue_total', 'Overdue', row.overdue_total as number)}</strong></td>
      {BUCKETS.map(([k, l]) => <td key={k} className="num">{drill(k, `Overdue ${l}`, row[k] as number, true)}</td>)}
      <td className="num">{drill('due_to_date', 'Due to date', row.due_to_date as number)}</td>
      <td className="num wide-only">{drill('received_against_due', 'Paid of what is due', row.received_against_due as number)}</td>
      <td className="num wide-only">{drill('contract_value', 'Contract value', row.contract_value as number)}</td>
      <td className="wide-only">{row.next_due_date ? `${day(row.next_due_date as string)} · ${money(row.next_due_amount as number)}` : '—'}</td>
    </>
  );
}

export function Receivables() {
  const scope = useReportScope();
  const { asOf, project, filters } = scope;
  const go = useSession((s) => s.go);
  const aging = useAsync(() => send('reports.receivablesAging', filters), [asOf, project]);
  const collections = useAsync(() => send('reports.collections', { as_of: asOf }), [asOf]);
  const rows = aging.data ?? [];
  // Instalments are listed with what is paid of each now: their figures open for today or a later day.
  const drillable = asOf >= today();
  const total = rows.at(-1);
  const customers = rows.slice(0, -1).filter((r) => (r.overdue_total as number) > 0 || (r.not_due as number) > 0 || (r.outstanding_due as number) > 0)
    .sort((a, b) => (b.overdue_total as number) - (a.overdue_total as number));
  return (
    <>
      <ReportHead title="Receivables" scope={scope} />
      <DrillPanel />
      <ErrorBanner error={aging.error ?? collections.error} onRetry={() => (aging.reload(), collections.reload())} />
      {!aging.data ? <Loading what="Working out what is due" /> : (
        <>
          <section className="kpis" aria-label="Receivables totals">
            <Kpi title="Due to date" value={total && drillable ? <DrillNumber request={{ report: 'receivables-aging', column: 'due_to_date', row: '', ...filters, title: 'Due to date — all customers' }}>{money(total.due_to_date as number)}</DrillNumber> : money(total?.due_to_date as number)}
              detail={`${money(total?.received_against_due as number)} received against it`} />
            <Kpi title="Overdue" value={total && drillable ? <DrillNumber request={{ report: 'receivables-aging', column: 'overdue_total', row: '', ...filters, title: 'Overdue — all customers' }}>{money(total.overdue_total as number)}</DrillNumber> : money(total?.overdue_total as number)} detail={total?.oldest_overdue_date ? `oldest from ${day(total.oldest_overdue_date as string)}` : 'nothing late'} warn={(total?.overdue_total as number) > 0} />
            <Kpi title="Advance held" value={money(total?.advance as number)} detail={`${money(total?.not_due as number)} falls due later`} />
          </section>
          <Card title="Overdue by age" actions={<ExportButton name="receivables-aging" filters={filters} />}>
            <div className="chart">
              <Bar
                aria-label="Overdue by age chart"
                role="img"
                data={{ labels: BUCKETS.map(([, l]) => l), datasets: [{ label: 'Overdue', data: BUCKETS.map(([k]) => total?.[k] as number), backgroundColor: ['#fcd34d', '#fb923c', '#f97316', '#ea580c', '#b91c1c'] }] }}
                options={{ responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { callback: (v) => moneyShort(Number(v)) } } } }}
              />
            </div>
            {customers.length === 0 ? <Empty title="Nobody owes anything as of this day." /> : (
              <div className="table-scroll">
                <table className="data compact" aria-label="Receivables aging">
                  <thead>
                    <tr>
                      <th>Customer</th><th className="num">Overdue</th>
                      {BUCKETS.map(([k, l]) => <th key={k} className="num">{l}</th>)}
                      <th className="num">Due to date</th><th className="num wide-only">Paid of it</th><th className="num wide-only">Contract</th><th className="wide-only">Next due</th>
                    </tr>
                  </thead>
                  <tbody>
                    {customers.map((r) => (
                      <tr key={r.customer_id as string}>
                        <td><button className="link" onClick={() => go('ledger', (r.customer_code as string | null) ?? (r.customer_id as string))}>{r.name}</button><small>{r.customer_code}{r.phone ? ` · ${phone(r.phone as string)}` : ''}</small></td>
                        <AgingCells row={r} filters={filters} drillable={drillable} />
                      </tr>
                    ))}
                  </tbody>
                  {total && (
                    <tfoot>
                      <tr>
                        <th scope="row">All {number(rows.length - 1)} customers</th>
                        <AgingCells row={total} filters={filters} drillable={drillable} />
                      </tr>
                    </tfoot>
                  )}
                </table>
              </div>
            )}
          </Card>
        </>
      )}
      <Card title="Collections — 12 months" actions={<ExportButton name="collections" filters={{ as_of: asOf }} />}>
        {!collections.data ? <Loading /> : (
          <div className="table-scroll">
            <table className="data compact" aria-label="Collections">
              <thead><tr><th>Month</th><th className="num">Instalments due</th><th className="num">Amount due</th><th className="num">Received against them</th><th className="num">Efficiency</th><th className="num">Receipts in month</th></tr></thead>
              <tbody>
                {collections.data.map((m) => (
                  <tr key={m.month}>
                    <td>{m.month}</td>
                    {([['instalments_due', 'Instalments due', number(m.instalments_due)], ['amount_due', 'Amount due', money(m.amount_due)], ['received_against_due', 'Received against them', money(m.received_against_due)],
                      ['collection_efficiency', 'Collection efficiency', percent(m.collection_efficiency)], ['receipts', 'Receipts in month', money(m.receipts)]] as const).map(([column, title, text]) => (
                      <td key={column} className="num">{drillable ? <DrillNumber request={{ report: 'collections', column, row: m.month, as_of: asOf, title: `${title} — ${m.month}` }}>{text}</DrillNumber> : text}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}

