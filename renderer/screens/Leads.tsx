import { useState } from 'react';
import { send } from '../api/client.js';
import type { Input } from '../api/types.js';
import { ExportButton } from '../components/ExportButton.js';
import { ImportLeads } from '../components/ImportLeads.js';
import { Badge, Card, Empty, ErrorBanner, Field, Loading, Notice, Pager } from '../components/ui.js';
import { asApiError, attempt, useAsync } from '../components/useAsync.js';
import type { ApiError } from '../api/types.js';
import { DATE_RE, optional, required, useForm } from '../components/useForm.js';
import { day, label, today } from '../format.js';
import { useCan, useSession } from '../store/session.js';

const STATUSES = ['new', 'contacted', 'qualified', 'negotiation', 'converted', 'lost'] as const;
const PAGE = 25;

export function Leads() {
  const can = useCan();
  const go = useSession((s) => s.go);
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('');
  const [offset, setOffset] = useState(0);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const leads = useAsync(
    () => send('leads.list', { search: search.trim() || undefined, status: status || undefined, limit: PAGE, offset }),
    [search, status, offset],
  );

  // SPEC §11: a lead is assigned to a user; older free text naming no one reads as unassigned.
  const directory = useAsync(() => send('users.directory', {}), []);
  const users = new Set(directory.data?.map((u) => u.username));
  const assignee = (to: string | null) =>
    to === null ? '—' : !directory.data || users.has(to) ? to : <span className="muted" title={`“${to}” is not a user of this tenant`}>Unassigned</span>;

  // Issue 8: leads idle longer than their stage allows, flagged in the list.
  const stale = useAsync(() => send('leads.stale', {}), []);
  const staleById = new Map(stale.data?.map((x) => [x.lead_id, x]));

  const [failure, setFailure] = useState<ApiError | null>(null);
  const changeStatus = (id: string, next: string) =>
    send('leads.update', { id, status: next as (typeof STATUSES)[number] }).then(
      () => (setFailure(null), leads.reload(), stale.reload()),
      (err: unknown) => (setNotice(null), setFailure(asApiError(err))),
    );
  // SPEC §11: a rep changes only their own leads; another's status is shown, not offered.
  const me = useSession((s) => s.me);
  const mayChange = (assignedTo: string | null) => me?.user.role !== 'sales_rep' || assignedTo === me.user.username;

  return (
    <>
      <header className="page-head">
        <h1>Leads</h1>
        <div className="actions">
          <ExportButton name="leads" />
          {can('imports.start') && <button className="secondary" onClick={() => setImporting(true)}>Import leads</button>}
          <button className="primary" onClick={() => setCreating(true)}>New lead</button>
        </div>
      </header>
      {importing && <ImportLeads onClose={() => setImporting(false)} onImported={(summary) => (setImporting(false), setNotice(summary), leads.reload(), stale.reload())} />}
      {creating && <NewLead onDone={(name) => (setCreating(false), setNotice(name ? `Lead “${name}” created.` : null), leads.reload())} />}
      {notice && <Notice>{notice}</Notice>}
      <ErrorBanner error={failure} />
      {stale.data && stale.data.length > 0 && (
        <p className="hint" aria-label="Stale leads">{stale.data.length} lead(s) have had no milestone or engagement for longer than their stage allows; they are marked “stale”.</p>
      )}
      <div className="toolbar">
        <input type="search" aria-label="Search leads" placeholder="Search name, phone, email, company or code" value={search} onChange={(e) => (setSearch(e.target.value), setOffset(0))} />
        <select aria-label="Filter by status" value={status} onChange={(e) => (setStatus(e.target.value), setOffset(0))}>
          <option value="">All statuses</option>
          {STATUSES.map((s) => <option key={s} value={s}>{label(s)}</option>)}
        </select>
      </div>
      <ErrorBanner error={leads.error} onRetry={leads.reload} />
      {leads.loading && !leads.data ? (
        <Loading what="Loading leads" />
      ) : leads.data && leads.data.items.length === 0 ? (
        <Empty title={search || status ? 'No leads match.' : 'No leads yet.'}>{search || status ? 'Try another search or status.' : 'Create the first one with “New lead”.'}</Empty>
      ) : (
        <div className="table-scroll">
        <table className="data" aria-label="Leads">
          <thead>
            <tr><th>Name</th><th>Company</th><th>Phone</th><th>Lead date</th><th>Assigned to</th><th>Status</th><th /></tr>
          </thead>
          <tbody>
            {leads.data?.items.map((l) => (
              <tr key={l.id}>
                <td><strong>{l.name}</strong><small>{l.lead_code ?? ''}</small></td>
                <td>{l.company ?? '—'}</td>
                <td>{l.phone ?? '—'}</td>
                <td>{day(l.lead_date)}</td>
                <td>{assignee(l.assigned_to)}</td>
                <td>
                  <Badge value={l.status} />
                  {staleById.has(l.id) && <Badge value={`stale · ${staleById.get(l.id)!.idle_days} d idle`} tone="warn" />}
                  <select aria-label={`Status of ${l.name}`} value={l.status} disabled={!mayChange(l.assigned_to)} title={mayChange(l.assigned_to) ? undefined : `Assigned to ${l.assigned_to ?? 'no one'}: only they or a manager change it`} onChange={(e) => void changeStatus(l.id, e.target.value)}>
                    {STATUSES.map((s) => <option key={s} value={s}>{label(s)}</option>)}
                  </select>
                </td>
                <td><button className="link" onClick={() => go('milestones', { leadId: l.id })}>Milestones →</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      {leads.data && <Pager offset={offset} nextOffset={leads.data.next_offset} pageSize={PAGE} onPage={setOffset} />}
    </>
  );
}

function NewLead({ onDone }: { onDone: (name?: string) => void }) {
  const can = useCan();
  const sources = useAsync(() => send('leadSources.list', { limit: 500 }), []);
  const campaigns = useAsync(() => send('campaigns.list', { limit: 500 }), []);
  const directory = useAsync(() => send('users.directory', {}), []);
  const form = useForm(
    { name: '', email: '', phone: '', company: '', source_id: '', campaign_id: '', assigned_to: '', lead_date: today(), notes: '' },
    (v) => ({
      name: required(v.name),
      email: v.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v.email) ? 'must be an email address' : undefined,
      lead_date: DATE_RE.test(v.lead_date) ? undefined : 'must be a date',
    }),
  );
  const { values: v, set, errors } = form;
  const save = () =>
    form.submit((x) => {
      const body: Input<'leads.create'> = {
        name: x.name, email: optional(x.email), phone: optional(x.phone), company: optional(x.company), source_id: optional(x.source_id),
        campaign_id: optional(x.campaign_id), assigned_to: optional(x.assigned_to), lead_date: x.lead_date, notes: optional(x.notes),
      };
      return send('leads.create', body);
    }).then((ok) => ok && onDone(v.name));
  return (
    <Card title="New lead" actions={<button className="link" onClick={() => onDone()}>Cancel</button>}>
      <ErrorBanner error={form.failure} />
      <form className="grid" onSubmit={(e) => (e.preventDefault(), void save())} aria-label="New lead">
        <Field label="Name" error={errors.name}>{(id) => <input id={id} value={v.name} onChange={(e) => set('name', e.target.value)} />}</Field>
        <Field label="Phone" error={errors.phone}>{(id) => <input id={id} value={v.phone} onChange={(e) => set('phone', e.target.value)} />}</Field>
        <Field label="Email" error={errors.email}>{(id) => <input id={id} value={v.email} onChange={(e) => set('email', e.target.value)} />}</Field>
        <Field label="Company" error={errors.company}>{(id) => <input id={id} value={v.company} onChange={(e) => set('company', e.target.value)} />}</Field>
        <Field label="Source" error={errors.source_id}>
          {(id) => (
            <select id={id} value={v.source_id} onChange={(e) => set('source_id', e.target.value)}>
              <option value="">No source</option>
              {sources.data?.items.map((s) => <option key={s.id} value={s.id}>{s.source_name}{s.subsource_name ? ` · ${s.subsource_name}` : ''}</option>)}
            </select>
          )}
        </Field>
        <Field label="Campaign" error={errors.campaign_id}>
          {(id) => (
            <select id={id} value={v.campaign_id} onChange={(e) => set('campaign_id', e.target.value)}>
              <option value="">No campaign</option>
              {campaigns.data?.items.map((c) => <option key={c.id} value={c.id}>{c.campaign_name}</option>)}
            </select>
          )}
        </Field>
        {/* Assigning a lead to someone is a manager's (SPEC §11, with deleting and importing); a rep's new lead is theirs. */}
        {can('leads.delete') && (
          <Field label="Assigned to" error={errors.assigned_to}>
            {(id) => (
              <select id={id} value={v.assigned_to} onChange={(e) => set('assigned_to', e.target.value)}>
                <option value="">No one yet</option>
                {directory.data?.map((u) => <option key={u.username} value={u.username}>{u.display_name} ({u.username}, {label(u.role)})</option>)}
              </select>
            )}
          </Field>
        )}
        <Field label="Lead date" error={errors.lead_date}>{(id) => <input id={id} type="date" value={v.lead_date} onChange={(e) => set('lead_date', e.target.value)} />}</Field>
        <Field label="Notes" error={errors.notes} wide>{(id) => <textarea id={id} value={v.notes} onChange={(e) => set('notes', e.target.value)} />}</Field>
        <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Create lead</button></div>
      </form>
    </Card>
  );
}
