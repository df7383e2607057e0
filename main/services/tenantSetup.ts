import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { tenantSettings } from '../../db/schema/index.js';
import { isTimeZone } from '../domain/dates.js';
import { nowIso, type ServiceContext } from '../domain/context.js';
import { parseInput, requiredText } from '../domain/validation.js';
import { TENANT_ID_RE, type TenantManager } from '../tenants.js';
import { addUser } from './users.js';
import { audit } from './records.js';

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
export function createTenant(manager: TenantManager, input: unknown): { tenant_id: string; admin_id: string } {
  const { admin_username, admin_password, ...settings } = parseInput(createTenantInput, input);
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
}
