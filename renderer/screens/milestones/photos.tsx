import { useEffect, useState } from 'react';
import { MAX_PHOTO_BYTES, MAX_PHOTOS } from '../../../main/domain/photoLimits.js';
import { photoTypes } from '../../../db/schema/enums.js';
import { send } from '../../api/client.js';
import type { Output } from '../../api/types.js';
import { base64Of, readDataUrl } from '../../components/readFile.js';
import { Badge, ErrorBanner, Loading } from '../../components/ui.js';
import { useAsync } from '../../components/useAsync.js';

// A visit's proof: whether it was on site, and its photos — shown as thumbnails, opened
// on a click, and picked (checked by type, size and count as the engine checks them).

type Milestone = Output<'milestones.listByLead'>['items'][number];

/** Where a visit was judged to be: on site, or off site by how far. */
export function VisitProof({ m }: { m: Milestone }) {
  if (m.off_site === null || m.site_distance_m === null) return null;
  const km = m.site_distance_m >= 1000 ? `${(m.site_distance_m / 1000).toFixed(1)} km` : `${m.site_distance_m} m`;
  return m.off_site
    ? <p className="visit-proof off"><Badge value="off site" tone="negative" /> {km} from the centre of {m.site_project}</p>
    : <p className="visit-proof on"><Badge value="on site" tone="positive" /> {km} from the centre of {m.site_project}</p>;
}

/** A visit's photos as thumbnails; a click shows the photo. */
export function Photos({ photos }: { photos: Milestone['photos'] }) {
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

export interface PickedPhoto {
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
    if (!(photoTypes as readonly string[]).includes(f.type)) return fail(`${f.name} is not a JPEG, PNG or WebP photo.`);
    if (f.size > MAX_PHOTO_BYTES) return fail(`${f.name} is larger than ${MAX_PHOTO_BYTES / 1048576} MB.`);
    const url = await readDataUrl(f);
    out.push({ file_name: f.name, data_base64: base64Of(url), preview: url });
  }
  set([...current, ...out]);
}

/** Photos picked for a milestone, shown before they are sent; one can be taken off again. */
export function PhotoPicker({ photos, onChange }: { photos: PickedPhoto[]; onChange: (photos: PickedPhoto[]) => void }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="field wide">
      <label htmlFor="milestone-photos">Photos</label>
      <input id="milestone-photos" type="file" accept={photoTypes.join(',')} capture="environment" multiple onChange={(e) => void pickPhotos(e.target.files, photos, onChange, setError).then(() => (e.target.value = ''))} />
      {error ? <p className="field-error" role="alert">{error}</p> : <p className="hint">JPEG, PNG or WebP, up to {MAX_PHOTO_BYTES / 1048576} MB each, at most {MAX_PHOTOS}.</p>}
      {photos.length > 0 && (
        <ul className="photo-picks" aria-label="Photos to attach">
          {photos.map((p, i) => (
            <li key={i}>
              <img src={p.preview} alt={p.file_name} />
              <button type="button" className="link danger" onClick={() => onChange(photos.filter((_, j) => j !== i))} aria-label={`Remove ${p.file_name}`}>Remove</button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
