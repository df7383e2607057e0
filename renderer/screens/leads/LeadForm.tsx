import { send } from '../../api/client.js';
import type { Input } from '../../api/types.js';
import { Card, ErrorBanner, Field, StaleBanner, TextField } from '../../components/ui.js';
import { useAsync } from '../../components/useAsync.js';
import { changedFields, DATE_RE, required, useForm, useNewerRecord } from '../../components/useForm.js';
import { instant, label, phone, today } from '../../format.js';
import { useCan } from '../../store/session.js';
import type { Lead } from './Leads.js';

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
export function EditLead({ lead, onCancel, onSaved, onStale }: { lead: Lead; onCancel: () => void; onSaved: (lead: Lead) => void; onStale: () => void }) {
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

export function NewLead({ onDone }: { onDone: (name?: string) => void }) {
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
  const { values: v, bind, errors } = form;
  // Reassigning a lead is a manager's (SPEC §11, with deleting and importing); a rep's new lead is theirs.
  const mayAssign = can('leads.delete');
  return (
    <form className="grid" noValidate onSubmit={(e) => (e.preventDefault(), onSubmit())} aria-label={formLabel}>
      <TextField label="Name" error={errors.name} {...bind('name')} />
      <TextField label="Phone" error={errors.phone} type="tel" {...bind('phone')} />
      <TextField label="Email" error={errors.email} type="email" {...bind('email')} />
      <TextField label="Company" error={errors.company} {...bind('company')} />
      {showCode && <TextField label="Lead code" error={errors.lead_code} {...bind('lead_code')} />}
      <Field label="Source" error={errors.source_id}>
        {(id) => (
          <select id={id} {...bind('source_id')}>
            <option value="">No source</option>
            {sources.data?.items.map((s) => <option key={s.id} value={s.id}>{s.source_name}{s.subsource_name ? ` · ${s.subsource_name}` : ''}</option>)}
          </select>
        )}
      </Field>
      <Field label="Campaign" error={errors.campaign_id}>
        {(id) => (
          <select id={id} {...bind('campaign_id')}>
            <option value="">No campaign</option>
            {campaigns.data?.items.map((c) => <option key={c.id} value={c.id}>{c.campaign_name}</option>)}
          </select>
        )}
      </Field>
      {mayAssign && (
        <Field label="Assigned to" error={errors.assigned_to}>
          {(id) => (
            <select id={id} {...bind('assigned_to')}>
              <option value="">No one yet</option>
              {v.assigned_to && directory.data && !directory.data.some((u) => u.username === v.assigned_to) && <option value={v.assigned_to}>{v.assigned_to} (not a user)</option>}
              {directory.data?.map((u) => <option key={u.username} value={u.username}>{u.display_name} ({u.username}, {label(u.role)})</option>)}
            </select>
          )}
        </Field>
      )}
      <TextField label="Lead date" error={errors.lead_date} type="date" {...bind('lead_date')} />
      {showLostReason && <TextField label="Lost reason" error={errors.lost_reason} wide {...bind('lost_reason')} />}
      <Field label="Notes" error={errors.notes} wide>{(id) => <textarea id={id} {...bind('notes')} />}</Field>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.busy}>{submitLabel}</button>
        {onCancel && <button type="button" className="link" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}
