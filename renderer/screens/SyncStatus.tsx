import { useEffect, useState } from 'react';
import { send } from '../api/client.js';
import { Badge, Card, ErrorBanner, Field, Loading, Notice } from '../components/ui.js';
import { attempt, useAsync } from '../components/useAsync.js';
import { required, useForm } from '../components/useForm.js';
import { useCan, useSession } from '../store/session.js';
import { instant } from '../format.js';

// SPEC §8 on the desktop: where this tenant syncs to, what is waiting to go, the last
// sync and its conflicts. Sync runs in the background every few minutes once set up;
// "Sync now" runs one at once. Nothing here waits on the network to let you work.

const when = (iso: string | null | undefined) => instant(iso);

export function SyncStatus() {
  const can = useCan();
  const status = useAsync(() => send('sync.status', {}), []);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [running, setRunning] = useState(false);
  const s = status.data;

  // While a sync runs (here or in the background), follow its progress.
  useEffect(() => {
    if (!running && !s?.running) return undefined;
    const t = setInterval(() => status.reload(), 1000);
    return () => clearInterval(t);
  }, [running, s?.running]); // eslint-disable-line react-hooks/exhaustive-deps

  const syncNow = async () => {
    setRunning(true);
    setNotice(null);
    setFailure(null);
    await attempt(async () => {
      const r = await send('sync.run', {});
      const told = r.renamed.length + r.rejected.length;
      // The tenant's name or time zone taken from the server shows at once.
      if (Object.keys(r.adopted).length) useSession.setState({ me: await send('session.me', {}) });
      setNotice(`Synced: ${r.pushed} change(s) sent, ${r.pulled} received${r.conflicts.length ? `, ${r.conflicts.length} conflict(s) to resolve` : ''}${told ? `; the server changed or refused ${told} record(s), listed below` : ''}.`);
    }, (message) => setFailure(message.replace(/^sync failed: /, '')));
    setRunning(false);
    status.reload();
  };

  const canConfigure = can('sync.configure');
  return (
    <>
      <header className="page-head">
        <h1>Sync</h1>
        <div className="actions">
          {canConfigure && <button onClick={() => setEditing(true)}>{s?.configured ? 'Change connection' : 'Set up sync'}</button>}
          {s?.configured && <button className="primary" disabled={running || s.running || !s.has_password} onClick={() => void syncNow()}>{running || s.running ? 'Syncing…' : 'Sync now'}</button>}
        </div>
      </header>
      {notice && <Notice>{notice}</Notice>}
      {failure && (
        <div className="banner error" role="alert">
          <strong>Sync failed</strong>
          <span>{failure}</span>
          <span>Nothing was lost: your changes stay on this device and go at the next sync.</span>
        </div>
      )}
      {s?.clock_warning && (
        <div className="banner warn" role="alert" aria-label="Clock warning">
          <strong>Check this computer’s clock</strong>
          <span>{s.clock_warning}.</span>
        </div>
      )}
      <ErrorBanner error={status.error} onRetry={status.reload} />
      {editing && <Configure url={s?.url ?? ''} keptIn={s?.passwords_kept_in ?? 'memory'} onDone={(m) => (setEditing(false), m && setNotice(m), status.reload())} />}
      {!s ? (
        <Loading what="Loading sync status" />
      ) : !s.configured ? (
        <Card title="Sync is not set up">
          <p>Everything you record is saved on this device and Milepost works fully offline: nothing waits on a network.</p>
          <p>
            Once head office gives this branch a login to the central Postgres (<code>milepost server add-tenant</code>), set it up here. Sync then sends
            this device's changes and brings back everyone else's every few minutes, and whenever you press <em>Sync now</em>.
          </p>
          {!canConfigure && <p className="hint">An admin or manager sets up sync.</p>}
        </Card>
      ) : (
        <>
          <Card title="Connection">
            <dl className="facts" aria-label="Sync connection">
              <dt>Central Postgres</dt><dd><code>{s.url}</code></dd>
              <dt>Password</dt>
              <dd>{s.has_password ? (s.password_kept === 'keychain' ? 'kept in this computer’s keychain' : 'kept in memory until Milepost closes') : <Badge value="missing — enter it again" tone="bad" />}</dd>
              <dt>Next background sync</dt><dd>{when(s.next_run_at)}</dd>
            </dl>
          </Card>
          <Card title="Status">
            <dl className="facts" aria-label="Sync status">
              <dt>Changes waiting to be sent</dt><dd><strong>{s.pending_changes}</strong></dd>
              <dt>Last sync</dt>
              <dd>
                {s.last_sync
                  ? `${when(s.last_sync.last_sync)}: ${s.last_sync.pushed} sent, ${s.last_sync.pulled} received${s.last_sync.restamped ? `; ${s.last_sync.restamped} stamped ahead of the server’s clock, kept under its time` : ''}`
                  : 'never'}
              </dd>
              {s.progress && <><dt>Now</dt><dd>{s.progress.phase}: {s.progress.pushed} sent, {s.progress.pulled} received</dd></>}
              {s.last_error && <><dt>Last attempt</dt><dd className="error-text">failed: {s.last_error}</dd></>}
              {s.last_sync && Object.keys(s.last_sync.adopted ?? {}).length > 0 && (
                <><dt>Taken from the tenant</dt><dd>{Object.entries(s.last_sync.adopted).map(([k, c]) => `${k.replace('timezone', 'time zone')} ${c.to} (was ${c.from})`).join('; ')}</dd></>
              )}
            </dl>
          </Card>
          {s.last_sync && (s.last_sync.renamed?.length ?? 0) + s.last_sync.rejected.length > 0 && (
            <Card title="What the server changed at the last sync">
              <ul className="told" aria-label="What the server changed">
                {s.last_sync.rejected.map((r) => <li key={`r${r.mutation_id}`} className="error-text">{r.words ?? `change ${r.mutation_id} refused: ${r.reason}`}</li>)}
                {(s.last_sync.renamed ?? []).map((r) => <li key={`n${r.table}${r.id}`}>{r.words}</li>)}
              </ul>
            </Card>
          )}
          <Card title={`Conflicts (${s.conflicts.length + s.hold_conflicts.length})`}>
            {s.hold_conflicts.length > 0 && (
              <ul className="told" aria-label="Holds released at sync">
                {s.hold_conflicts.map((h) => (
                  <li key={h.hold_id}>
                    The hold of {h.project_name}{h.tower ? ` ${h.tower}` : ''} unit {h.unit_number} for {h.lead_name} ({instant(h.held_at)}) was released on {instant(h.released_at)}: another device had held the unit first.
                  </li>
                ))}
              </ul>
            )}
            {s.conflicts.length === 0 ? (
              s.hold_conflicts.length === 0 && <p className="hint">No conflicts. Two devices booking the last unit of a type, or holding or booking one unit, while offline would show here.</p>
            ) : (
              <table className="data" aria-label="Sync conflicts">
                <thead><tr><th>Booking</th><th>Project</th><th>Unit type</th><th>Unit</th><th>Conflict</th></tr></thead>
                <tbody>
                  {s.conflicts.map((c) => (
                    <tr key={c.booking_id}>
                      <td>{c.booking_code}</td><td>{c.project_name ?? '—'}</td><td>{c.unit_type ?? '—'}</td><td>{c.unit ?? '—'}</td>
                      <td><Badge value={c.conflict === 'overbooking' ? 'overbooked: more bookings than units' : c.conflict} tone="bad" /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        </>
      )}
    </>
  );
}

function Configure({ url, keptIn, onDone }: { url: string; keptIn: 'keychain' | 'memory'; onDone: (message?: string) => void }) {
  const form = useForm({ url, password: '' }, (v) => ({
    url: required(v.url) ?? (/^postgres(ql)?:\/\/[^@/\s]+@/.test(v.url) ? undefined : 'must look like postgres://login@host:5432/database'),
  }));
  const { values: v, set, errors } = form;
  const save = () =>
    form.submit(() => send('sync.configure', { url: v.url, ...(v.password ? { password: v.password } : {}) }))
      .then((ok) => ok && onDone('Sync is set up. It runs in the background every few minutes.'));
  return (
    <Card title="Central Postgres" actions={<button className="link" onClick={() => onDone()}>Cancel</button>}>
      <ErrorBanner error={form.failure} />
      <form className="grid" aria-label="Sync connection" onSubmit={(e) => (e.preventDefault(), void save())}>
        <Field label="Connection URL" error={errors.url} hint="As head office gave it: postgres://login@host:5432/database" wide>
          {(id) => <input id={id} value={v.url} autoComplete="off" spellCheck={false} onChange={(e) => set('url', e.target.value)} />}
        </Field>
        <Field label="Password" error={errors.password} hint={keptIn === 'keychain' ? 'Kept in this computer’s keychain, never in a file in plain text' : 'Kept in the memory of the Milepost serving this page until it stops, never in a file: enter it again after a restart'}>
          {(id) => <input id={id} type="password" value={v.password} autoComplete="new-password" onChange={(e) => set('password', e.target.value)} />}
        </Field>
        <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Save</button></div>
      </form>
    </Card>
  );
}
