import { useState } from 'react';
import { Bar } from 'react-chartjs-2';
import { send } from '../../api/client.js';
import type { Output } from '../../api/types.js';
import { DrillNumber, rowFigures } from '../../components/DrillDown.js';
import { ExportButton } from '../../components/ExportButton.js';
import { Card, Empty, ErrorBanner, Loading } from '../../components/ui.js';
import { ReportCard } from './ReportCard.js';
import { useAsync } from '../../components/useAsync.js';
import { label, number, percent } from '../../format.js';

// Where leads come from and how far they get: the funnel by month, and each source's performance.

type FunnelRow = Output<'reports.funnel'>[number];
const FUNNEL_COLUMNS: [keyof FunnelRow, string][] = [
  ['month', 'Month'], ['total_leads', 'New'], ['contacted', 'Contacted'], ['qualified', 'Qualified'], ['negotiation', 'Negotiation'],
  ['converted', 'Converted'], ['lost', 'Lost'], ['conversion_rate', 'Conv. Rate'],
];

export function Funnel({ asOf }: { asOf: string }) {
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

export function Sources() {
  const s = useAsync(() => send('reports.sourcePerformance', {}), []);
  type Row = NonNullable<typeof s.data>[number];
  const fig = rowFigures<Row>('source-performance', (r) => ({ row: r.source_id ?? '', name: r.source_name }));
  return (
    <ReportCard title="Source performance" name="source-performance" state={s} empty={<Empty title="No lead sources yet." />}>{(rows) => (
      <div className="cards">
        {rows.map((r) => (
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
    )}</ReportCard>
  );
}
