import { useState } from 'react';
import { send } from '../../api/client.js';
import { ExportButton } from '../../components/ExportButton.js';
import { Card, Empty, ErrorBanner, Loading } from '../../components/ui.js';
import { ReportCard } from './ReportCard.js';
import { useAsync } from '../../components/useAsync.js';
import { label, number, percent } from '../../format.js';

// How leads move and who meets them: time in each stage, and site visits by staff member.

const days = (d: number | null) => (d === null ? '—' : `${d.toLocaleString(undefined, { maximumFractionDigits: 1 })} d`);

/** How long leads take to reach each stage and how long they wait in it (median · 90th percentile). */
export function TimeInStage({ asOf }: { asOf: string }) {
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

/** Site visits per staff member in the last 90 days, with how many were off site. */
export function SiteVisits({ asOf }: { asOf: string }) {
  const from = new Date(Date.parse(`${asOf}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);
  const filters = { from, to: asOf };
  const v = useAsync(() => send('reports.siteVisits', filters), [asOf]);
  return (
    <ReportCard title="Site visits by staff — 90 days" name="site-visits" filters={filters} state={v} empty={<Empty title="No site visits in these 90 days." />}>{(rows) => (
      <div className="table-scroll">
      <table className="data" aria-label="Site visits by staff">
        <thead><tr><th>Visited by</th><th className="num">Visits</th><th className="num">With GPS</th><th className="num">Checked</th><th className="num">Off site</th><th className="num">Off-site share</th><th className="num">Mean accuracy</th><th className="num">Positive</th></tr></thead>
        <tbody>
          {rows.map((r) => (
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
    )}</ReportCard>
  );
}
