import { useState } from 'react';
import { send } from '../api/client.js';
import type { Input } from '../api/types.js';
import { ExportButton } from '../components/ExportButton.js';
import { Empty, ErrorBanner, Field, Loading, Notice, TextField, ChoiceField, FormCard } from '../components/ui.js';
import { attempt, useAsync } from '../components/useAsync.js';
import { amount, amountOf, optional, required, useForm } from '../components/useForm.js';
import { day, label, money, percent, roi } from '../format.js';
import { useCan } from '../store/session.js';

const TYPES = ['email', 'social', 'referral', 'event', 'digital', 'traditional', 'direct', 'outbound'] as const;
const STATUSES = ['active', 'inactive', 'completed', 'paused'] as const;

export function Campaigns() {
  const can = useCan();
  const list = useAsync(() => send('campaigns.list', { limit: 500 }), []);
  const perf = useAsync(() => send('reports.campaignPerformance', {}), []);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const byId = new Map(perf.data?.map((p) => [p.campaign_id, p]));
  const reload = () => (list.reload(), perf.reload());

  // The change names the copy it is based on: a campaign changed meanwhile is refused, the list shows it as it is.
  const setStatus = (c: { id: string; updated_at: string; campaign_name: string }, status: (typeof STATUSES)[number]) =>
    attempt(() => send('campaigns.update', { id: c.id, status, expected_updated_at: c.updated_at }), setNotice).then((ok) => (ok && setNotice(`${c.campaign_name} is now ${label(status)}.`), reload()));

  return (
    <>
      <header className="page-head">
        <h1>Campaigns</h1>
        <div className="actions">
          <ExportButton name="campaign-performance" />
          {can('campaigns.create') && <button className="primary" onClick={() => setCreating(true)}>New campaign</button>}
        </div>
      </header>
      {notice && <Notice>{notice}</Notice>}
      {creating && <NewCampaign onDone={(m) => (setCreating(false), m && setNotice(m), reload())} />}
      <ErrorBanner error={list.error ?? perf.error} onRetry={reload} />
      {list.loading && !list.data ? <Loading what="Loading campaigns" /> : list.data?.items.length === 0 ? (
        <Empty title="No campaigns yet.">Create one, then set it on leads to see its conversion and ROI.</Empty>
      ) : (
        <div className="table-scroll">
        <table className="data rows-stack" aria-label="Campaigns">
          <thead><tr><th>Campaign · type</th><th className="wide-only">Runs</th><th className="num mid-hide">Budget</th><th className="num">Leads · converted</th><th className="num">Booked</th><th className="num">ROI</th><th>Status</th></tr></thead>
          <tbody>
            {list.data?.items.map((c) => {
              const p = byId.get(c.id);
              return (
                <tr key={c.id}>
                  <td data-label="Campaign"><strong className="cell-clip" title={c.campaign_name}>{c.campaign_name}</strong><small>{c.campaign_code} · {label(c.campaign_type)}</small></td>
                  <td data-label="Runs" className="nowrap wide-only">{c.start_date ? <>{day(c.start_date)} –<br />{day(c.end_date)}</> : '—'}</td>
                  <td data-label="Budget" className="num mid-hide">{money(c.budget)}</td>
                  <td data-label="Leads · converted" className="num">{p?.total_leads ?? 0}<small>{p ? `${p.converted_leads} converted (${percent(p.conversion_rate)})` : ''}</small></td>
                  <td data-label="Booked" className="num">{money(p?.booked_amount ?? 0)}</td>
                  <td data-label="ROI" className="num" title={p?.actual_roi != null ? `${p.actual_roi}% return on the budget` : undefined}>{p ? roi(p.actual_roi) : '—'}</td>
                  <td data-label="Status">
                    <select aria-label={`Status of ${c.campaign_name}`} value={c.status} disabled={!can('campaigns.update')} onChange={(e) => void setStatus(c, e.target.value as (typeof STATUSES)[number])}>
                      {STATUSES.map((s) => <option key={s} value={s}>{label(s)}</option>)}
                    </select>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        </div>
      )}
    </>
  );
}

function NewCampaign({ onDone }: { onDone: (message?: string) => void }) {
  const form = useForm({ campaign_code: '', campaign_name: '', campaign_type: 'email', start_date: '', end_date: '', budget: '', expected_roi: '', assigned_to: '', description: '' }, (v) => ({
    campaign_code: required(v.campaign_code),
    campaign_name: required(v.campaign_name),
    budget: amount(v.budget, { optional: true }),
    end_date: v.start_date && v.end_date && v.end_date < v.start_date ? 'must be on or after the start date' : undefined,
    expected_roi: v.expected_roi && Number.isNaN(Number(v.expected_roi)) ? 'must be a number' : undefined,
  }));
  const { values: v, bind, errors } = form;
  const save = () =>
    form.submit((x) => {
      const body: Input<'campaigns.create'> = {
        campaign_code: x.campaign_code, campaign_name: x.campaign_name, campaign_type: x.campaign_type as Input<'campaigns.create'>['campaign_type'],
        start_date: optional(x.start_date), end_date: optional(x.end_date), budget: amountOf(x.budget),
        expected_roi: x.expected_roi ? Number(x.expected_roi) : undefined, assigned_to: optional(x.assigned_to), description: optional(x.description),
      };
      return send('campaigns.create', body);
    }).then((ok) => ok && onDone(`Campaign “${v.campaign_name}” created.`));
  return (
    <FormCard title="New campaign" actions={<button className="link" onClick={() => onDone()}>Cancel</button>} failure={form.failure} onSubmit={save}>
      <TextField label="Code" error={errors.campaign_code} {...bind('campaign_code')} />
      <TextField label="Campaign name" error={errors.campaign_name} {...bind('campaign_name')} />
      <ChoiceField label="Campaign type" error={errors.campaign_type} {...bind('campaign_type')} options={TYPES} />
      <TextField label="Start date" error={errors.start_date} type="date" {...bind('start_date')} />
      <TextField label="End date" error={errors.end_date} type="date" {...bind('end_date')} />
      <TextField label="Budget" error={errors.budget} inputMode="decimal" {...bind('budget')} />
      <TextField label="Expected ROI (%)" error={errors.expected_roi} inputMode="decimal" {...bind('expected_roi')} />
      <TextField label="Owner" error={errors.assigned_to} {...bind('assigned_to')} />
      <Field label="Description" error={errors.description} wide>{(id) => <textarea id={id} {...bind('description')} />}</Field>
      <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Create campaign</button></div>
    </FormCard>
  );
}
