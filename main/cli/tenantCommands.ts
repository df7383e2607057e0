import { unreadablePhones } from '../services/phones.js';
import path from 'node:path';
import { backupTenant, restoreTenant } from '../backup.js';
import { runDemo } from '../demo/demoData.js';
import { DEMO_REPS } from '../demo/fixtures.js';
import { createTenant, updateSettings } from '../services/tenantSetup.js';
import { addUser, listUsers } from '../services/users.js';
import { integerOption, numberOf, str, tenantOf, userChange, type Command } from './options.js';

// Tenants, their users and settings, demo data, backups and the phone check.

export const tenantCommands: Record<string, Command> = {
  'tenant create': {
    usage: 'milepost tenant create --tenant ID --name NAME --admin USER --password PW [--timezone TZ] [--currency CUR] [--locale LOC]',
    options: { tenant: str, name: str, admin: str, password: str, timezone: str, currency: str, locale: str },
    required: ['tenant', 'name', 'admin', 'password'],
    run: (m, v) => {
      const r = createTenant(m, {
        tenant_id: v.tenant, name: v.name, admin_username: v.admin, admin_password: v.password,
        timezone: v.timezone, currency: v.currency, locale: v.locale,
      });
      return `created tenant ${r.tenant_id} at ${path.join(m.dataDir, 'tenants', `${r.tenant_id}.sqlite`)} with admin user ${String(v.admin)}`;
    },
  },
  'tenant set': {
    usage: 'milepost tenant set --tenant ID [--name N] [--timezone TZ] [--currency C] [--locale L] [--hold-hours H] [--demand-notice-days D] [--rep-scope own|all]',
    options: { tenant: str, name: str, timezone: str, currency: str, locale: str, 'hold-hours': str, 'demand-notice-days': str, 'rep-scope': str },
    required: ['tenant'],
    fields: { hold_hours: 'hold-hours', demand_notice_days: 'demand-notice-days', rep_scope: 'rep-scope' },
    run: (m, v) => {
      const ctx = m.context(tenantOf(v), null);
      const s = updateSettings(ctx, {
        name: v.name, timezone: v.timezone, currency: v.currency, locale: v.locale, hold_hours: numberOf(v['hold-hours']), demand_notice_days: numberOf(v['demand-notice-days']),
        rep_scope: v['rep-scope'],
      });
      return Object.entries(s).map(([k, x]) => `${k}\t${String(x)}`).join('\n');
    },
  },
  'user add': {
    usage: 'milepost user add --tenant ID --username U --password PW --role admin|manager|sales_rep [--display-name NAME]',
    options: { tenant: str, username: str, password: str, role: str, 'display-name': str },
    required: ['tenant', 'username', 'password', 'role'],
    run: (m, v) => {
      const ctx = m.context(tenantOf(v), null);
      const u = addUser(ctx, { username: v.username, password: v.password, role: v.role, display_name: v['display-name'] });
      return `added ${u.role} ${u.username} (${u.id}) to tenant ${ctx.settings.tenant_id}`;
    },
  },
  'user list': {
    usage: 'milepost user list --tenant ID [--all]',
    options: { tenant: str, all: { type: 'boolean' } },
    required: ['tenant'],
    run: (m, v) => {
      const ctx = m.context(tenantOf(v), null);
      const rows: string[] = [];
      for (let offset: number | null = 0; offset !== null;) {
        const page: ReturnType<typeof listUsers.parsed> = listUsers(ctx, { include_inactive: Boolean(v.all), limit: 500, offset });
        rows.push(...page.items.map((u) => `${u.username}\t${u.role}\t${u.active ? 'active' : 'inactive'}\t${u.display_name ?? ''}`));
        offset = page.next_offset;
      }
      return rows.length ? rows.join('\n') : 'no users';
    },
  },
  'user set-role': userChange('milepost user set-role --tenant ID --username U --role admin|manager|sales_rep', { role: str },
    (v) => ({ role: v.role }), (u) => `${u.username} is now ${u.role}; their sessions have ended`),
  'user deactivate': userChange('milepost user deactivate --tenant ID --username U', {},
    () => ({ active: false }), (u) => `${u.username} is deactivated; their sessions have ended`),
  'user activate': userChange('milepost user activate --tenant ID --username U', {},
    () => ({ active: true }), (u) => `${u.username} is active again`),
  'user reset-password': userChange('milepost user reset-password --tenant ID --username U --password PW', { password: str },
    (v) => ({ password: v.password }), (u) => `${u.username}'s password is set; their sessions have ended`),
  demo: {
    usage: 'milepost demo --tenant ID [--leads N] [--seed S] [--today YYYY-MM-DD] [--rep-password PW]',
    options: { tenant: str, leads: str, seed: str, today: str, 'rep-password': str },
    required: ['tenant'],
    fields: { password: 'rep-password' },
    run: (m, v) => {
      const summary = runDemo(m.context(tenantOf(v), null), {
        leads: integerOption(v, 'leads', 500),
        seed: integerOption(v, 'seed', 1),
        today: v.today as string | undefined,
        repPassword: v['rep-password'] as string | undefined,
        onProgress: (done, total) => process.stderr.write(`demo: ${done}/${total} leads\n`),
      });
      const reps = summary.reps && !v['rep-password']
        ? `\nthe leads are assigned to sales reps ${DEMO_REPS.join(', ')}; to sign in as one: milepost user reset-password --tenant ${tenantOf(v)} --username ${DEMO_REPS[0]} --password …`
        : '';
      return `demo data for ${tenantOf(v)}: ${Object.entries(summary).map(([k, n]) => `${n} ${k}`).join(', ')}${reps}`;
    },
  },
  'check phones': {
    usage: 'milepost check phones --tenant ID   (the phone numbers kept as typed because they cannot be read: put them right in the app)',
    options: { tenant: str },
    required: ['tenant'],
    run: (m, v) => {
      const bad = unreadablePhones(m.context(tenantOf(v), null));
      if (!bad.length) return 'every phone number is readable';
      return [`${bad.length} phone number(s) cannot be read as a number of any country:`, 'kind\tcode\tname\tphone as typed\tid', ...bad.map((b) => [b.kind, b.code ?? '-', b.name, b.phone, b.id].join('\t'))].join('\n');
    },
  },
  backup: {
    usage: 'milepost backup --tenant ID --out FILE',
    options: { tenant: str, out: str },
    required: ['tenant', 'out'],
    run: (m, v) => {
      const { files } = backupTenant(m, tenantOf(v), String(v.out));
      return `backed up tenant ${tenantOf(v)} to ${path.resolve(String(v.out))} (database and ${files} file${files === 1 ? '' : 's'}: visit photos)`;
    },
  },
  restore: {
    usage: 'milepost restore --tenant ID --from FILE',
    options: { tenant: str, from: str },
    required: ['tenant', 'from'],
    run: (m, v) => {
      const r = restoreTenant(m, tenantOf(v), String(v.from));
      const kept = [r.safety_copy && `previous database kept at ${r.safety_copy}`, r.files_safety_copy && `previous files at ${r.files_safety_copy}`].filter(Boolean);
      return `restored tenant ${tenantOf(v)} from ${path.resolve(String(v.from))}${kept.length ? ` (${kept.join('; ')})` : ''}`;
    },
  },
};
