import { useEffect, useState } from 'react';
import { send } from '../../api/client.js';
import { ApiError } from '../../api/types.js';
import { Badge, Card, ErrorBanner, Loading } from '../../components/ui.js';
import { asApiError, useAsync } from '../../components/useAsync.js';
import { day, instant, label, phone } from '../../format.js';
import { useCan, useCanonicalRecord, useSession } from '../../store/session.js';
import { leadStatuses } from '../../../db/schema/enums.js';
import type { Lead, Status } from './Leads.js';
import { useMayChange } from './Leads.js';
import { EditLead } from './LeadForm.js';

/** One lead, opened from the list or by its address (`#/leads/LD-000123`): its details, editing, deleting. */
export function LeadDetail({ reference, onClose, onChanged, onStatus }: { reference: string; onClose: () => void; onChanged: (message: string) => void; onStatus: (lead: Lead, to: Status) => void }) {
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
              {leadStatuses.map((s) => <option key={s} value={s}>{label(s)}</option>)}
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
