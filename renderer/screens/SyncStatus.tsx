import { useEffect, useState } from 'react';
import { send } from '../api/client.js';
import { Badge, Card, ErrorBanner, Field, Loading, Notice } from '../components/ui.js';
import { attempt, useAsync } from '../components/useAsync.js';
import { required, useForm } from '../components/useForm.js';
import { useSession } from '../store/session.js';

// SPEC §8 on the desktop: where this tenant syncs to, what is waiting to go, the last
// sync and its conflicts. Sync runs in the background every few minutes once set up;
// "Sync now" runs one at once. Nothing here waits on the network to let you work.

const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');

export function SyncStatus() {
  const role = useSession((s) => s.me?.user.role);
  const status = useAsync(() => send('sync.status', {}), []);
  const [notice, setNotice] = useState<string | null>(null);
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
    await attempt(async () => {
      const r = await send('sync.run', {});
      setNotice(`Synced: ${r.pushed} change(s) sent, ${r.pulled} received${r.conflicts.length ? `, ${r.conflicts.length} conflict(s) to resolve` : ''}.`);
    }, setNotice);
    setRunning(false);
    status.reload();
  };

  const canConfigure = role === 'admin' || role === 'manager';
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
      <ErrorBanner error={status.error} onRetry={status.reload} />
      {editing && <Configure url={s?.url ?? ''} onDone={(m) => (setEditing(false), m && setNotice(m), status.reload())} />}
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
              <dd>{s.last_sync ? `${when(s.last_sync.last_sync)}: ${s.last_sync.pushed} sent, ${s.last_sync.pulled} received` : 'never'}</dd>
              {s.progress && <><dt>Now</dt><dd>{s.progress.phase}: {s.progress.pushed} sent, {s.progress.pulled} received</dd></>}
              {s.last_error && <><dt>Last error</dt><dd className="error-text">{s.last_error}</dd></>}
              {s.last_sync && s.last_sync.rejected.length > 0 && (
                <><dt>Refused by the server</dt><dd>{s.last_sync.rejected.map((r) => `change ${r.mutation_id}: ${r.reason}`).join('; ')}</dd></>
              )}
            </dl>
          </Card>
          <Card title={`Conflicts (${s.conflicts.length})`}>
            {s.conflicts.length === 0 ? (
              <p className="hint">No conflicts. Two devices booking the last unit of a type while offline would show here.</p>
            ) : (
              <table className="data" aria-label="Sync conflicts">
                <thead><tr><th>Booking</th><th>Project</th><th>Unit type</th><th>Conflict</th></tr></thead>
                <tbody>
                  {s.conflicts.map((c) => (
                    <tr key={c.booking_id}>
                      <td>{c.booking_code}</td><td>{c.project_name ?? '—'}</td><td>{c.unit_type ?? '—'}</td>
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

function Configure({ url, onDone }: { url: string; onDone: (message?: string) => void }) {
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
        <Field label="Password" error={errors.password} hint="Kept in this computer’s keychain, never in a file in plain text">
          {(id) => <input id={id} type="password" value={v.password} autoComplete="new-password" onChange={(e) => set('password', e.target.value)} />}
        </Field>
        <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Save</button></div>
      </form>
    </Card>
  );
}
