import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { tenantSettings } from '../../db/schema/index.js';
import { isTimeZone } from '../../db/values/dates.js';
import { nowIso, type ServiceContext, type TenantSettingsRow } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import { requiredText, parsing } from '../domain/validation.js';
import type Database from 'better-sqlite3';
import type { TenantManager } from '../tenants.js';
import { TENANT_ID_RE } from '../domain/tenantId.js';
import { addUser } from './users.js';
import { audit } from './records.js';

/** The tenant's settings as its database holds them. */
export function loadSettings(db: Database.Database): TenantSettingsRow {
  const row = db
    .prepare('SELECT tenant_id, name, timezone, currency, locale, device_tag, unit_hold_hours, demand_notice_days, rep_scope FROM tenant_settings LIMIT 1')
    .get() as TenantSettingsRow | undefined;
  if (!row) throw new AppError('bad_request', 'not a Milepost tenant database (no tenant settings)');
  return row;
}

export const createTenantInput = z.strictObject({
  tenant_id: z.string({ error: 'is required' }).regex(TENANT_ID_RE, { error: 'must match ^[a-z0-9][a-z0-9_-]{0,62}$' }),
  name: requiredText(200),
  timezone: z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as Asia/Kolkata' }).default('UTC'),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as INR' }).default('INR'),
  locale: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { error: 'must be a locale such as en-IN' }).default('en-IN'),
  admin_username: z.string({ error: 'is required' }),
  admin_password: z.string({ error: 'is required' }),
});

/** Create a tenant database with its settings and first admin user, all or nothing. */
export const createTenant = parsing(createTenantInput, (manager: TenantManager, { admin_username, admin_password, ...settings }): { tenant_id: string; admin_id: string } => {
  let adminId = '';
  manager.create(settings.tenant_id, (ctx: ServiceContext) => {
    const at = nowIso(ctx);
    const row = { ...settings, device_tag: randomBytes(2).toString('hex').toUpperCase(), created_at: at, updated_at: at };
    ctx.orm.insert(tenantSettings).values(row).run();
    ctx.settings = row;
    audit(ctx, 'tenant_settings', settings.tenant_id, 'create', settings);
    adminId = addUser(ctx, { username: admin_username, password: admin_password, role: 'admin' }).id;
  });
  return { tenant_id: settings.tenant_id, admin_id: adminId };
});

// SPEC §11 tenant settings: read by anyone signed in, changed by an admin; a partial
// body changes only the fields it names.
const settingFields = createTenantInput.shape;
export const settingsInput = z.strictObject({
  name: settingFields.name.optional(),
  timezone: z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as Asia/Kolkata' }).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as INR' })
    .refine((c) => { try { new Intl.NumberFormat('en', { style: 'currency', currency: c }); return true; } catch { return false; } }, { error: 'must be a currency this system knows, such as INR' }).optional(),
  locale: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { error: 'must be a locale such as en-IN' })
    .refine((l) => { try { return Intl.getCanonicalLocales(l).length === 1; } catch { return false; } }, { error: 'must be a locale such as en-IN' }).optional(),
  hold_hours: z.number({ error: 'must be a whole number of hours' }).int({ error: 'must be a whole number of hours' }).min(1, { error: 'must be at least 1' }).max(720, { error: 'must be at most 720 (30 days)' }).optional(),
  demand_notice_days: z.number({ error: 'must be a whole number of days' }).int({ error: 'must be a whole number of days' }).min(0, { error: 'must not be negative' }).max(365, { error: 'must be at most 365' }).optional(),
  rep_scope: z.string({ error: "must be 'own' (reps see only their leads) or 'all'" }).transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(['own', 'all'], { error: "must be 'own' (reps see only their leads) or 'all'" })).optional(),
});

export interface TenantSettingsView {
  tenant_id: string;
  name: string;
  timezone: string;
  currency: string;
  locale: string;
  hold_hours: number;
  demand_notice_days: number;
  rep_scope: 'own' | 'all';
}

export const settingsView = (s: ServiceContext['settings']): TenantSettingsView => ({
  tenant_id: s.tenant_id, name: s.name, timezone: s.timezone, currency: s.currency, locale: s.locale,
  hold_hours: s.unit_hold_hours ?? 48, demand_notice_days: s.demand_notice_days ?? 15, rep_scope: s.rep_scope ?? 'all',
});

/** Change the tenant's settings (the fields named only), audited; every open context sees them at once. */
export const updateSettings = parsing(settingsInput, (ctx: ServiceContext, asked): TenantSettingsView => {
  const changes: Record<string, unknown> = {};
  if (asked.name !== undefined) changes.name = asked.name;
  if (asked.timezone !== undefined) changes.timezone = asked.timezone;
  if (asked.currency !== undefined) changes.currency = asked.currency;
  if (asked.locale !== undefined) changes.locale = asked.locale;
  if (asked.hold_hours !== undefined) changes.unit_hold_hours = asked.hold_hours;
  if (asked.demand_notice_days !== undefined) changes.demand_notice_days = asked.demand_notice_days;
  if (asked.rep_scope !== undefined) changes.rep_scope = asked.rep_scope;
  if (Object.keys(changes).length) {
    ctx.db.transaction(() => {
      ctx.orm.update(tenantSettings).set({ ...changes, updated_at: nowIso(ctx) }).run();
      audit(ctx, 'tenant_settings', ctx.settings.tenant_id, 'update', changes);
    })();
    // The contexts of this tenant share one settings object: they all see the change.
    Object.assign(ctx.settings, loadSettings(ctx.db));
  }
  return settingsView(ctx.settings);
});
