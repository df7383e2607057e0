import pg from 'pg';
import { centralSchema } from '../../db/pg/central.js';
import { DATA, DEVICE_GROUP, deviceRole } from '../../db/pg/centralNames.js';
import { numberTypes, onPostgres } from '../../db/pg/reports.js';
import { closeSqlite, openSqlite } from '../../db/connection.js';
import { runMigrations } from '../../db/migrate.js';
import { AppError } from '../domain/errors.js';
import { assertTenantId } from '../domain/tenantId.js';
import { reportPlan, reportQuery, reportRows, type ReportName } from '../services/reports.js';
import { localDateOf } from '../../db/values/dates.js';
import { schemaVersion } from './capture.js';

// Head office's side of SPEC §8, run with an administrator's URL: create the central
// schema, add a tenant's login role, run a report over everything a tenant's devices
// have synced.

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, types: numberTypes, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** `milepost server init`: the central schema, in one transaction (all or nothing). */
export async function initServer(adminUrl: string, migrationsFolder?: string): Promise<{ statements: number; schema_version: number }> {
  // The tables are read from a tenant database of this version, made in memory.
  const sqlite = openSqlite(':memory:');
  try {
    runMigrations(sqlite, migrationsFolder ? { migrationsFolder } : undefined);
    const version = schemaVersion(sqlite);
    const statements = centralSchema(sqlite, version);
    await withClient(adminUrl, async (c) => {
      const found = await c.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [DATA]);
      if (found.rowCount) throw new AppError('conflict', `this database already has the Milepost schema (${DATA})`);
      await c.query('BEGIN');
      try {
        for (const sql of statements) await c.query(sql);
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK');
        throw e;
      }
    });
    return { statements: statements.length, schema_version: version };
  } finally {
    closeSqlite(sqlite);
  }
}

/**
 * `milepost server add-tenant`: the tenant, and a login role for its devices that can
 * only call the sync functions and read its own tenant's rows. Returns the URL a
 * device uses.
 */
export async function addTenant(adminUrl: string, opts: { tenant: string; password: string; name?: string; device?: string }): Promise<{ role: string; url: string }> {
  const tenant = assertTenantId(opts.tenant);
  if (opts.password.length < 8) throw new AppError('validation_failed', 'password must have at least 8 characters', [{ field: 'password', message: 'at least 8 characters' }]);
  if (opts.device !== undefined && !/^[a-z0-9_]{1,20}$/.test(opts.device)) {
    throw new AppError('validation_failed', 'device must match ^[a-z0-9_]{1,20}$', [{ field: 'device', message: 'must match ^[a-z0-9_]{1,20}$' }]);
  }
  const role = opts.device ? `${deviceRole(tenant)}__${opts.device}` : deviceRole(tenant);
  await withClient(adminUrl, async (c) => {
    await c.query('BEGIN');
    try {
      await c.query(`INSERT INTO ${DATA}.tenants (tenant_id, name) VALUES ($1, $2) ON CONFLICT (tenant_id) DO UPDATE SET name = coalesce(excluded.name, ${DATA}.tenants.name)`, [tenant, opts.name ?? null]);
      const exists = (await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount;
      // DDL takes no bind parameters: the role name and password go in quoted by pg's own escaping.
      const ident = c.escapeIdentifier(role);
      await c.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${ident} LOGIN PASSWORD ${c.escapeLiteral(opts.password)}`);
      await c.query(`GRANT ${DEVICE_GROUP} TO ${ident}`);
      await c.query(`ALTER ROLE ${ident} SET search_path = milepost, pg_temp`);
      await c.query(`INSERT INTO ${DATA}.roles (role_name, tenant_id) VALUES ($1, $2) ON CONFLICT (role_name) DO UPDATE SET tenant_id = excluded.tenant_id`, [role, tenant]);
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK');
      throw e;
    }
  });
  const url = new URL(adminUrl);
  url.username = role;
  url.password = opts.password;
  return { role, url: url.toString() };
}

/**
 * A report over a tenant's synced data on the central database. With a device's URL
 * the tenant is the role's own; with an administrator's, the one named.
 */
export async function centralReport(url: string, tenant: string, name: ReportName, input: unknown, asOf?: string) {
  return withClient(url, async (c) => {
    await c.query("SELECT set_config('search_path', 'milepost, pg_temp', false), set_config('milepost.tenant', $1, false)", [assertTenantId(tenant)]);
    const t = (await c.query<{ tenant_id: string | null; name: string | null; timezone: string | null }>('SELECT tenant_id, name, timezone FROM milepost.tenant_info()')).rows[0];
    if (!t?.tenant_id) throw new AppError('not_found', `no tenant '${tenant}' on this server for this login`);
    if (t.tenant_id !== tenant) throw new AppError('forbidden', `this login belongs to tenant '${t.tenant_id}', not '${tenant}'`);
    const today = asOf ?? localDateOf(new Date(), t.timezone ?? 'UTC');
    const result = await onPostgres(c, reportPlan(name, reportQuery(name, input), today, t.timezone ?? 'UTC'));
    // How the tenant writes numbers and phones: readable by an administrator's login; a device's falls back to its own copy.
    const locale = await c.query<{ locale: string | null }>(`SELECT locale FROM ${DATA}.tenants WHERE tenant_id = $1`, [tenant]).then((r) => r.rows[0]?.locale ?? null, () => null);
    return { ...reportRows(name, result), tenant: { name: t.name, timezone: t.timezone ?? 'UTC', locale } };
  });
}
