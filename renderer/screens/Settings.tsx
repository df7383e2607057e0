import { useEffect, useState } from 'react';
import { send } from '../api/client.js';
import { Card, ErrorBanner, Field, Loading, Notice, TextField } from '../components/ui.js';
import { useAsync } from '../components/useAsync.js';
import { useForm } from '../components/useForm.js';
import { useSession } from '../store/session.js';

// SPEC §11: the tenant's settings, changed by an admin. Only what was changed is sent.

const FIELDS = ['name', 'timezone', 'currency', 'locale', 'hold_hours', 'demand_notice_days', 'rep_scope'] as const;
type Values = Record<(typeof FIELDS)[number], string>;

export function Settings() {
  const current = useAsync(() => send('settings.get', {}), []);
  const [notice, setNotice] = useState<string | null>(null);
  const form = useForm<Values>({ name: '', timezone: '', currency: '', locale: '', hold_hours: '', demand_notice_days: '', rep_scope: 'all' }, (v) => ({
    hold_hours: /^\d+$/.test(v.hold_hours) ? undefined : 'must be a whole number of hours',
    demand_notice_days: /^\d+$/.test(v.demand_notice_days) ? undefined : 'must be a whole number of days',
  }));
  const loaded = current.data;
  useEffect(() => {
    // The settings as they are: the form starts from them, nothing yet unsaved.
    if (loaded) form.load(Object.fromEntries(FIELDS.map((k) => [k, String(loaded[k])])) as Values);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded]);
  if (!loaded) return <><ErrorBanner error={current.error} onRetry={current.reload} /><Loading what="Loading the settings" /></>;
  const { values: v, set, bind, errors } = form;
  const save = () => form.submit(async (x) => {
    const body: Record<string, string | number> = {};
    for (const k of FIELDS) {
      const value = k === 'hold_hours' || k === 'demand_notice_days' ? Number(x[k]) : x[k];
      if (value !== loaded[k]) body[k] = value;
    }
    await send('settings.update', body);
    // The app's formats (money, dates) follow the new settings.
    useSession.setState({ me: await send('session.me', {}) });
    setNotice(Object.keys(body).length ? `Saved: ${Object.keys(body).map((k) => k.replace(/_/g, ' ')).join(', ')}.` : 'Nothing was changed.');
    current.reload();
  });
  return (
    <>
      <header className="page-head"><h1>Settings</h1></header>
      {notice && <Notice>{notice}</Notice>}
      <Card title={`Tenant ${loaded.tenant_id}`}>
        <ErrorBanner error={form.failure} />
        <form className="grid" aria-label="Tenant settings" onSubmit={(e) => (e.preventDefault(), void save())}>
          <TextField label="Name" error={errors.name} {...bind('name')} />
          <TextField label="Time zone" error={errors.timezone} placeholder="Asia/Kolkata" {...bind('timezone')} />
          <Field label="Currency" error={errors.currency}>{(id) => <input id={id} value={v.currency} onChange={(e) => set('currency', e.target.value.toUpperCase())} placeholder="INR" />}</Field>
          <TextField label="Locale" error={errors.locale} placeholder="en-IN" {...bind('locale')} />
          <TextField label="Hold hours" error={errors.hold_hours} inputMode="numeric" {...bind('hold_hours')} />
          <TextField label="Demand notice days" error={errors.demand_notice_days} inputMode="numeric" {...bind('demand_notice_days')} />
          <Field label="Sales reps see" error={errors.rep_scope}>{(id) => (
            <select id={id} {...bind('rep_scope')}>
              <option value="all">Every lead (they change only their own)</option>
              <option value="own">Only their own leads, and their customers' bookings and money</option>
            </select>
          )}</Field>
          <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Save settings</button></div>
        </form>
      </Card>
    </>
  );
}
