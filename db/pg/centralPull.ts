import { quote } from './schema.js';
import { API, DATA } from './centralNames.js';

// milepost.hello and milepost.pull: who the device is and how its clock stands, and
// what changed in its tenant since its cursor, page by page.

/** A stored row as JSON (without its tenant), or null. */
export const rowData = (tables: string[]) => `
CREATE FUNCTION ${DATA}.row_data(p_tenant text, p_tbl text, p_id text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT CASE p_tbl
${tables.map((t) => `    WHEN '${t}' THEN (SELECT to_jsonb(t) - 'tenant_id' FROM ${DATA}.${quote(t)} t WHERE t.tenant_id = p_tenant AND t.id = p_id)`).join('\n')}
  END
$$`;

export const pull = (tables: string[]) => `
CREATE FUNCTION ${API}.pull(p_version bigint, p_tbl text, p_row text, p_limit int, p_client text DEFAULT NULL)
RETURNS TABLE (version bigint, tbl text, row_id text, data jsonb)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ${DATA}, pg_temp AS $$
  -- Rows the calling device already holds as they are (origin) are passed by: only
  -- others' changes travel down.
  WITH page AS MATERIALIZED (
    SELECT c.tenant_id, c.version, c.tbl, c.row_id FROM changes c
    WHERE c.tenant_id = ${API}.current_tenant() AND (c.version, c.tbl, c.row_id) > (p_version, p_tbl COLLATE "C", p_row COLLATE "C")
      AND c.origin IS DISTINCT FROM p_client
    ORDER BY c.version, c.tbl, c.row_id
    LIMIT least(greatest(p_limit, 1), 10000)
  )
  SELECT * FROM (
${tables.map((t) => `    SELECT p.version, p.tbl, p.row_id, to_jsonb(t) - 'tenant_id' FROM page p JOIN ${DATA}.${quote(t)} t ON t.tenant_id = p.tenant_id AND t.id = p.row_id WHERE p.tbl = '${t}'`).join('\n    UNION ALL\n')}
  ) rows ORDER BY 1, 2, 3
$$`;

export const HELLO = `
CREATE FUNCTION ${API}.hello(p_client text, p_device_tag text, p_settings jsonb, p_local_last bigint DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${DATA}, pg_temp AS $$
DECLARE
  v_tenant text := ${API}.current_tenant();
  v_last bigint;
BEGIN
  IF v_tenant IS NULL THEN RAISE EXCEPTION 'this role is not a Milepost device of any tenant' USING ERRCODE = '42501'; END IF;
  IF p_client IS NULL OR p_client !~ '^[0-9a-f]{32}$' THEN RAISE EXCEPTION 'bad client id' USING ERRCODE = '22023'; END IF;
  -- The first device to sync names the tenant's settings; later ones take them.
  UPDATE tenants SET name = coalesce(name, p_settings->>'name'), timezone = coalesce(timezone, p_settings->>'timezone'),
    currency = coalesce(currency, p_settings->>'currency'), locale = coalesce(locale, p_settings->>'locale')
  WHERE tenant_id = v_tenant AND p_settings IS NOT NULL;
  INSERT INTO clients (tenant_id, client_id, device_tag) VALUES (v_tenant, p_client, p_device_tag)
  ON CONFLICT (tenant_id, client_id) DO UPDATE SET device_tag = excluded.device_tag, last_seen = now();
  SELECT last_mutation_id INTO v_last FROM clients WHERE tenant_id = v_tenant AND client_id = p_client;
  RETURN jsonb_build_object(
    'tenant', (SELECT jsonb_build_object('tenant_id', tenant_id, 'name', name, 'timezone', timezone, 'currency', currency, 'locale', locale) FROM tenants WHERE tenant_id = v_tenant),
    'last_mutation_id', v_last,
    -- The server has more of this identity's changes than the device ever made: the
    -- device came back from a backup, and must not pass by rows "it" sent since.
    'behind', p_local_last IS NOT NULL AND v_last > p_local_last,
    'device_tag_taken', EXISTS (SELECT 1 FROM clients WHERE tenant_id = v_tenant AND client_id <> p_client AND device_tag = p_device_tag),
    'server_time', floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint,
    'schema_version', (SELECT value::int FROM meta WHERE key = 'schema_version'));
END $$`;

export const TENANT_INFO = `
CREATE FUNCTION ${API}.tenant_info() RETURNS TABLE (tenant_id text, name text, timezone text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ${DATA}, pg_temp AS $$
  SELECT ${API}.current_tenant(), t.name, t.timezone FROM (SELECT 1) one LEFT JOIN tenants t ON t.tenant_id = ${API}.current_tenant()
$$`;

