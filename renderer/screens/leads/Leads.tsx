import { useState } from 'react';
import { send } from '../../api/client.js';
import type { Output } from '../../api/types.js';
import { ExportButton } from '../../components/ExportButton.js';
import { ImportLeads } from '../../components/ImportLeads.js';
import { Badge, Empty, ErrorBanner, Loading, Notice, Pager } from '../../components/ui.js';
import { useAsync } from '../../components/useAsync.js';
import { day, label, phone } from '../../format.js';
import { useCan, useSession } from '../../store/session.js';
import { leadStatuses } from '../../../db/schema/enums.js';
import { StatusDialog } from './StatusDialog.js';
import { LeadDetail } from './LeadDetail.js';
import { NewLead } from './LeadForm.js';

// Leads (SPEC §7): the list with its search and status, stale flags and pages; a lead
// opened beside it by its address; a new lead, an import, and a status set by hand.


export type Status = (typeof leadStatuses)[number];
export type Lead = Output<'leads.get'>;
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
export function useMayChange() {
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

  // Leads idle longer than their stage allows, flagged in the list.
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
          {leadStatuses.map((s) => <option key={s} value={s}>{label(s)}</option>)}
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
                      {leadStatuses.map((s) => <option key={s} value={s}>{label(s)}</option>)}
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
