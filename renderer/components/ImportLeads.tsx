import { useEffect, useState } from 'react';
import { send } from '../api/client.js';
import { ApiError, type Input, type Output } from '../api/types.js';
import { label, number } from '../format.js';
import { base64Of, readDataUrl } from './readFile.js';
import { Card, ErrorBanner, Notice } from './ui.js';
import { asApiError } from './useAsync.js';

/** A refusal of the file in words of the file, not of the request's fields (`data_base64: has 500,000 columns…` → `The file has 500,000 columns…`). */
function aboutTheFile(error: ApiError): ApiError {
  const d = error.details[0];
  if (!d || (d.field !== 'data_base64' && d.field !== 'file_name')) return error;
  return new ApiError(error.code, `The file ${d.field === 'file_name' ? 'name ' : ''}${d.message}`.replace(/^The file name is an old/, 'The file is an old'), error.details, error.status);
}

// Import leads from a CSV or Excel file — choose the file, check the columns'
// fields and the duplicates (skip, merge or keep each), then confirm; nothing is written
// before that. The import runs in the background with a progress bar.

type Preview = Output<'imports.preview'>;
type Field = Preview['mapping'][string];
type Action = 'skip' | 'merge' | 'keep';
const FIELDS: Field[] = [
  'ignore', 'id', 'lead_code', 'name', 'email', 'phone', 'company', 'source', 'source_name', 'source_type', 'campaign', 'campaign_code', 'campaign_name', 'campaign_type',
  'assigned_to', 'status', 'reached_rank', 'lead_date', 'lost_reason', 'notes',
];
const KIND: Record<string, string> = { id: 'same id', phone: 'same phone', email: 'same email', name_company: 'same name and company' };

export function ImportLeads({ onClose, onImported }: { onClose: () => void; onImported: (summary: string) => void }) {
  const [file, setFile] = useState<{ file_name: string; data_base64: string } | null>(null);
  const [reading, setReading] = useState<number | null>(null);
  const [mapping, setMapping] = useState<Record<string, Field>>({});
  const [onDuplicate, setOnDuplicate] = useState<Action>('skip');
  const [decisions, setDecisions] = useState<Record<string, Action>>({});
  // A file from another branch names sources, campaigns and reps this tenant lacks.
  const [createMissing, setCreateMissing] = useState(false);
  const [unassignUnknown, setUnassignUnknown] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);

  const input = (): Input<'imports.preview'> | null =>
    file && { ...file, mapping, on_duplicate: onDuplicate, decisions, create_missing: createMissing, unassign_unknown: unassignUnknown };

  // The preview follows every choice; it writes nothing.
  useEffect(() => {
    const body = input();
    if (!body) return;
    let live = true;
    setBusy(true);
    send('imports.preview', body).then(
      (p) => live && (setPreview(p), setError(null), setBusy(false)),
      (e: unknown) => live && (setPreview(null), setError(asApiError(e)), setBusy(false)),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [file, JSON.stringify(mapping), onDuplicate, JSON.stringify(decisions), createMissing, unassignUnknown]);

  async function choose(f: File | undefined) {
    if (!f) return;
    setPreview(null);
    setMapping({});
    setDecisions({});
    setReading(0);
    try {
      setFile({ file_name: f.name, data_base64: base64Of(await readDataUrl(f, setReading)) });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setReading(null);
    }
  }

  async function confirm() {
    const body = input();
    if (!body || !preview) return;
    setBusy(true);
    try {
      const { job_id } = await send('imports.start', body);
      setProgress({ done: 0, total: preview.valid_rows });
      for (;;) {
        await new Promise((r) => setTimeout(r, 250));
        const job = await send('imports.status', { job_id });
        setProgress({ done: job.done, total: job.total || preview.valid_rows });
        if (job.state === 'failed') throw Object.assign(new Error(job.error?.message ?? 'the import failed'), { code: job.error?.code });
        if (job.state === 'done' && job.result) {
          const r = job.result;
          onImported(`Imported ${number(r.created)} new lead(s); ${number(r.merged)} merged, ${number(r.skipped)} skipped${r.error_rows ? `, ${number(r.error_rows)} row(s) with errors left out` : ''}.`);
          return;
        }
      }
    } catch (e) {
      setError(asApiError(e));
      setProgress(null);
    } finally {
      setBusy(false);
    }
  }

  const p = preview;
  return (
    <Card title="Import leads" className="import" actions={<button className="link" onClick={onClose} disabled={progress !== null}>Close</button>}>
      <div className="field">
        <label htmlFor="import-file">CSV or Excel (.xlsx) file</label>
        <input id="import-file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(e) => void choose(e.target.files?.[0])} />
        {reading !== null && <progress aria-label="Reading the file" max={1} value={reading} />}
      </div>
      <ErrorBanner error={error && aboutTheFile(error)} />
      {p && (
        <>
          <p className="import-summary" role="status" aria-label="Import preview">
            {p.file_name}: <strong>{number(p.total_rows)}</strong> rows · will create <strong>{number(p.plan.create)}</strong>, merge <strong>{number(p.plan.merge)}</strong>,
            skip <strong>{number(p.plan.skip)}</strong> · <strong>{number(p.plan.errors)}</strong> row(s) with errors
            {p.default_country && <> · phone numbers without a country code are read as {p.default_country}</>}
          </p>
          <table className="data compact" aria-label="Column mapping">
            <thead><tr><th>Column in the file</th><th>Lead field</th><th>First value</th></tr></thead>
            <tbody>
              {p.columns.map((c, i) => (
                <tr key={c || i}>
                  <td>{c || '(no header)'}</td>
                  <td>
                    <select aria-label={`Field for ${c}`} value={mapping[c] ?? p.mapping[c] ?? 'ignore'} onChange={(e) => setMapping({ ...mapping, [c]: e.target.value as Field })}>
                      {FIELDS.map((f) => <option key={f} value={f}>{f === 'ignore' ? '— not imported —' : label(f)}</option>)}
                    </select>
                  </td>
                  <td className="muted">{String(p.sample[0]?.lead[fieldOf(p.mapping[c])] ?? '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {(p.missing.sources.length > 0 || p.missing.campaigns.length > 0) && (
            <section className="import-missing" aria-label="Sources and campaigns not in this tenant">
              <h3>Named in the file, not in this tenant</h3>
              <ul>
                {p.missing.sources.map((m) => <li key={`s:${m.source_name}`}>Source <strong>{m.source_name}</strong> ({label(m.source_type)}) · {number(m.rows)} row(s)</li>)}
                {p.missing.campaigns.map((m) => <li key={`c:${m.campaign_code}`}>Campaign <strong>{m.campaign_name}</strong> ({m.campaign_code}, {label(m.campaign_type)}) · {number(m.rows)} row(s)</li>)}
              </ul>
              <label className="check">
                <input type="checkbox" checked={createMissing} onChange={(e) => setCreateMissing(e.target.checked)} />
                Create {p.missing.sources.length ? `${number(p.missing.sources.length)} source(s)` : ''}{p.missing.sources.length && p.missing.campaigns.length ? ' and ' : ''}
                {p.missing.campaigns.length ? `${number(p.missing.campaigns.length)} campaign(s)` : ''} with the import
              </label>
            </section>
          )}
          {p.missing.users.length > 0 && (
            <section className="import-missing" aria-label="Assigned to people who are not users here">
              <h3>Assigned to people who are not active users here</h3>
              <p>{p.missing.users.map((u) => `${u.username} (${number(u.rows)})`).join(' · ')}</p>
              <label className="check">
                <input type="checkbox" checked={unassignUnknown} onChange={(e) => setUnassignUnknown(e.target.checked)} />
                Import their leads unassigned (assign them here afterwards)
              </label>
            </section>
          )}
          {p.duplicate_count > 0 && (
            <>
              <div className="toolbar">
                <h3>Duplicates ({number(p.duplicate_count)})</h3>
                <label>For all: <select aria-label="Duplicates: for all" value={onDuplicate} onChange={(e) => (setOnDuplicate(e.target.value as Action), setDecisions({}))}>
                  <option value="skip">Skip</option><option value="merge">Merge into the existing lead</option><option value="keep">Keep as a new lead</option>
                </select></label>
              </div>
              <table className="data compact" aria-label="Duplicates">
                <thead><tr><th>Row</th><th>Name</th><th>Matches</th><th>Because of</th><th>Action</th></tr></thead>
                <tbody>
                  {p.duplicates.map((d) => (
                    <tr key={d.row}>
                      <td>{d.row}</td><td>{d.name}</td>
                      <td>{d.lead_id ? `lead “${d.lead_name}”` : `row ${d.file_row} of this file`}</td>
                      <td>{KIND[d.kind]}</td>
                      <td>
                        <select aria-label={`Action for row ${d.row}`} value={decisions[d.row] ?? d.action} onChange={(e) => setDecisions({ ...decisions, [d.row]: e.target.value as Action })}>
                          <option value="skip">Skip</option><option value="merge">Merge</option><option value="keep">Keep</option>
                        </select>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {p.error_count > 0 && (
            <>
              <h3>Rows that will not be imported ({number(p.error_count)} problem{p.error_count > 1 ? 's' : ''})</h3>
              <ul className="import-errors" aria-label="Row errors">
                {p.errors.map((e, i) => <li key={i}>Row {e.row}: <strong>{e.field}</strong> {e.message}</li>)}
              </ul>
            </>
          )}
          {progress ? (
            <div className="import-progress">
              <progress aria-label="Import progress" max={progress.total || 1} value={progress.done} />
              <span>{number(progress.done)} of {number(progress.total)} rows</span>
            </div>
          ) : (
            <div className="form-actions">
              <button className="primary" disabled={busy || p.plan.create + p.plan.merge === 0} onClick={() => void confirm()}>
                Import {number(p.plan.create)} new lead{p.plan.create === 1 ? '' : 's'}{p.plan.merge ? ` and merge ${number(p.plan.merge)}` : ''}
              </button>
            </div>
          )}
        </>
      )}
      {!file && reading === null && <Notice>Nothing is written until you confirm the preview.</Notice>}
    </Card>
  );
}

/** The key a mapped field has in a previewed lead. */
const fieldOf = (f: Field | undefined) => (f === 'source' || f === 'source_name' ? 'source_id' : f === 'campaign' || f === 'campaign_code' || f === 'campaign_name' ? 'campaign_id' : (f ?? ''));
