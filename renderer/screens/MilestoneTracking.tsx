import { useEffect, useState } from 'react';
import { send } from '../api/client.js';
import type { Input, Output } from '../api/types.js';
import { ExportButton } from '../components/ExportButton.js';
import { RecordPicker } from '../components/RecordPicker.js';
import { base64Of, readDataUrl } from '../components/readFile.js';
import { Badge, Card, Empty, ErrorBanner, Field, Loading, Notice } from '../components/ui.js';
import { attempt, useAsync } from '../components/useAsync.js';
import { DATE_RE, optional, optionalNumber, required, useForm } from '../components/useForm.js';
import { day, instant, label, phone, today } from '../format.js';
import { useCanonicalRecord, useSession } from '../store/session.js';
import { durationText, readDuration } from '../../main/domain/duration.js';

export const MILESTONE_TYPES = ['lead_generated', 'contacted', 'site_visit', 'revisit', 'demo', 'proposal', 'negotiation', 'booking', 'cancellation', 'reengaged'] as const;
const ENGAGEMENT_TYPES = ['email_sent', 'call_made', 'message_sent', 'meeting_scheduled', 'proposal_sent', 'quote_sent'] as const;
const CHANNELS = ['email', 'phone', 'sms', 'whatsapp', 'in_person', 'video'] as const;

// Colour-coded type icons of the timeline (SPEC §7).
export const milestoneIcon: Record<string, { icon: string; colour: string }> = {
  lead_generated: { icon: '✦', colour: '#64748b' },
  contacted: { icon: '☎', colour: '#0ea5e9' },
  site_visit: { icon: '⌂', colour: '#8b5cf6' },
  revisit: { icon: '↻', colour: '#a855f7' },
  demo: { icon: '▶', colour: '#6366f1' },
  proposal: { icon: '✉', colour: '#f59e0b' },
  negotiation: { icon: '⇄', colour: '#f97316' },
  booking: { icon: '✔', colour: '#16a34a' },
  cancellation: { icon: '✖', colour: '#dc2626' },
  reengaged: { icon: '↺', colour: '#0d9488' },
};

type Lead = Output<'leads.get'>;

export function MilestoneTracking() {
  // The lead open here is the one the address names (`#/milestones/LD-000123`), by code or id.
  const { record: leadId, go, rename } = useSession();
  const [tab, setTab] = useState<'milestones' | 'engagement'>('milestones');
  const lead = useAsync(() => (leadId ? send('leads.get', { id: leadId }) : Promise.resolve(null)), [leadId]);
  useCanonicalRecord(leadId, lead.data && (lead.data.lead_code ?? lead.data.id), rename);

  return (
    <>
      <header className="page-head">
        <h1>Milestone tracking</h1>
      </header>
      <div className="toolbar">
        <RecordPicker kind="lead" label="Lead" value={lead.data ? { id: lead.data.id, title: lead.data.name } : null} onPick={(o) => go('milestones', o.id)} />
      </div>
      <ErrorBanner error={lead.error} onRetry={lead.reload} />
      {!leadId ? (
        <Empty title="Pick a lead to see its journey.">Type part of a name, phone or lead code above; the timeline loads as soon as you choose.</Empty>
      ) : lead.loading && !lead.data ? (
        <Loading what="Loading the lead" />
      ) : lead.data ? (
        <>
          <div className="lead-summary">
            <h2>{lead.data.name}</h2>
            <Badge value={lead.data.status} />
            <span>{[lead.data.lead_code, lead.data.phone && phone(lead.data.phone), lead.data.company].filter(Boolean).join(' · ')}</span>
            <span>Lead since {day(lead.data.lead_date)}</span>
          </div>
          <div className="tabs" role="tablist">
            <button role="tab" aria-selected={tab === 'milestones'} onClick={() => setTab('milestones')}>Milestones</button>
            <button role="tab" aria-selected={tab === 'engagement'} onClick={() => setTab('engagement')}>Engagement</button>
          </div>
          {tab === 'milestones' ? <Milestones lead={lead.data} onChange={lead.reload} /> : <Engagements lead={lead.data} />}
        </>
      ) : null}
    </>
  );
}

function Milestones({ lead, onChange }: { lead: Lead; onChange: () => void }) {
  const timeline = useAsync(() => send('reports.milestoneTimeline', { lead_id: lead.id }), [lead.id]);
  const list = useAsync(() => send('milestones.listByLead', { lead_id: lead.id, limit: 500 }), [lead.id]);
  const holds = useAsync(() => send('leads.holds', { id: lead.id }), [lead.id]);
  const [error, setError] = useState<string | null>(null);
  const byId = new Map(list.data?.items.map((m) => [m.id, m]));
  const reload = () => (timeline.reload(), list.reload(), onChange());

  const complete = (id: string) => attempt(() => send('milestones.completeFollowUp', { id }), setError).then((ok) => ok && reload());

  return (
    <div className="split">
      <Card title="Timeline" actions={<ExportButton name="milestone-timeline" filters={{ lead_id: lead.id }} />}>
        <ErrorBanner error={timeline.error ?? list.error} onRetry={reload} />
        {error && <p className="field-error" role="alert">{error}</p>}
        {timeline.loading && !timeline.data ? <Loading /> : timeline.data?.length === 0 ? (
          <Empty title="No milestones yet.">Record the first one with the form.</Empty>
        ) : (
          <ol className="timeline" aria-label="Milestone timeline">
            {timeline.data?.map((t) => {
              const m = byId.get(t.milestone_id);
              const look = milestoneIcon[t.milestone_type] ?? { icon: '•', colour: '#64748b' };
              return (
                <li key={t.milestone_id} data-type={t.milestone_type}>
                  <span className="icon" style={{ background: look.colour }} aria-hidden>{look.icon}</span>
                  <div>
                    <div className="line">
                      <strong>{label(t.milestone_type)}</strong>
                      <span>{day(t.milestone_date)}{t.milestone_time ? ` ${t.milestone_time}` : ''}</span>
                      {t.days_since_previous !== null && <span className="gap">{t.days_since_previous === 0 ? 'same day' : `${t.days_since_previous} day${t.days_since_previous === 1 ? '' : 's'} later`}</span>}
                      {t.outcome && <Badge value={t.outcome} />}
                    </div>
                    {(t.location_name || t.visited_by || m?.duration_minutes) && (
                      <p className="meta">
                        {[t.location_name, t.visited_by && `by ${t.visited_by}`, m?.duration_minutes != null && `${m.duration_minutes} min`,
                          m?.location_latitude != null && `${m.location_latitude}, ${m.location_longitude}${m.location_accuracy_m != null ? ` ±${Math.round(m.location_accuracy_m)} m` : ''}`,
                          m?.location_fixed_at && `fix ${instant(m.location_fixed_at)}`].filter(Boolean).join(' · ')}
                      </p>
                    )}
                    {m && <VisitProof m={m} />}
                    {t.notes && <p>{t.notes}</p>}
                    {m && m.photos.length > 0 && <Photos photos={m.photos} />}
                    {m?.follow_up_required && (
                      <p className="follow-up">
                        Follow-up {m.follow_up_date ? `on ${day(m.follow_up_date)}` : '(no date)'}:{' '}
                        {m.follow_up_completed_at ? <span>done {instant(m.follow_up_completed_at)}</span> : <button className="link" onClick={() => void complete(m.id)}>Mark done</button>}
                      </p>
                    )}
                  </div>
                </li>
              );
            })}
          </ol>
        )}
        {holds.data && holds.data.length > 0 && (
          <>
            <h3 className="sub">Units held</h3>
            <ul className="history" aria-label="Units held for this lead">
              {holds.data.map((h) => (
                <li key={h.id}>{h.project_name}{h.tower ? ` ${h.tower}` : ''} · unit {h.unit_number} ({h.unit_type}) · {instant(h.held_at)} → {instant(h.hold_until)} <Badge value={h.state} /></li>
              ))}
            </ul>
          </>
        )}
      </Card>
      <NewMilestone leadId={lead.id} onSaved={reload} />
    </div>
  );
}

function NewMilestone({ leadId, onSaved }: { leadId: string; onSaved: () => void }) {
  const initial = {
    milestone_type: 'site_visit', milestone_date: today(), milestone_time: '', location_name: '', location_latitude: '', location_longitude: '',
    location_accuracy_m: '', location_fixed_at: '', site_project: '', visited_by: '', duration_minutes: '', outcome: '', follow_up_required: false,
    follow_up_date: '', notes: '',
  };
  const [saved, setSaved] = useState<string | null>(null);
  const [geo, setGeo] = useState<string | null>(null);
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [photoError, setPhotoError] = useState<string | null>(null);
  const sites = useAsync(() => send('sites.list', {}), []);
  const form = useForm(initial, (v) => ({
    milestone_date: DATE_RE.test(v.milestone_date) ? undefined : 'is required',
    location_latitude: v.location_latitude && !(Math.abs(Number(v.location_latitude)) <= 90) ? 'must be between -90 and 90' : undefined,
    location_longitude: v.location_longitude && !(Math.abs(Number(v.location_longitude)) <= 180) ? 'must be between -180 and 180' : undefined,
    duration_minutes: v.duration_minutes && !/^\d+$/.test(v.duration_minutes) ? 'must be whole minutes' : undefined,
    location_accuracy_m: v.location_accuracy_m && !(Number(v.location_accuracy_m) >= 0) ? 'must be metres, 0 or more' : undefined,
    follow_up_date: v.follow_up_date && v.follow_up_date < v.milestone_date
      ? 'must be on or after the milestone date'
      : isVisit(v.milestone_type) && v.outcome === 'positive' && !v.follow_up_date ? 'a positive visit needs a follow-up date: when is the next step?' : undefined,
  }));
  const { values: v, set, errors } = form;

  function useMyLocation() {
    if (!navigator.geolocation) return setGeo('This device cannot tell its location; type the coordinates instead.');
    setGeo('Finding your location…');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        set('location_latitude', pos.coords.latitude.toFixed(6));
        set('location_longitude', pos.coords.longitude.toFixed(6));
        set('location_accuracy_m', String(Math.round(pos.coords.accuracy)));
        set('location_fixed_at', new Date(pos.timestamp).toISOString());
        setGeo(`Location found (within ${Math.round(pos.coords.accuracy)} m).`);
      },
      (err) => setGeo(err.code === err.PERMISSION_DENIED ? 'Location permission was denied. Allow it for Milepost, or type the coordinates.' : `Could not get a location: ${err.message}`),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  }

  const save = () =>
    form.submit((x) => {
      const body: Input<'milestones.create'> = {
        lead_id: leadId, milestone_type: x.milestone_type as Input<'milestones.create'>['milestone_type'], milestone_date: x.milestone_date,
        milestone_time: optional(x.milestone_time), location_name: optional(x.location_name), location_latitude: optionalNumber(x.location_latitude),
        location_longitude: optionalNumber(x.location_longitude), location_accuracy_m: optionalNumber(x.location_accuracy_m),
        location_fixed_at: optional(x.location_fixed_at), site_project: isVisit(x.milestone_type) ? optional(x.site_project) : undefined,
        photos: photos.map(({ file_name, data_base64 }) => ({ file_name, data_base64 })),
        visited_by: optional(x.visited_by), duration_minutes: optionalNumber(x.duration_minutes),
        outcome: (optional(x.outcome) as Input<'milestones.create'>['outcome']) ?? undefined, follow_up_required: x.follow_up_required || Boolean(x.follow_up_date),
        follow_up_date: optional(x.follow_up_date), notes: optional(x.notes),
      };
      return send('milestones.create', body);
    }).then((ok) => {
      if (!ok) return;
      setSaved(`${label(v.milestone_type)} recorded${photos.length ? ` with ${photos.length} photo${photos.length > 1 ? 's' : ''}` : ''}.`);
      form.reset();
      setPhotos([]);
      onSaved();
    });

  return (
    <Card title="Record a milestone">
      <ErrorBanner error={form.failure} />
      {saved && <Notice>{saved}</Notice>}
      <form className="grid" aria-label="Record a milestone" onSubmit={(e) => (e.preventDefault(), void save())}>
        <Field label="Milestone type" error={errors.milestone_type}>
          {(id) => <select id={id} value={v.milestone_type} onChange={(e) => set('milestone_type', e.target.value)}>{MILESTONE_TYPES.map((t) => <option key={t} value={t}>{label(t)}</option>)}</select>}
        </Field>
        <Field label="Date" error={errors.milestone_date}>{(id) => <input id={id} type="date" value={v.milestone_date} onChange={(e) => set('milestone_date', e.target.value)} />}</Field>
        <Field label="Time" error={errors.milestone_time}>{(id) => <input id={id} type="time" value={v.milestone_time} onChange={(e) => set('milestone_time', e.target.value)} />}</Field>
        <Field label="Location name" error={errors.location_name}>{(id) => <input id={id} value={v.location_name} onChange={(e) => set('location_name', e.target.value)} />}</Field>
        <Field label="Latitude" error={errors.location_latitude}>{(id) => <input id={id} inputMode="decimal" value={v.location_latitude} onChange={(e) => (set('location_latitude', e.target.value), set('location_fixed_at', ''))} />}</Field>
        <Field label="Longitude" error={errors.location_longitude}>{(id) => <input id={id} inputMode="decimal" value={v.location_longitude} onChange={(e) => (set('location_longitude', e.target.value), set('location_fixed_at', ''))} />}</Field>
        <Field label="Accuracy (m)" error={errors.location_accuracy_m}>{(id) => <input id={id} inputMode="decimal" value={v.location_accuracy_m} onChange={(e) => set('location_accuracy_m', e.target.value)} />}</Field>
        {isVisit(v.milestone_type) && (
          <Field label="Project site" error={errors.site_project} hint="The visit is checked against this site; the nearest one when left blank.">
            {(id) => (
              <select id={id} value={v.site_project} onChange={(e) => set('site_project', e.target.value)}>
                <option value="">Nearest site</option>
                {sites.data?.map((x) => <option key={x.project_name} value={x.project_name}>{x.project_name} ({x.site_radius_m} m)</option>)}
              </select>
            )}
          </Field>
        )}
        <div className="field wide">
          <button type="button" className="secondary" onClick={useMyLocation}>Use my location</button>
          {geo && <p className="hint" role="status">{geo}</p>}
        </div>
        <div className="field wide">
          <label htmlFor="milestone-photos">Photos</label>
          <input id="milestone-photos" type="file" accept={PHOTO_TYPES.join(',')} capture="environment" multiple onChange={(e) => void pickPhotos(e.target.files, photos, setPhotos, setPhotoError).then(() => (e.target.value = ''))} />
          {photoError ? <p className="field-error" role="alert">{photoError}</p> : <p className="hint">JPEG, PNG or WebP, up to 10 MB each, at most {MAX_PHOTOS}.</p>}
          {photos.length > 0 && (
            <ul className="photo-picks" aria-label="Photos to attach">
              {photos.map((p, i) => (
                <li key={i}>
                  <img src={p.preview} alt={p.file_name} />
                  <button type="button" className="link danger" onClick={() => setPhotos(photos.filter((_, j) => j !== i))} aria-label={`Remove ${p.file_name}`}>Remove</button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <Field label="Visited by" error={errors.visited_by}>{(id) => <input id={id} value={v.visited_by} onChange={(e) => set('visited_by', e.target.value)} />}</Field>
        <Field label="Duration (minutes)" error={errors.duration_minutes}>{(id) => <input id={id} inputMode="numeric" value={v.duration_minutes} onChange={(e) => set('duration_minutes', e.target.value)} />}</Field>
        <Field label="Outcome" error={errors.outcome}>
          {(id) => (
            <select id={id} value={v.outcome} onChange={(e) => set('outcome', e.target.value)}>
              <option value="">—</option>
              {['positive', 'neutral', 'negative'].map((o) => <option key={o} value={o}>{label(o)}</option>)}
            </select>
          )}
        </Field>
        <Field label="Follow-up date" error={errors.follow_up_date}>{(id) => <input id={id} type="date" value={v.follow_up_date} onChange={(e) => set('follow_up_date', e.target.value)} />}</Field>
        <div className="field checkbox">
          <label><input type="checkbox" checked={v.follow_up_required} onChange={(e) => set('follow_up_required', e.target.checked)} /> Follow-up required</label>
        </div>
        <Field label="Notes" error={errors.notes} wide>{(id) => <textarea id={id} value={v.notes} onChange={(e) => set('notes', e.target.value)} />}</Field>
        <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Record milestone</button></div>
      </form>
    </Card>
  );
}

const isVisit = (type: string) => type === 'site_visit' || type === 'revisit';

type Milestone = Output<'milestones.listByLead'>['items'][number];

/** Where a visit was judged to be: on site, or off site by how far. */
function VisitProof({ m }: { m: Milestone }) {
  if (m.off_site === null || m.site_distance_m === null) return null;
  const km = m.site_distance_m >= 1000 ? `${(m.site_distance_m / 1000).toFixed(1)} km` : `${m.site_distance_m} m`;
  return m.off_site
    ? <p className="visit-proof off"><Badge value="off site" tone="negative" /> {km} from the centre of {m.site_project}</p>
    : <p className="visit-proof on"><Badge value="on site" tone="positive" /> {km} from the centre of {m.site_project}</p>;
}

/** A visit's photos as thumbnails; a click shows the photo. */
function Photos({ photos }: { photos: Milestone['photos'] }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <ul className="photos" aria-label="Photos">
        {photos.map((p) => <li key={p.id}><Thumb id={p.id} name={p.original_name} onOpen={() => setOpen(p.id)} /></li>)}
      </ul>
      {open && <PhotoViewer id={open} onClose={() => setOpen(null)} />}
    </>
  );
}

function Thumb({ id, name, onOpen }: { id: string; name: string; onOpen: () => void }) {
  const t = useAsync(() => send('photos.get', { id, variant: 'thumbnail' }), [id]);
  if (t.error) return <span className="photo-missing" title={t.error.message}>{name}: not on this device</span>;
  return <button className="thumb" onClick={onOpen} aria-label={`Photo ${name}`}>{t.data ? <img src={t.data.data_url} alt={name} /> : <span className="loading">…</span>}</button>;
}

function PhotoViewer({ id, onClose }: { id: string; onClose: () => void }) {
  const p = useAsync(() => send('photos.get', { id, variant: 'original' }), [id]);
  // Escape closes it, as a click does.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="overlay" onClick={onClose}>
      <figure className="photo-view" role="dialog" aria-label="Photo">
        <ErrorBanner error={p.error} />
        {p.data ? <img src={p.data.data_url} alt="Visit photo" /> : <Loading what="Opening the photo" />}
      </figure>
    </div>
  );
}

const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const MAX_PHOTOS = 10;
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

interface PickedPhoto {
  file_name: string;
  data_base64: string;
  preview: string;
}

/** Read picked files as base64, refusing (by name) a wrong type, one too large or one too many. */
async function pickPhotos(files: FileList | null, current: PickedPhoto[], set: (p: PickedPhoto[]) => void, fail: (m: string | null) => void) {
  const picked = [...(files ?? [])];
  fail(null);
  if (current.length + picked.length > MAX_PHOTOS) return fail(`At most ${MAX_PHOTOS} photos per milestone.`);
  const out: PickedPhoto[] = [];
  for (const f of picked) {
    if (!PHOTO_TYPES.includes(f.type)) return fail(`${f.name} is not a JPEG, PNG or WebP photo.`);
    if (f.size > MAX_PHOTO_BYTES) return fail(`${f.name} is larger than 10 MB.`);
    const url = await readDataUrl(f);
    out.push({ file_name: f.name, data_base64: base64Of(url), preview: url });
  }
  set([...current, ...out]);
}

function Engagements({ lead }: { lead: Lead }) {
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
      subject: required(v.subject) ? undefined : undefined,
      duration: ((d) => (d && 'error' in d ? d.error : undefined))(v.duration.trim() ? readDuration(v.duration) : null),
    }),
  );
  const { values: v, set, errors } = form;
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
    <Card title="Log an engagement">
      <ErrorBanner error={form.failure} />
      {saved && <Notice>{saved}</Notice>}
      <form className="grid" aria-label="Log an engagement" onSubmit={(e) => (e.preventDefault(), void save())}>
        <Field label="Engagement type" error={errors.engagement_type}>
          {(id) => <select id={id} value={v.engagement_type} onChange={(e) => set('engagement_type', e.target.value)}>{ENGAGEMENT_TYPES.map((t) => <option key={t} value={t}>{label(t)}</option>)}</select>}
        </Field>
        <Field label="Channel" error={errors.engagement_channel}>
          {(id) => <select id={id} value={v.engagement_channel} onChange={(e) => set('engagement_channel', e.target.value)}>{CHANNELS.map((c) => <option key={c} value={c}>{label(c)}</option>)}</select>}
        </Field>
        <Field label="Engagement date" error={errors.engagement_date}>{(id) => <input id={id} type="date" value={v.engagement_date} onChange={(e) => set('engagement_date', e.target.value)} />}</Field>
        <Field label="Engagement status" error={errors.status}>
          {(id) => <select id={id} value={v.status} onChange={(e) => set('status', e.target.value)}>{['completed', 'scheduled', 'cancelled'].map((s) => <option key={s} value={s}>{label(s)}</option>)}</select>}
        </Field>
        <Field label="Subject" error={errors.subject} wide>{(id) => <input id={id} value={v.subject} onChange={(e) => set('subject', e.target.value)} />}</Field>
        <Field label="Duration" hint="minutes (5), 5:30, or 2m 30s" error={errors.duration ?? errors.duration_seconds}>{(id) => <input id={id} value={v.duration} onChange={(e) => set('duration', e.target.value)} />}</Field>
        <Field label="Engagement notes" error={errors.notes} wide>{(id) => <textarea id={id} value={v.notes} onChange={(e) => set('notes', e.target.value)} />}</Field>
        <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Log engagement</button></div>
      </form>
    </Card>
  );
}
