import { useEffect, useState } from 'react';
import { send } from '../api/client.js';
import type { Input, Output } from '../api/types.js';
import { ApiError } from '../api/types.js';
import { ExportButton } from '../components/ExportButton.js';
import { ImportLeads } from '../components/ImportLeads.js';
import { Badge, Card, Empty, ErrorBanner, Field, Loading, Notice, Pager, StaleBanner } from '../components/ui.js';
import { asApiError, useAsync } from '../components/useAsync.js';
import { changedFields, DATE_RE, required, useForm, useNewerRecord } from '../components/useForm.js';
import { day, instant, label, phone, today } from '../format.js';
import { useCan, useCanonicalRecord, useSession } from '../store/session.js';

const STATUSES = ['new', 'contacted', 'qualified', 'negotiation', 'converted', 'lost'] as const;
type Status = (typeof STATUSES)[number];
type Lead = Output<'leads.get'>;
const PAGE = 25;

/** A value of the screen kept in this tab's session storage, so a reload keeps it. */
function useKept(key: string): [string, (value: string) => void] {
  const [value, setValue] = useState(() => sessionStorage.getItem(`milepost.${key}`) ?? '');
  const set = (v: string) => {
    setValue(v);
    if (v) sessionStorage.setItem(`milepost.${key}`, v);
    else sessionStorage.removeItem(`milepost.${key}`);
  };
  return [value, set];
}

/** SPEC §11: a rep changes only their own leads; a manager or admin any. */
function useMayChange() {
  const me = useSession((s) => s.me);
  return (assignedTo: string | null) => me?.user.role !== 'sales_rep' || assignedTo === me.user.username;
}

export function Leads() {
  const can = useCan();
  const { go, record } = useSession();
  // The search and filter outlive a reload (kept in this tab), as the open lead does in the address.
  const [search, setSearch] = useKept('leads.search');
  const [status, setStatus] = useKept('leads.status');
  const [offset, setOffset] = useState(0);
  // A new lead half-typed before a reload comes back open.
  const [creating, setCreating] = useState(() => sessionStorage.getItem('milepost.draft.lead-new') !== null);
  const [importing, setImporting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [changing, setChanging] = useState<{ lead: Lead; to: Status } | null>(null);
  // Bumped when a status changes (or is found changed): the open lead reads itself again.
  const [version, setVersion] = useState(0);
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
  const pageIds = leads.data?.items.map((l) => l.id) ?? [];
  const stale = useAsync(() => send('leads.stale', { lead_ids: pageIds, limit: 500 }), [pageIds.join(',')]);
  const staleById = new Map(stale.data?.items.map((x) => [x.lead_id, x]));
  const mayChange = useMayChange();
  const reload = () => (leads.reload(), stale.reload());
  const open = (l: Lead) => go('leads', l.lead_code ?? l.id);

  return (
    <>
      <header className="page-head">
        <h1>Leads</h1>
        <div className="actions">
          <ExportButton name="leads" filters={{ search: search.trim() || undefined, status: status || undefined }} />
          {can('imports.start') && <button className="secondary" onClick={() => setImporting(true)}>Import leads</button>}
          <button className="primary" onClick={() => setCreating(true)}>New lead</button>
        </div>
      </header>
      {importing && <ImportLeads onClose={() => setImporting(false)} onImported={(summary) => (setImporting(false), setNotice(summary), reload())} />}
      {creating && <NewLead onDone={(name) => (setCreating(false), setNotice(name ? `Lead “${name}” created.` : null), leads.reload())} />}
      {notice && <Notice>{notice}</Notice>}
      {record && (
        <LeadDetail
          key={`${record}:${version}`}
          reference={record}
          onClose={() => go('leads')}
          onChanged={(message) => (setNotice(message), reload())}
          onStatus={(lead, to) => setChanging({ lead, to })}
        />
      )}
      {changing && (
        <StatusDialog
          lead={changing.lead}
          to={changing.to}
          onClose={() => setChanging(null)}
          onDone={(message) => (setChanging(null), setNotice(message), setVersion((v) => v + 1), reload())}
          onStale={() => (setVersion((v) => v + 1), reload())}
        />
      )}
      {stale.data && stale.data.total > 0 && (
        <p className="hint" aria-label="Stale leads">{stale.data.total.toLocaleString('en-IN')} lead(s) have had no milestone or engagement for longer than their stage allows; they are marked “stale”.</p>
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
          <table className="data rows-stack" aria-label="Leads">
            <thead>
              <tr><th>Name</th><th className="mid-hide">Company</th><th>Phone</th><th className="mid-hide">Lead date</th><th>Assigned to</th><th>Status</th><th /></tr>
            </thead>
            <tbody>
              {leads.data?.items.map((l) => (
                <tr key={l.id}>
                  <td data-label="Name" className="clip">
                    <button className="link" title={l.name} onClick={() => open(l)}><strong>{l.name}</strong></button>
                    <small>{l.lead_code ?? ''}</small>
                  </td>
                  <td data-label="Company" className="clip mid-hide" title={l.company ?? undefined}>{l.company ?? '—'}</td>
                  <td data-label="Phone" className="nowrap">{phone(l.phone)}</td>
                  <td data-label="Lead date" className="nowrap mid-hide">{day(l.lead_date)}</td>
                  <td data-label="Assigned to" className="clip">{assignee(l.assigned_to)}</td>
                  <td data-label="Status">
                    <Badge value={l.status} />
                    {staleById.has(l.id) && <Badge value={`stale · ${staleById.get(l.id)!.idle_days} d idle`} tone="warn" />}
                    <select
                      aria-label={`Status of ${l.name}`}
                      value={l.status}
                      disabled={!mayChange(l.assigned_to)}
                      title={mayChange(l.assigned_to) ? undefined : `Assigned to ${l.assigned_to ?? 'no one'}: only they or a manager change it`}
                      onChange={(e) => setChanging({ lead: l, to: e.target.value as Status })}
                    >
                      {STATUSES.map((s) => <option key={s} value={s}>{label(s)}</option>)}
                    </select>
                  </td>
                  <td><button className="link nowrap" onClick={() => go('milestones', l.lead_code ?? l.id)}>Milestones →</button></td>
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

/**
 * SPEC §4, a status set by hand: the dialog asks what the move needs (why a lead was lost;
 * that booking is what converts) and says what happened. The change names the copy it is
 * based on: when someone changed the lead meanwhile it is refused, and the newer status shown.
 */
function StatusDialog({ lead, to, onClose, onDone, onStale }: { lead: Lead; to: Status; onClose: () => void; onDone: (message: string) => void; onStale: () => void }) {
  const go = useSession((s) => s.go);
  const [reason, setReason] = useState(to === 'lost' ? (lead.lost_reason ?? '') : '');
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [newer, setNewer] = useState<Lead | null>(null);
  const [busy, setBusy] = useState(false);
  const needsReason = to === 'lost' && reason.trim() === '';
  const apply = async () => {
    setBusy(true);
    try {
      const body: Input<'leads.update'> = { id: lead.id, status: to, expected_updated_at: lead.updated_at, ...(to === 'lost' ? { lost_reason: reason.trim() } : {}) };
      const saved = await send('leads.update', body);
      onDone(`${saved.name} is now ${label(saved.status)}${to === 'lost' ? ` (lost: ${reason.trim()})` : ''}.`);
    } catch (err) {
      const e = asApiError(err);
      setFailure(e);
      const current = e.current<Lead>();
      if (current) (setNewer(current), onStale());
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="overlay" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <section className="dialog-panel" role="dialog" aria-modal="true" aria-label={`Change status of ${lead.name}`}>
        <header>
          <h2>{lead.name}: {label(lead.status)} → {label(to)}</h2>
        </header>
        {newer ? (
          <div className="banner error" role="alert">
            <strong>Someone changed this lead while you had it open.</strong>
            <span>It is now <b>{label(newer.status)}</b> (changed {instant(newer.updated_at)}). Nothing was saved; look at the lead again and make your change if it still holds.</span>
          </div>
        ) : (
          <ErrorBanner error={failure} />
        )}
        {to === 'converted' ? (
          <p>A lead is converted by <strong>booking a unit</strong> for it: the booking, its invoice and the conversion are recorded together. Marking it converted by hand works only when the lead already has a live booking.</p>
        ) : to === 'lost' ? (
          <Field label="Why was it lost?" error={failure?.fieldErrors().lost_reason}>
            {(id) => <textarea id={id} value={reason} autoFocus onChange={(e) => setReason(e.target.value)} placeholder="Bought elsewhere, budget, not reachable…" />}
          </Field>
        ) : (
          <p>Move {lead.name} from {label(lead.status)} to {label(to)}? The change is kept in the lead’s status history.</p>
        )}
        <div className="form-actions">
          {!newer && (
            <button className="primary" disabled={busy || needsReason} onClick={() => void apply()}>
              {to === 'converted' ? 'Mark converted' : to === 'lost' ? 'Mark lost' : `Move to ${label(to)}`}
            </button>
          )}
          {to === 'converted' && !newer && <button className="secondary" onClick={() => (onClose(), go('bookings', lead.lead_code ?? lead.id))}>Book a unit instead →</button>}
          <button className="link" onClick={onClose}>{newer ? 'Close' : 'Cancel'}</button>
        </div>
      </section>
    </div>
  );
}

/** One lead, opened from the list or by its address (`#/leads/LD-000123`): its details, editing, deleting. */
function LeadDetail({ reference, onClose, onChanged, onStatus }: { reference: string; onClose: () => void; onChanged: (message: string) => void; onStatus: (lead: Lead, to: Status) => void }) {
  const can = useCan();
  const { go, rename } = useSession();
  const mayChange = useMayChange();
  const lead = useAsync(() => send('leads.get', { id: reference }), [reference]);
  useCanonicalRecord(reference, lead.data && (lead.data.lead_code ?? lead.data.id), rename);
  const sources = useAsync(() => send('leadSources.list', { limit: 500 }), []);
  const campaigns = useAsync(() => send('campaigns.list', { limit: 500 }), []);
  const [editing, setEditing] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const l = lead.data;
  // An edit half-typed before a reload comes back open, as it was left.
  useEffect(() => {
    if (l && sessionStorage.getItem(`milepost.draft.lead-edit:${l.id}`) !== null) setEditing(true);
  }, [l?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const remove = async () => {
    if (!l || !confirm(`Delete lead “${l.name}”${l.lead_code ? ` (${l.lead_code})` : ''}? It leaves lists and reports; its history is kept and an admin can still see it in the audit.`)) return;
    try {
      await send('leads.delete', { id: l.id });
      onChanged(`Lead “${l.name}” deleted.`);
      go('leads');
    } catch (err) {
      setFailure(asApiError(err));
    }
  };

  if (lead.error) return <Card title="Lead" actions={<button className="link" onClick={onClose}>Close</button>}><ErrorBanner error={lead.error} onRetry={lead.reload} /></Card>;
  if (!l) return <Loading what="Loading the lead" />;
  const source = sources.data?.items.find((s) => s.id === l.source_id);
  const campaign = campaigns.data?.items.find((c) => c.id === l.campaign_id);
  return (
    <Card
      title={l.name}
      className="lead-detail"
      actions={
        <>
          {mayChange(l.assigned_to) && !editing && <button className="secondary" onClick={() => setEditing(true)}>Edit</button>}
          {mayChange(l.assigned_to) && (
            <select aria-label={`Change status of ${l.name}`} value={l.status} onChange={(e) => onStatus(l, e.target.value as Status)}>
              {STATUSES.map((s) => <option key={s} value={s}>{label(s)}</option>)}
            </select>
          )}
          <button className="link" onClick={() => go('milestones', l.lead_code ?? l.id)}>Milestones →</button>
          {can('leads.delete') && <button className="link danger" onClick={() => void remove()}>Delete</button>}
          <button className="link" onClick={onClose}>Close</button>
        </>
      }
    >
      <ErrorBanner error={failure} />
      {editing ? (
        <EditLead
          lead={l}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => (setEditing(false), lead.reload(), onChanged(`Lead “${saved.name}” saved.`))}
          onStale={lead.reload}
        />
      ) : (
        <dl className="facts" aria-label="Lead details">
          <dt>Status</dt><dd><Badge value={l.status} />{l.status === 'lost' && l.lost_reason ? <span className="clip" title={l.lost_reason}> {l.lost_reason}</span> : null}</dd>
          <dt>Code</dt><dd>{l.lead_code ?? '—'}</dd>
          <dt>Phone</dt><dd>{phone(l.phone)}</dd>
          <dt>Email</dt><dd className="clip" title={l.email ?? undefined}>{l.email ?? '—'}</dd>
          <dt>Company</dt><dd className="clip" title={l.company ?? undefined}>{l.company ?? '—'}</dd>
          <dt>Source</dt><dd>{source ? source.source_name : l.source_id ? '…' : '—'}</dd>
          <dt>Campaign</dt><dd>{campaign ? `${campaign.campaign_name} (${campaign.campaign_code})` : l.campaign_id ? '…' : '—'}</dd>
          <dt>Assigned to</dt><dd>{l.assigned_to ?? '—'}</dd>
          <dt>Lead date</dt><dd>{day(l.lead_date)}</dd>
          <dt>Last changed</dt><dd>{instant(l.updated_at)}</dd>
          {l.notes && (<><dt>Notes</dt><dd className="notes">{l.notes}</dd></>)}
        </dl>
      )}
    </Card>
  );
}

type LeadValues = { lead_code: string; name: string; email: string; phone: string; company: string; source_id: string; campaign_id: string; assigned_to: string; lead_date: string; lost_reason: string; notes: string };
const valuesOf = (l: Lead): LeadValues => ({
  lead_code: l.lead_code ?? '', name: l.name, email: l.email ?? '', phone: l.phone ? phone(l.phone) : '', company: l.company ?? '', source_id: l.source_id ?? '',
  campaign_id: l.campaign_id ?? '', assigned_to: l.assigned_to ?? '', lead_date: l.lead_date, lost_reason: l.lost_reason ?? '', notes: l.notes ?? '',
});
const checkLead = (v: LeadValues) => ({
  name: required(v.name),
  email: v.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v.email) ? 'must be an email address' : undefined,
  lead_date: DATE_RE.test(v.lead_date) ? undefined : 'must be a date',
});

/**
 * Every field of a lead, edited in place. Only what changed is sent, with the copy it is
 * based on: when someone saved the lead meanwhile, nothing is written and the form shows
 * the newer values to make the change again.
 */
function EditLead({ lead, onCancel, onSaved, onStale }: { lead: Lead; onCancel: () => void; onSaved: (lead: Lead) => void; onStale: () => void }) {
  const form = useForm(valuesOf(lead), checkLead, { draft: `lead-edit:${lead.id}` });
  const stale = useNewerRecord(form, valuesOf, onStale);
  const save = async () => {
    let saved: Lead | null = null;
    await form.submit(async (x) => {
      const changed = changedFields(x, valuesOf(lead), ['name', 'lead_date']);
      saved = await send('leads.update', { id: lead.id, expected_updated_at: lead.updated_at, ...changed } as Input<'leads.update'>);
    });
    if (saved) onSaved(saved);
  };
  return (
    <>
      {stale ? (
        <StaleBanner title="Someone changed this lead while you were editing it.">
          Nothing of yours was saved. The form now shows the lead as it is (changed {instant(form.failure?.current<Lead>()?.updated_at)}); make your change again.
        </StaleBanner>
      ) : (
        <ErrorBanner error={form.failure} />
      )}
      <LeadForm form={form} label="Edit lead" showCode showLostReason={lead.status === 'lost'} onSubmit={() => void save()} submitLabel="Save lead" onCancel={() => (form.reset(), onCancel())} />
    </>
  );
}

function NewLead({ onDone }: { onDone: (name?: string) => void }) {
  const blank: LeadValues = { lead_code: '', name: '', email: '', phone: '', company: '', source_id: '', campaign_id: '', assigned_to: '', lead_date: today(), lost_reason: '', notes: '' };
  const form = useForm(blank, checkLead, { draft: 'lead-new' });
  const save = () =>
    form.submit((x) => {
      const body = Object.fromEntries(Object.entries(x).filter(([k, v]) => k !== 'lost_reason' && v.trim() !== '')) as Input<'leads.create'>;
      return send('leads.create', body);
    }).then((ok) => ok && onDone(form.values.name));
  return (
    <Card title="New lead" actions={<button className="link" onClick={() => (form.reset(), onDone())}>Cancel</button>}>
      <ErrorBanner error={form.failure} />
      <LeadForm form={form} label="New lead" onSubmit={() => void save()} submitLabel="Create lead" />
    </Card>
  );
}

/** The lead's fields, one form for creating and editing. */
function LeadForm({ form, label: formLabel, onSubmit, submitLabel, onCancel, showCode, showLostReason }: {
  form: ReturnType<typeof useForm<LeadValues>>; label: string; onSubmit: () => void; submitLabel: string; onCancel?: () => void; showCode?: boolean; showLostReason?: boolean;
}) {
  const can = useCan();
  const sources = useAsync(() => send('leadSources.list', { limit: 500 }), []);
  const campaigns = useAsync(() => send('campaigns.list', { limit: 500 }), []);
  const directory = useAsync(() => send('users.directory', {}), []);
  const { values: v, set, errors } = form;
  // Reassigning a lead is a manager's (SPEC §11, with deleting and importing); a rep's new lead is theirs.
  const mayAssign = can('leads.delete');
  return (
    <form className="grid" noValidate onSubmit={(e) => (e.preventDefault(), onSubmit())} aria-label={formLabel}>
      <Field label="Name" error={errors.name}>{(id) => <input id={id} value={v.name} onChange={(e) => set('name', e.target.value)} />}</Field>
      <Field label="Phone" error={errors.phone}>{(id) => <input id={id} type="tel" value={v.phone} onChange={(e) => set('phone', e.target.value)} />}</Field>
      <Field label="Email" error={errors.email}>{(id) => <input id={id} type="email" value={v.email} onChange={(e) => set('email', e.target.value)} />}</Field>
      <Field label="Company" error={errors.company}>{(id) => <input id={id} value={v.company} onChange={(e) => set('company', e.target.value)} />}</Field>
      {showCode && <Field label="Lead code" error={errors.lead_code}>{(id) => <input id={id} value={v.lead_code} onChange={(e) => set('lead_code', e.target.value)} />}</Field>}
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
      {mayAssign && (
        <Field label="Assigned to" error={errors.assigned_to}>
          {(id) => (
            <select id={id} value={v.assigned_to} onChange={(e) => set('assigned_to', e.target.value)}>
              <option value="">No one yet</option>
              {v.assigned_to && directory.data && !directory.data.some((u) => u.username === v.assigned_to) && <option value={v.assigned_to}>{v.assigned_to} (not a user)</option>}
              {directory.data?.map((u) => <option key={u.username} value={u.username}>{u.display_name} ({u.username}, {label(u.role)})</option>)}
            </select>
          )}
        </Field>
      )}
      <Field label="Lead date" error={errors.lead_date}>{(id) => <input id={id} type="date" value={v.lead_date} onChange={(e) => set('lead_date', e.target.value)} />}</Field>
      {showLostReason && <Field label="Lost reason" error={errors.lost_reason} wide>{(id) => <input id={id} value={v.lost_reason} onChange={(e) => set('lost_reason', e.target.value)} />}</Field>}
      <Field label="Notes" error={errors.notes} wide>{(id) => <textarea id={id} value={v.notes} onChange={(e) => set('notes', e.target.value)} />}</Field>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.busy}>{submitLabel}</button>
        {onCancel && <button type="button" className="link" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}
