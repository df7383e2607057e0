import { useEffect, useState } from 'react';
import { send } from '../api/client.js';
import type { ApiError, Input, Output } from '../api/types.js';
import { Badge, Card, ErrorBanner, Field, Loading, Notice, Choice, TextField } from '../components/ui.js';
import { asApiError, useAsync } from '../components/useAsync.js';
import { required, useForm } from '../components/useForm.js';
import { label } from '../format.js';
import { useSession } from '../store/session.js';

// An admin's users — add one, change a role, reset a password, deactivate.
// Each of the last three ends that user's sessions at once (SPEC §11).

type User = Output<'users.list'>['items'][number];
type Role = Input<'users.add'>['role'];
const ROLES: Role[] = ['sales_rep', 'manager', 'admin'];

export function Users() {
  const me = useSession((s) => s.me);
  const [showInactive, setShowInactive] = useState(false);
  const list = useAsync(() => send('users.list', { include_inactive: showInactive, limit: 500 }), [showInactive]);
  const [notice, setNotice] = useState<string | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const change = (u: User, body: Omit<Input<'users.update'>, 'id'>, done: string) =>
    send('users.update', { id: u.id, ...body }).then(
      () => (setFailure(null), setNotice(done), list.reload()),
      (err: unknown) => (setNotice(null), setFailure(asApiError(err))),
    );
  // Deactivating ends the user's sessions at once: asked first.
  const deactivate = (u: User) => {
    if (!confirm(`Deactivate ${u.username}? They are signed out everywhere at once and cannot sign in until reactivated.`)) return;
    void change(u, { active: false }, `${u.username} is deactivated; their sessions have ended.`);
  };
  return (
    <>
      <header className="page-head">
        <h1>Users</h1>
        <label className="as-of"><input type="checkbox" checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)} /> Show deactivated</label>
      </header>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBanner error={failure} />
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <NewUser notice={notice} onAdded={(u) => (setFailure(null), setNotice(`Added ${label(u.role).toLowerCase()} ${u.username}.`), list.reload())} />
      {resetting && <ResetPassword user={resetting} onDone={(m) => (setResetting(null), m && setNotice(m))} />}
      {!list.data ? <Loading what="Loading users" /> : (
        <table className="data" aria-label="Users">
          <thead><tr><th>User</th><th>Role</th><th>Status</th><th /></tr></thead>
          <tbody>
            {list.data.items.map((u) => {
              const self = u.id === me?.user.id;
              return (
                <tr key={u.id}>
                  <td><strong>{u.username}</strong>{u.display_name && u.display_name !== u.username && <small>{u.display_name}</small>}</td>
                  <td>
                    <select aria-label={`Role of ${u.username}`} value={u.role} disabled={!u.active}
                      onChange={(e) => void change(u, { role: e.target.value as Role }, `${u.username} is now ${label(e.target.value).toLowerCase()}; their sessions have ended.`)}>
                      {ROLES.map((r) => <option key={r} value={r}>{label(r)}</option>)}
                    </select>
                  </td>
                  <td><Badge value={u.active ? 'active' : 'inactive'} /></td>
                  <td className="nowrap">
                    <button className="link" onClick={() => setResetting(u)}>Reset password</button>
                    {' · '}
                    {u.active
                      ? <button className="link danger" disabled={self} title={self ? 'You cannot deactivate yourself' : undefined} onClick={() => deactivate(u)}>Deactivate</button>
                      : <button className="link" onClick={() => void change(u, { active: true }, `${u.username} is active again.`)}>Reactivate</button>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}

function NewUser({ onAdded, notice }: { onAdded: (u: User) => void; notice: string | null }) {
  const form = useForm({ username: '', display_name: '', password: '', role: 'sales_rep' }, (v) => ({
    username: required(v.username),
    password: v.password.length >= 8 ? undefined : 'must be at least 8 characters',
  }));
  const { bind, errors } = form;
  // Another change made since (a role, a deactivation) leaves this form's last refusal behind.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => form.clearFailure(), [notice]);
  return (
    <Card title="Add a user">
      <ErrorBanner error={form.failure} />
      <form className="inline-form" aria-label="Add a user" onSubmit={(e) => {
        e.preventDefault();
        let added: User | null = null;
        void form.submit(async (x) => {
          added = await send('users.add', { username: x.username, password: x.password, role: x.role as Role, ...(x.display_name ? { display_name: x.display_name } : {}) });
        }).then((ok) => ok && added && (form.reset(), onAdded(added)));
      }}>
        <TextField label="Username" error={errors.username} autoComplete="off" {...bind('username')} />
        <TextField label="Name" error={errors.display_name} {...bind('display_name')} />
        <TextField label="Password" error={errors.password} type="password" autoComplete="new-password" {...bind('password')} />
        <Field label="Role">{(id) => <Choice id={id} {...bind('role')} options={ROLES} />}</Field>
        <button type="submit" className="primary" disabled={form.busy}>Add user</button>
      </form>
    </Card>
  );
}

function ResetPassword({ user, onDone }: { user: User; onDone: (message?: string) => void }) {
  const form = useForm({ password: '' }, (v) => ({ password: v.password.length >= 8 ? undefined : 'must be at least 8 characters' }));
  return (
    <Card title={`New password for ${user.username}`} actions={<button className="link" onClick={() => onDone()}>Cancel</button>}>
      <ErrorBanner error={form.failure} />
      <form className="inline-form" aria-label={`New password for ${user.username}`} onSubmit={(e) => {
        e.preventDefault();
        void form.submit((x) => send('users.update', { id: user.id, password: x.password }))
          .then((ok) => ok && onDone(`${user.username}'s password is set; their sessions have ended.`));
      }}>
        <Field label="New password" error={form.errors.password}>{(id) => <input id={id} type="password" autoComplete="new-password" value={form.values.password} onChange={(e) => form.set('password', e.target.value)} />}</Field>
        <button type="submit" className="primary" disabled={form.busy}>Set password</button>
      </form>
    </Card>
  );
}
