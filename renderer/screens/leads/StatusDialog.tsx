import { useState } from 'react';
import { send } from '../../api/client.js';
import type { Input } from '../../api/types.js';
import { ApiError } from '../../api/types.js';
import { ErrorBanner, Field } from '../../components/ui.js';
import { asApiError } from '../../components/useAsync.js';
import { instant, label } from '../../format.js';
import { useSession } from '../../store/session.js';
import type { Lead, Status } from './Leads.js';

/**
 * SPEC §4, a status set by hand: the dialog asks what the move needs (why a lead was lost;
 * that booking is what converts) and says what happened. The change names the copy it is
 * based on: when someone changed the lead meanwhile it is refused, and the newer status shown.
 */
export function StatusDialog({ lead, to, onClose, onDone, onStale }: { lead: Lead; to: Status; onClose: () => void; onDone: (message: string) => void; onStale: () => void }) {
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
