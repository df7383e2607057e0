import { useState } from 'react';
import { milestoneTypes, outcomes } from '../../../db/schema/enums.js';
import { send } from '../../api/client.js';
import type { Input } from '../../api/types.js';
import { Field, TextField, ChoiceField, FormCard } from '../../components/ui.js';
import { useAsync } from '../../components/useAsync.js';
import { DATE_RE, optional, optionalNumber, useForm } from '../../components/useForm.js';
import { label, today } from '../../format.js';
import { PhotoPicker, type PickedPhoto } from './photos.js';

export const isVisit = (type: string) => type === 'site_visit' || type === 'revisit';

/** Record a milestone: a visit with the device's location, its site and photos; a follow-up date when the next step is known. */
export function MilestoneForm({ leadId, onSaved }: { leadId: string; onSaved: () => void }) {
  const initial = {
    milestone_type: 'site_visit', milestone_date: today(), milestone_time: '', location_name: '', location_latitude: '', location_longitude: '',
    location_accuracy_m: '', location_fixed_at: '', site_project: '', visited_by: '', duration_minutes: '', outcome: '', follow_up_required: false,
    follow_up_date: '', notes: '',
  };
  const [saved, setSaved] = useState<string | null>(null);
  const [geo, setGeo] = useState<string | null>(null);
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
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
  const { values: v, set, bind, errors } = form;

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
    <FormCard title="Record a milestone" failure={form.failure} notice={saved} onSubmit={save}>
      <ChoiceField label="Milestone type" error={errors.milestone_type} {...bind('milestone_type')} options={milestoneTypes} />
      <TextField label="Date" error={errors.milestone_date} type="date" {...bind('milestone_date')} />
      <TextField label="Time" error={errors.milestone_time} type="time" {...bind('milestone_time')} />
      <TextField label="Location name" error={errors.location_name} {...bind('location_name')} />
      <Field label="Latitude" error={errors.location_latitude}>{(id) => <input id={id} inputMode="decimal" value={v.location_latitude} onChange={(e) => (set('location_latitude', e.target.value), set('location_fixed_at', ''))} />}</Field>
      <Field label="Longitude" error={errors.location_longitude}>{(id) => <input id={id} inputMode="decimal" value={v.location_longitude} onChange={(e) => (set('location_longitude', e.target.value), set('location_fixed_at', ''))} />}</Field>
      <TextField label="Accuracy (m)" error={errors.location_accuracy_m} inputMode="decimal" {...bind('location_accuracy_m')} />
      {isVisit(v.milestone_type) && (
        <Field label="Project site" error={errors.site_project} hint="The visit is checked against this site; the nearest one when left blank.">
          {(id) => (
            <select id={id} {...bind('site_project')}>
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
      <PhotoPicker photos={photos} onChange={setPhotos} />
      <TextField label="Visited by" error={errors.visited_by} {...bind('visited_by')} />
      <TextField label="Duration (minutes)" error={errors.duration_minutes} inputMode="numeric" {...bind('duration_minutes')} />
      <Field label="Outcome" error={errors.outcome}>
        {(id) => (
          <select id={id} {...bind('outcome')}>
            <option value="">—</option>
            {outcomes.map((o) => <option key={o} value={o}>{label(o)}</option>)}
          </select>
        )}
      </Field>
      <TextField label="Follow-up date" error={errors.follow_up_date} type="date" {...bind('follow_up_date')} />
      <div className="field checkbox">
        <label><input type="checkbox" checked={v.follow_up_required} onChange={(e) => set('follow_up_required', e.target.checked)} /> Follow-up required</label>
      </div>
      <Field label="Notes" error={errors.notes} wide>{(id) => <textarea id={id} {...bind('notes')} />}</Field>
      <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Record milestone</button></div>
    </FormCard>
  );
}
