import { useState } from 'react';
import { engagementChannels, engagementStatuses, engagementTypes } from '../../../db/schema/enums.js';
import { durationText, readDuration } from '../../../main/domain/duration.js';
import { send } from '../../api/client.js';
import type { Input, Output } from '../../api/types.js';
import { ExportButton } from '../../components/ExportButton.js';
import { Badge, Card, Empty, ErrorBanner, Field, Loading, TextField, ChoiceField, FormCard } from '../../components/ui.js';
import { useAsync } from '../../components/useAsync.js';
import { DATE_RE, optional, useForm } from '../../components/useForm.js';
import { day, label, today } from '../../format.js';
import type { Lead } from './Timeline.js';

// A lead's engagements (calls, emails, meetings): the history with responses recorded
// in place, older ones on request, and the form that logs the next.

export function Engagements({ lead }: { lead: Lead }) {
  const list = useAsync(() => send('engagements.listByLead', { lead_id: lead.id, limit: 50 }), [lead.id]);
  const [more, setMore] = useState<Output<'engagements.listByLead'>['items']>([]);
  const [responding, setResponding] = useState<string | null>(null);
  const items = [...(list.data?.items ?? []), ...more];
  async function loadMore() {
    const next = await send('engagements.listByLead', { lead_id: lead.id, limit: 50, offset: items.length });
    setMore((m) => [...m, ...next.items]);
  }
  const reload = () => (setMore([]), list.reload());
  return (
    <div className="split">
      <Card title="Engagement history" actions={<ExportButton name="engagements" filters={{ lead_id: lead.id }} />}>
        <ErrorBanner error={list.error} onRetry={reload} />
        {list.loading && !list.data ? <Loading /> : items.length === 0 ? (
          <Empty title="No engagements yet.">Log a call, email or meeting with the form.</Empty>
        ) : (
          <ul className="engagements" aria-label="Engagement history">
            {items.map((e) => (
              <li key={e.id}>
                <div className="line">
                  <strong>{label(e.engagement_type)}</strong>
                  <span>{label(e.engagement_channel)} · {day(e.engagement_date)}{e.duration_seconds != null ? ` · ${durationText(e.duration_seconds)}` : ''}</span>
                  <Badge value={e.status} />
                  {e.response_received ? <Badge value="responded" tone="positive" /> : <Badge value="awaiting response" tone="neutral" />}
                </div>
                {e.subject && <p><strong>{e.subject}</strong></p>}
                {e.notes && <p>{e.notes}</p>}
                {e.response_received ? (
                  <p className="meta">Response {day(e.response_date)}{e.response_notes ? `: ${e.response_notes}` : ''}</p>
                ) : responding === e.id ? (
                  <RecordResponse id={e.id} onDone={() => (setResponding(null), reload())} />
                ) : (
                  <button className="link" onClick={() => setResponding(e.id)}>Record response</button>
                )}
              </li>
            ))}
          </ul>
        )}
        {list.data?.next_offset != null && items.length < 10_000 && <button className="secondary" onClick={() => void loadMore()}>Show older engagements</button>}
      </Card>
      <NewEngagement leadId={lead.id} onSaved={reload} />
    </div>
  );
}

function RecordResponse({ id, onDone }: { id: string; onDone: () => void }) {
  const form = useForm({ response_date: today(), response_notes: '' }, (v) => ({ response_date: DATE_RE.test(v.response_date) ? undefined : 'is required' }));
  return (
    <form className="inline-form" aria-label="Record response" onSubmit={(e) => (e.preventDefault(), void form.submit((v) => send('engagements.recordResponse', { id, response_date: v.response_date, response_notes: optional(v.response_notes) })).then((ok) => ok && onDone()))}>
      <Field label="Response date" error={form.errors.response_date}>{(fid) => <input id={fid} type="date" value={form.values.response_date} onChange={(e) => form.set('response_date', e.target.value)} />}</Field>
      <Field label="Response notes" error={form.errors.response_notes}>{(fid) => <input id={fid} value={form.values.response_notes} onChange={(e) => form.set('response_notes', e.target.value)} />}</Field>
      <button type="submit" className="primary" disabled={form.busy}>Save response</button>
      {form.failure && <p className="field-error" role="alert">{form.failure.message}</p>}
    </form>
  );
}

function NewEngagement({ leadId, onSaved }: { leadId: string; onSaved: () => void }) {
  const [saved, setSaved] = useState<string | null>(null);
  const form = useForm(
    { engagement_type: 'call_made', engagement_channel: 'phone', engagement_date: today(), subject: '', notes: '', status: 'completed', duration: '' },
    (v) => ({
      engagement_date: DATE_RE.test(v.engagement_date) ? undefined : 'is required',
      duration: ((d) => (d && 'error' in d ? d.error : undefined))(v.duration.trim() ? readDuration(v.duration) : null),
    }),
  );
  const { values: v, bind, errors } = form;
  const save = () =>
    form.submit((x) =>
      send('engagements.create', {
        lead_id: leadId, engagement_type: x.engagement_type as Input<'engagements.create'>['engagement_type'],
        engagement_channel: x.engagement_channel as Input<'engagements.create'>['engagement_channel'], engagement_date: x.engagement_date,
        subject: optional(x.subject), notes: optional(x.notes), status: x.status as Input<'engagements.create'>['status'],
        duration_seconds: ((d) => (d && 'seconds' in d ? d.seconds : undefined))(x.duration.trim() ? readDuration(x.duration) : null),
      }),
    ).then((ok) => {
      if (!ok) return;
      setSaved(`${label(v.engagement_type)} logged.`);
      form.reset();
      onSaved();
    });
  return (
    <FormCard title="Log an engagement" failure={form.failure} notice={saved} onSubmit={save}>
      <ChoiceField label="Engagement type" error={errors.engagement_type} {...bind('engagement_type')} options={engagementTypes} />
      <ChoiceField label="Channel" error={errors.engagement_channel} {...bind('engagement_channel')} options={engagementChannels} />
      <TextField label="Engagement date" error={errors.engagement_date} type="date" {...bind('engagement_date')} />
      <ChoiceField label="Engagement status" error={errors.status} {...bind('status')} options={engagementStatuses} />
      <TextField label="Subject" error={errors.subject} wide {...bind('subject')} />
      <Field label="Duration" hint="minutes (5), 5:30, or 2m 30s" error={errors.duration ?? errors.duration_seconds}>{(id) => <input id={id} {...bind('duration')} />}</Field>
      <Field label="Engagement notes" error={errors.notes} wide>{(id) => <textarea id={id} {...bind('notes')} />}</Field>
      <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Log engagement</button></div>
    </FormCard>
  );
}
