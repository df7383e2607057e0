import { Field, ErrorBanner } from '../components/ui.js';
import { required, useForm } from '../components/useForm.js';
import { useSession } from '../store/session.js';

export function SignIn() {
  const signIn = useSession((s) => s.signIn);
  const ended = useSession((s) => s.ended);
  const form = useForm({ tenant_id: '', username: '', password: '' }, (v) => ({
    tenant_id: required(v.tenant_id) ?? (/^[a-z0-9][a-z0-9_-]{0,62}$/.test(v.tenant_id) ? undefined : 'lower-case letters, digits, - and _'),
    username: required(v.username),
    password: required(v.password),
  }));
  const { values, set, errors } = form;
  return (
    <main className="signin">
      <form
        className="signin-card"
        aria-label="Sign in"
        onSubmit={(e) => {
          e.preventDefault();
          void form.submit((v) => signIn(v));
        }}
      >
        <div className="brand">
          <span className="logo" aria-hidden>◆</span>
          <div>
            <h1>Milepost</h1>
            <p>Every step of every lead, and the money after it.</p>
          </div>
        </div>
        {ended && !form.failure && <div className="banner warn" role="status">Your session ended: {ended.replace(/^./, (c) => c.toLowerCase())}.</div>}
        <ErrorBanner error={form.failure} />
        <Field label="Tenant" error={errors.tenant_id}>{(id) => <input id={id} value={values.tenant_id} autoComplete="organization" onChange={(e) => set('tenant_id', e.target.value)} />}</Field>
        <Field label="Username" error={errors.username}>{(id) => <input id={id} value={values.username} autoComplete="username" onChange={(e) => set('username', e.target.value)} />}</Field>
        <Field label="Password" error={errors.password}>
          {(id) => <input id={id} type="password" value={values.password} autoComplete="current-password" onChange={(e) => set('password', e.target.value)} />}
        </Field>
        <button type="submit" className="primary" disabled={form.busy}>{form.busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
