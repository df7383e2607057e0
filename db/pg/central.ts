import type Database from 'better-sqlite3';
import { aggregateDefinitions } from '../aggregates.js';
import { SYNCED_TABLES } from '../schema/sync.js';
import { quote, tableDefinitions, type TableDefinition } from './schema.js';
import { PG_FUNCTIONS, PG_VIEWS } from './views.js';

// The central Postgres of SPEC §8, and the only server: sync is a pair of SQL
// functions, and Postgres itself keeps tenants apart.
//
// - milepost_data: every synced table with tenant_id, server_version and the clocks
//   of its fields (field_hlc), plus the sync bookkeeping. Devices have no privilege
//   on this schema at all; row-level security is on as a second wall.
// - milepost: what a device's login role may use. A view per table showing the
//   caller's tenant only, the aggregates and the SPEC §5 report views on top of them
//   (so report SQL runs here unchanged), and the functions hello, push and pull
//   (SECURITY DEFINER), which take the tenant from the connected role, never from the
//   payload.
// Every device role is a member of milepost_device, the only grantee.

export const DATA = 'milepost_data';
export const API = 'milepost';
export const DEVICE_GROUP = 'milepost_device';
/**
 * A change stamped more than this ahead of the server's clock is restamped at the
 * server's time when it arrives (kept, never refused: SPEC §8), and the device is told.
 */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

const BOOKKEEPING = [
  // The tenant-database schema version the tables were made from: devices must match.
  `CREATE TABLE ${DATA}.meta (key text PRIMARY KEY, value text NOT NULL)`,
  `CREATE TABLE ${DATA}.tenants (
     tenant_id text COLLATE "C" PRIMARY KEY,
     name text, timezone text, currency text, locale text,
     version bigint NOT NULL DEFAULT 0,
     -- The latest clock of any change applied: a restamp is always after it.
     max_hlc text COLLATE "C",
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  // Which login role belongs to which tenant.
  `CREATE TABLE ${DATA}.roles (role_name text PRIMARY KEY, tenant_id text COLLATE "C" NOT NULL REFERENCES ${DATA}.tenants)`,
  `CREATE TABLE ${DATA}.clients (
     tenant_id text COLLATE "C" NOT NULL, client_id text COLLATE "C" NOT NULL,
     last_mutation_id bigint NOT NULL DEFAULT 0, device_tag text,
     -- The clock this device's last change was applied under (its own, or a restamp):
     -- a later change of the device is never applied under an earlier one.
     last_hlc text COLLATE "C",
     first_seen timestamptz NOT NULL DEFAULT now(), last_seen timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (tenant_id, client_id)
   )`,
  // What each applied mutation id carried: a device restored from an old backup that
  // reuses an id with other content is told so (a fork) instead of being skipped.
  `CREATE TABLE ${DATA}.applied (
     tenant_id text COLLATE "C" NOT NULL, client_id text COLLATE "C" NOT NULL, mutation_id bigint NOT NULL, checksum text NOT NULL,
     -- The clock it was applied under when the server restamped it (a push sent again
     -- after a lost answer is told again).
     restamped text COLLATE "C",
     PRIMARY KEY (tenant_id, client_id, mutation_id)
   )`,
  `CREATE TABLE ${DATA}.rejections (
     tenant_id text COLLATE "C" NOT NULL, client_id text COLLATE "C" NOT NULL, mutation_id bigint NOT NULL,
     reason text NOT NULL, changes jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (tenant_id, client_id, mutation_id)
   )`,
  // Every row with the version that last changed it: what pull pages through (the
  // rows themselves are read from their tables). origin is the device whose change
  // made the row what it is, when that device already holds exactly this state (it
  // had seen the row's previous state and the server changed nothing of its own):
  // that device's pull passes the row by, everyone else's brings it.
  `CREATE TABLE ${DATA}.changes (
     tenant_id text COLLATE "C" NOT NULL, tbl text COLLATE "C" NOT NULL, row_id text COLLATE "C" NOT NULL,
     version bigint NOT NULL,
     origin text COLLATE "C",
     PRIMARY KEY (tenant_id, tbl, row_id)
   )`,
  `CREATE INDEX changes_version_idx ON ${DATA}.changes (tenant_id, version, tbl, row_id) INCLUDE (origin)`,
];

const CURRENT_TENANT = `
CREATE FUNCTION ${API}.current_tenant() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ${DATA}, pg_temp AS $$
  -- A device role: its own tenant, whatever it sets. Anyone else (head office's admin):
  -- the tenant named by SET milepost.tenant.
  SELECT coalesce(
    (SELECT tenant_id FROM ${DATA}.roles WHERE role_name = session_user),
    CASE WHEN NOT EXISTS (
      SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member
      WHERE g.rolname = '${DEVICE_GROUP}' AND r.rolname = session_user)
    THEN nullif(current_setting('milepost.tenant', true), '') END)
$$`;

const SERVER_HLC = `
CREATE FUNCTION ${DATA}.server_hlc(after text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
  now_ms bigint := floor(extract(epoch FROM clock_timestamp()) * 1000);
  after_ms bigint := coalesce(split_part(after, ':', 1)::bigint, 0);
  after_n int := coalesce(split_part(after, ':', 2)::int, 0);
BEGIN
  IF now_ms > after_ms THEN RETURN lpad(now_ms::text, 15, '0') || ':00000:server'; END IF;
  RETURN lpad(after_ms::text, 15, '0') || ':' || lpad((after_n + 1)::text, 5, '0') || ':server';
END $$`;

// main/sync/merge.ts takeIncoming, in SQL.
const TAKE_INCOMING = `
CREATE FUNCTION ${DATA}.take_incoming(p_table text, p_field text, p_cur jsonb, p_cur_clock text, p_new jsonb, p_new_clock text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN p_table = 'sales_bookings' AND p_field = 'status' AND (p_cur #>> '{}') = 'cancelled' AND (p_new #>> '{}') IS DISTINCT FROM 'cancelled' THEN false
    WHEN p_table = 'sales_bookings' AND p_field = 'status' AND (p_new #>> '{}') = 'cancelled' AND (p_cur #>> '{}') IS DISTINCT FROM 'cancelled' THEN true
    WHEN p_table = 'sales_leads' AND p_field = 'reached_rank' THEN (p_new #>> '{}')::bigint > coalesce((p_cur #>> '{}')::bigint, -1)
    ELSE p_new_clock COLLATE "C" > coalesce(p_cur_clock, '') COLLATE "C"
  END
$$`;

// A change merged field by field into the stored row (main/sync/merge.ts rules).
const MERGE_ROW = `
CREATE FUNCTION ${DATA}.merge_row(p_table text, p_cur jsonb, p_in jsonb, p_hlc text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  v_row jsonb := p_cur;
  v_clocks jsonb := p_cur->'field_hlc';
  v_key text;
  v_val jsonb;
BEGIN
  FOR v_key, v_val IN SELECT key, value FROM jsonb_each(p_in) LOOP
    IF NOT (p_cur ? v_key) THEN RAISE EXCEPTION 'no column % in %', v_key, p_table USING ERRCODE = '22023'; END IF;
    IF ${DATA}.take_incoming(p_table, v_key, v_row->v_key, coalesce(v_clocks->>v_key, v_clocks->>'*'), v_val, p_hlc) THEN
      v_row := jsonb_set(v_row, ARRAY[v_key], v_val);
      v_clocks := jsonb_set(v_clocks, ARRAY[v_key], to_jsonb(p_hlc));
    END IF;
  END LOOP;
  RETURN v_row || jsonb_build_object('field_hlc', v_clocks);
END $$`;

/**
 * One function per synced table with its statements written out, so Postgres plans
 * them once per session instead of once per change (dynamic SQL would: 2.5× slower).
 */
function applyTableFunction(table: string, setList: string, fromList: string, uniqueColumn: string | null): string {
  const t = `${DATA}.${quote(table)}`;
  const insert = `INSERT INTO ${t} AS t SELECT * FROM jsonb_populate_record(NULL::${t}, v_row) ON CONFLICT (tenant_id, id) DO NOTHING RETURNING to_jsonb(t) INTO v_row;`;
  const renamed = (column: string) => `(v_row->>'${column}') || '-' || upper(left(md5(p_id), 4))`;
  const stamp = `${DATA}.server_hlc(greatest(p_hlc COLLATE "C", (SELECT max_hlc FROM ${DATA}.tenants WHERE tenant_id = p_tenant)))`;
  let onCollision = '';
  if (table === 'users') {
    // One username made on two devices offline (each device's own admin, a user added
    // on both): one account. The one the server has keeps the username and takes the
    // newcomer's password as one more that signs in; the newcomer's row stays (records
    // name it) as a deleted, inactive account under a suffixed username.
    onCollision = `
      v_stamp := ${stamp};
      UPDATE ${t} AS u SET
        other_password_hashes = (SELECT jsonb_agg(DISTINCT h ORDER BY h)::text FROM (
            SELECT jsonb_array_elements_text(coalesce(u.other_password_hashes, '[]')::jsonb) AS h
            UNION SELECT v_row->>'password_hash'
            UNION SELECT jsonb_array_elements_text(coalesce(v_row->>'other_password_hashes', '[]')::jsonb)) x
          WHERE h IS NOT NULL AND h <> u.password_hash),
        field_hlc = u.field_hlc || jsonb_build_object('other_password_hashes', v_stamp),
        server_version = p_version
      WHERE u.tenant_id = p_tenant AND u.username = v_row->>'username' AND u.id <> p_id
      RETURNING u.id INTO v_other;
      INSERT INTO ${DATA}.changes (tenant_id, tbl, row_id, version, origin) VALUES (p_tenant, 'users', v_other, p_version, NULL)
      ON CONFLICT (tenant_id, tbl, row_id) DO UPDATE SET version = excluded.version, origin = NULL;
      v_note := jsonb_build_object('kind', 'merged_user', 'column', 'username', 'from', v_row->>'username', 'to', ${renamed('username')}, 'into', v_other);
      v_row := v_row || jsonb_build_object('username', ${renamed('username')}, 'active', 0, 'merged_into', v_other,
        'deleted_at', coalesce(v_row->>'deleted_at', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')));
      v_row := jsonb_set(v_row, '{field_hlc}', (v_row->'field_hlc') || jsonb_build_object('username', v_stamp, 'active', v_stamp, 'deleted_at', v_stamp, 'merged_into', v_stamp));`;
  } else if (table === 'sales_units') {
    // The same unit (project, tower, number) set up on two devices offline: one unit.
    // The one the server has stays; the newcomer is kept as a retired record that
    // names it (merged_into), and bookings and holds made on the newcomer move to it.
    onCollision = `
      v_stamp := ${stamp};
      SELECT u.id INTO v_other FROM ${t} u WHERE u.tenant_id = p_tenant AND u.project_name = v_row->>'project_name'
        AND lower(u.tower) = lower(v_row->>'tower') AND lower(u.unit_number) = lower(v_row->>'unit_number') AND u.deleted_at IS NULL AND u.id <> p_id;
      v_note := jsonb_build_object('kind', 'merged_unit', 'column', 'unit_number', 'from', v_row->>'unit_number', 'to', v_row->>'unit_number', 'into', v_other);
      v_row := v_row || jsonb_build_object('merged_into', v_other,
        'deleted_at', coalesce(v_row->>'deleted_at', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')));
      v_row := jsonb_set(v_row, '{field_hlc}', (v_row->'field_hlc') || jsonb_build_object('deleted_at', v_stamp, 'merged_into', v_stamp));`;
  } else if (uniqueColumn) {
    // A code (ledger_code, booking_code…) carries the tag of the device that made it; two
    // devices that made codes offline under the same tag would collide. The later one
    // keeps its row and gets its code suffixed, and the new code travels back to it.
    onCollision = `
      v_note := jsonb_build_object('kind', 'renamed', 'column', '${uniqueColumn}', 'from', v_row->>'${uniqueColumn}', 'to', ${renamed(uniqueColumn)});
      v_row := jsonb_set(v_row, '{${uniqueColumn}}', to_jsonb(${renamed(uniqueColumn)}));
      v_row := jsonb_set(v_row, '{field_hlc}', (v_row->'field_hlc') || jsonb_build_object('${uniqueColumn}', ${stamp}));`;
  }
  const body = onCollision
    ? `BEGIN
      ${insert}
    EXCEPTION WHEN unique_violation THEN${onCollision}
      ${insert}
    END;`
    : insert;
  return `
CREATE FUNCTION ${DATA}.${quote(`apply_${table}`)}(p_tenant text, p_version bigint, p_id text, p_op text, p_in jsonb, p_hlc text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_cur jsonb;
  v_row jsonb;
  v_note jsonb;
  v_other text;
  v_stamp text;
BEGIN
  IF p_op = 'insert' THEN
    -- Most inserts are new rows: one statement, and the merge only when it is not new.
    v_row := p_in || jsonb_build_object('id', p_id, 'tenant_id', p_tenant, 'server_version', p_version, 'field_hlc', jsonb_build_object('*', p_hlc));
    ${body}
    -- What the server did of its own (a rename, a merge) goes back with the row.
    IF v_row IS NOT NULL THEN RETURN CASE WHEN v_note IS NULL THEN v_row ELSE v_row || jsonb_build_object('_note', v_note) END; END IF;
  END IF;
  SELECT to_jsonb(t) INTO v_cur FROM ${t} t WHERE tenant_id = p_tenant AND id = p_id FOR UPDATE;
  IF v_cur IS NULL THEN RAISE EXCEPTION 'no % row %', '${table}', p_id USING ERRCODE = 'P0002'; END IF;
  v_row := ${DATA}.merge_row('${table}', v_cur, p_in, p_hlc) || jsonb_build_object('server_version', p_version);
  UPDATE ${t} AS t SET (${setList}) = (SELECT ${fromList} FROM jsonb_populate_record(NULL::${t}, v_row) r)
  WHERE tenant_id = p_tenant AND id = p_id RETURNING to_jsonb(t) INTO v_row;
  RETURN v_row;
END $$`;
}

const applyChange = (tables: string[]) => `
CREATE FUNCTION ${DATA}.apply_change(p_tenant text, p_version bigint, p_change jsonb, p_hlc text, p_conflicts jsonb, p_client text DEFAULT NULL, p_seen bigint DEFAULT 0) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_table text := p_change->>'t';
  v_id text := p_change->>'id';
  v_op text := p_change->>'op';
  v_in jsonb := coalesce(p_change->'v', '{}') - 'tenant_id' - 'server_version' - 'field_hlc' - 'id';
  v_row jsonb;
  v_note jsonb;
  v_total bigint;
  v_booked bigint;
  v_stamp text;
  v_prior_version bigint;
  v_prior_origin text;
  v_origin text;
  v_other text;
  v_released text;
  v_into text;
  v_moved boolean := false;
BEGIN
  IF v_id IS NULL OR v_id !~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' THEN RAISE EXCEPTION 'bad row id %', v_id USING ERRCODE = '22023'; END IF;
  -- A booking or hold made on a unit that turned out to be another device's (merged
  -- into it) is made on that unit; the row goes back to the device that sent it.
  IF v_table IN ('sales_bookings', 'sales_unit_holds') AND v_in ? 'unit_id' AND v_in->>'unit_id' IS NOT NULL THEN
    SELECT u.merged_into INTO v_into FROM ${DATA}.sales_units u WHERE u.tenant_id = p_tenant AND u.id = v_in->>'unit_id';
    IF v_into IS NOT NULL THEN
      v_in := v_in || jsonb_build_object('unit_id', v_into);
      v_moved := true;
    END IF;
  END IF;
  SELECT version, origin INTO v_prior_version, v_prior_origin FROM ${DATA}.changes WHERE tenant_id = p_tenant AND tbl = v_table AND row_id = v_id;
  CASE v_table
${tables.map((t) => `    WHEN '${t}' THEN v_row := ${DATA}.${quote(`apply_${t}`)}(p_tenant, p_version, v_id, v_op, v_in, p_hlc);`).join('\n')}
    ELSE RAISE EXCEPTION 'table % does not sync', v_table USING ERRCODE = '22023';
  END CASE;
  v_note := v_row->'_note';
  v_row := v_row - '_note';
  -- The unit a row was moved to is the server's doing: stamped after the device's clock,
  -- so the device takes it.
  IF v_moved THEN
    v_stamp := ${DATA}.server_hlc(p_hlc);
    IF v_table = 'sales_bookings' THEN
      UPDATE ${DATA}.sales_bookings AS t SET field_hlc = t.field_hlc || jsonb_build_object('unit_id', v_stamp) WHERE tenant_id = p_tenant AND id = v_id RETURNING to_jsonb(t) INTO v_row;
    ELSE
      UPDATE ${DATA}.sales_unit_holds AS t SET field_hlc = t.field_hlc || jsonb_build_object('unit_id', v_stamp) WHERE tenant_id = p_tenant AND id = v_id RETURNING to_jsonb(t) INTO v_row;
    END IF;
  END IF;
  IF v_note IS NOT NULL THEN p_conflicts := p_conflicts || (v_note || jsonb_build_object('table', v_table, 'id', v_id)); END IF;

  -- Two devices booking the last units offline: the booking that arrives beyond the
  -- unit inventory is marked, and the mark travels back to every device.
  IF v_table = 'sales_bookings' AND v_prior_version IS NULL AND (v_row->>'server_version')::bigint = p_version
     AND v_row->>'status' <> 'cancelled' AND v_row->>'deleted_at' IS NULL AND v_row->>'unit_id' IS NOT NULL THEN
    -- Booked by unit (SPEC §10): a second live booking of the unit is the overbooking.
    SELECT count(*) INTO v_booked FROM ${DATA}.sales_bookings
    WHERE tenant_id = p_tenant AND unit_id = v_row->>'unit_id' AND status <> 'cancelled' AND deleted_at IS NULL;
    IF v_booked > 1 THEN
      v_stamp := ${DATA}.server_hlc(p_hlc);
      UPDATE ${DATA}.sales_bookings AS t SET conflict = 'overbooking', field_hlc = t.field_hlc || jsonb_build_object('conflict', v_stamp)
      WHERE tenant_id = p_tenant AND id = v_id RETURNING to_jsonb(t) INTO v_row;
      p_conflicts := p_conflicts || jsonb_build_object('booking_id', v_id, 'kind', 'overbooking', 'booked', v_booked, 'units', 1);
      v_note := '{}';
    END IF;
  ELSIF v_table = 'sales_bookings' AND v_prior_version IS NULL AND (v_row->>'server_version')::bigint = p_version
     AND v_row->>'status' <> 'cancelled' AND v_row->>'deleted_at' IS NULL THEN
    SELECT total_units INTO v_total FROM ${DATA}.sales_unit_inventory
    WHERE tenant_id = p_tenant AND project_name = v_row->>'project_name' AND unit_type = v_row->>'unit_type' AND deleted_at IS NULL;
    IF FOUND THEN
      SELECT coalesce(sum(units_booked), 0) INTO v_booked FROM ${DATA}.sales_bookings
      WHERE tenant_id = p_tenant AND project_name = v_row->>'project_name' AND unit_type = v_row->>'unit_type' AND status <> 'cancelled' AND deleted_at IS NULL;
      IF v_booked > v_total THEN
        v_stamp := ${DATA}.server_hlc(p_hlc);
        UPDATE ${DATA}.sales_bookings AS t SET conflict = 'overbooking', field_hlc = t.field_hlc || jsonb_build_object('conflict', v_stamp)
        WHERE tenant_id = p_tenant AND id = v_id RETURNING to_jsonb(t) INTO v_row;
        p_conflicts := p_conflicts || jsonb_build_object('booking_id', v_id, 'kind', 'overbooking', 'booked', v_booked, 'units', v_total);
        v_note := '{}';
      END IF;
    END IF;
  END IF;

  -- Two live holds of one unit, made on two devices offline (SPEC §10): the earlier
  -- keeps the unit, the other is released as conflict, on every device.
  IF v_table = 'sales_unit_holds' AND v_prior_version IS NULL AND (v_row->>'server_version')::bigint = p_version
     AND v_row->>'released_at' IS NULL AND v_row->>'deleted_at' IS NULL
     AND v_row->>'hold_until' > to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') THEN
    FOR v_other IN
      SELECT h.id FROM ${DATA}.sales_unit_holds h
      WHERE h.tenant_id = p_tenant AND h.unit_id = v_row->>'unit_id' AND h.id <> v_id AND h.released_at IS NULL AND h.deleted_at IS NULL
        AND h.hold_until > to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    LOOP
      v_stamp := ${DATA}.server_hlc(p_hlc);
      -- Of the two, the later (held_at, then id) goes.
      UPDATE ${DATA}.sales_unit_holds AS t SET released_at = to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), release_reason = 'conflict',
        field_hlc = t.field_hlc || jsonb_build_object('released_at', v_stamp, 'release_reason', v_stamp), server_version = p_version
      WHERE t.tenant_id = p_tenant AND t.id = (
        SELECT x.id FROM ${DATA}.sales_unit_holds x WHERE x.tenant_id = p_tenant AND x.id IN (v_id, v_other) ORDER BY x.held_at COLLATE "C" DESC, x.id COLLATE "C" DESC LIMIT 1)
      RETURNING t.id INTO v_released;
      p_conflicts := p_conflicts || jsonb_build_object('kind', 'hold_conflict', 'hold_id', v_released, 'unit_id', v_row->>'unit_id', 'table', 'sales_unit_holds', 'id', v_released);
      IF v_released = v_other THEN
        INSERT INTO ${DATA}.changes (tenant_id, tbl, row_id, version, origin) VALUES (p_tenant, 'sales_unit_holds', v_other, p_version, NULL)
        ON CONFLICT (tenant_id, tbl, row_id) DO UPDATE SET version = excluded.version, origin = NULL;
      ELSE
        v_note := '{}';
        EXIT;
      END IF;
    END LOOP;
  END IF;

  -- The sending device holds exactly this row when it had seen the row's previous state
  -- (so it merged the same way) and the server added nothing of its own.
  IF v_note IS NULL AND NOT v_moved AND (v_prior_version IS NULL OR v_prior_origin = p_client OR v_prior_version <= p_seen) AND v_in <@ v_row THEN
    v_origin := p_client;
  END IF;
  INSERT INTO ${DATA}.changes (tenant_id, tbl, row_id, version, origin) VALUES (p_tenant, v_table, v_id, p_version, v_origin)
  ON CONFLICT (tenant_id, tbl, row_id) DO UPDATE SET version = excluded.version, origin = excluded.origin;
  RETURN p_conflicts;
END $$`;

// Inserts of new rows, table by table in one statement each (with their entries in
// the change log): most of what a device pushes. A row made in this push and then only
// updated in it (a lead and the steps of its story) is inserted once as it finally
// stands, each field under the clock of the last change that set it: what applying
// the changes one by one would give, since a row no other device has seen has nothing
// to merge with (a lead's reached rank keeps its highest value, SPEC §8). Returns the
// "table|id|version" keys of every change it applied; everything else goes through
// apply_change one by one. Each table's statement is written out with its columns (no
// dynamic SQL, no record built from JSON per row: a value is read from the change and
// cast, once).
const fastInserts = (tables: TableDefinition[]) => `
CREATE FUNCTION ${DATA}.insert_new_rows(p_tenant text, p_batch jsonb, p_pos bigint[], p_versions bigint[], p_hlcs text[], p_client text DEFAULT NULL) RETURNS void
-- Set against set, always: temp tables have no statistics, and a join planned for one
-- row on each side, nested, was quadratic in the batch.
LANGUAGE plpgsql SET enable_nestloop = off SET enable_memoize = off AS $$
DECLARE
  v_table text;
BEGIN
  -- Every change of the mutations to apply (their places in the batch, versions and
  -- clocks given), read out of the batch once: a change of 20,000 rows is one
  -- multi-megabyte value, and reading a field of it per row made a push quadratic in
  -- its size. What is applied here is listed in done_changes; push applies the rest.
  CREATE TEMP TABLE IF NOT EXISTS pending_changes (tbl text COLLATE "C", id text COLLATE "C", op text, version bigint, ord bigint, hlc text COLLATE "C", v jsonb, fast boolean) ON COMMIT DROP;
  CREATE TEMP TABLE IF NOT EXISTS folded_rows (tbl text COLLATE "C", id text COLLATE "C", version bigint, clocks jsonb, v jsonb, versions bigint[]) ON COMMIT DROP;
  CREATE TEMP TABLE IF NOT EXISTS done_changes (tbl text COLLATE "C", id text COLLATE "C", version bigint) ON COMMIT DROP;
  TRUNCATE pending_changes;
  TRUNCATE folded_rows;
  TRUNCATE done_changes;
  INSERT INTO pending_changes
  SELECT c->>'t', c->>'id', c->>'op', x.version, ch.ord, x.hlc, c->'v',
    c->>'t' = ANY (ARRAY[${tables.map((t) => `'${t.name}'`).join(', ')}]) AND c->>'id' ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'
  FROM unnest(p_pos, p_versions, p_hlcs) x(pos, version, hlc)
  JOIN jsonb_array_elements(p_batch) WITH ORDINALITY b(m, pos) USING (pos),
       jsonb_array_elements(b.m->'changes') WITH ORDINALITY ch(c, ord);
  -- The updates folded in: only where the row's changes are its insert first, then
  -- updates of its own columns, each under a later clock (else one by one, as before).
  -- One change per row and mutation, so (table, id, version) names a change.
  WITH touched AS (
    SELECT p.tbl, p.id FROM pending_changes p
    WHERE p.fast AND p.op = 'update' AND EXISTS (SELECT 1 FROM pending_changes i WHERE i.fast AND i.op = 'insert' AND i.tbl = p.tbl AND i.id = p.id)
    GROUP BY p.tbl, p.id
  ), story AS (
    SELECT p.tbl, p.id, max(p.version) AS version, array_agg(p.version) AS versions
    FROM pending_changes p JOIN touched USING (tbl, id)
    WHERE p.fast
    GROUP BY p.tbl, p.id
    HAVING count(*) FILTER (WHERE p.op = 'insert') = 1
       AND bool_and(p.op IN ('insert', 'update'))
       AND min(p.version) = min(p.version) FILTER (WHERE p.op = 'insert')
       AND count(DISTINCT p.hlc) = count(*)
  ), folded AS (
    SELECT p.tbl, p.id,
      jsonb_object_agg(f.key, f.value ORDER BY p.version) AS v,
      jsonb_object_agg(f.key, p.hlc ORDER BY p.version) AS clocks,
      array_agg(DISTINCT f.key) AS keys,
      max((f.value #>> '{}')::bigint) FILTER (WHERE p.tbl = 'sales_leads' AND f.key = 'reached_rank' AND jsonb_typeof(f.value) = 'number') AS rank
    FROM pending_changes p JOIN story USING (tbl, id), jsonb_each(p.v) f
    WHERE p.fast AND p.op = 'update'
    GROUP BY p.tbl, p.id
  )
  INSERT INTO folded_rows
  SELECT i.tbl, i.id, s.version, jsonb_build_object('*', i.hlc) || f.clocks,
    CASE WHEN f.rank IS NULL OR f.rank <= coalesce((i.v->>'reached_rank')::bigint, -1) THEN i.v || (f.v - 'reached_rank') ELSE i.v || f.v || jsonb_build_object('reached_rank', f.rank) END,
    s.versions
  FROM story s JOIN folded f USING (tbl, id) JOIN pending_changes i ON i.tbl = s.tbl AND i.id = s.id AND i.fast AND i.op = 'insert'
  WHERE i.v ?& f.keys;
  FOR v_table IN SELECT DISTINCT tbl FROM pending_changes WHERE fast AND op = 'insert' LOOP
    CASE v_table
${tables.map((t) => {
  const cols = t.columns.filter((c) => c.name !== 'id');
  const value = (c: { name: string; type: string }) => (c.type === 'text' ? `v->>'${c.name}'` : `(v->>'${c.name}')::${c.type}`);
  return `    WHEN '${t.name}' THEN
      WITH src AS (
        -- A row inserted twice in one push: the first insert lands, the later merges.
        SELECT p.id, coalesce(f.v, p.v) AS v, coalesce(f.version, p.version) AS version, coalesce(f.clocks, jsonb_build_object('*', p.hlc)) AS clocks
        FROM pending_changes p LEFT JOIN folded_rows f ON f.tbl = p.tbl AND f.id = p.id
        WHERE p.tbl = '${t.name}' AND p.fast AND p.op = 'insert'
        ORDER BY p.version
      ), ins AS (
        INSERT INTO ${DATA}.${quote(t.name)} AS t ("tenant_id", "id", ${cols.map((c) => quote(c.name)).join(', ')}, "server_version", "field_hlc")
        SELECT p_tenant, id, ${cols.map(value).join(', ')}, version, clocks FROM src
        ON CONFLICT (tenant_id, id) DO NOTHING
        RETURNING t.id, t.server_version
      ), logged AS (
        INSERT INTO ${DATA}.changes (tenant_id, tbl, row_id, version, origin)
        SELECT p_tenant, '${t.name}', id, server_version, p_client FROM ins
        ON CONFLICT (tenant_id, tbl, row_id) DO UPDATE SET version = excluded.version, origin = excluded.origin
        RETURNING row_id, version
      )
      INSERT INTO done_changes
      SELECT '${t.name}', l.row_id, l.version FROM logged l
      UNION ALL
      SELECT '${t.name}', l.row_id, x.ver FROM logged l JOIN folded_rows f ON f.tbl = '${t.name}' AND f.id = l.row_id AND f.version = l.version, unnest(f.versions) x(ver);`;
}).join('\n')}
    END CASE;
  END LOOP;
END $$`;

const PUSH = `
CREATE FUNCTION ${API}.push(p_client text, p_batch jsonb, p_seen bigint DEFAULT 0) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${DATA}, pg_temp AS $$
DECLARE
  v_tenant text := ${API}.current_tenant();
  v_version bigint;
  v_last bigint;
  v_first_new bigint;
  v_m jsonb;
  v_item jsonb;
  v_id bigint;
  v_pos bigint;
  v_change_version bigint;
  v_prev_sum text;
  v_prev_restamp text;
  v_change jsonb;
  v_positions bigint[] := '{}';
  v_versions bigint[] := '{}';
  v_hlcs text[] := '{}';
  v_applied int := 0;
  v_skipped int := 0;
  v_rejected jsonb := '[]';
  v_conflicts jsonb := '[]';
  v_restamped jsonb := '[]';
  v_fork bigint;
  v_now_ms bigint := floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint;
  v_limit text := lpad((floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint + ${MAX_CLOCK_AHEAD_MS})::text, 15, '0');
  v_max text;
  v_prev text;
  v_hlc text;
  v_ids bigint[] := '{}';
  v_sums text[] := '{}';
  v_stamps text[] := '{}';
  v_rows jsonb;
  v_failed jsonb := '[]';
  v_state text;
  v_constraint text;
  v_tbl text;
  v_column text;
BEGIN
  IF v_tenant IS NULL THEN RAISE EXCEPTION 'this role is not a Milepost device of any tenant' USING ERRCODE = '42501'; END IF;
  IF p_client IS NULL OR p_client !~ '^[0-9a-f]{32}$' THEN RAISE EXCEPTION 'bad client id' USING ERRCODE = '22023'; END IF;
  -- Plans made for each call: a plan cached while a tenant's tables were small would
  -- scan them once they have grown.
  PERFORM set_config('plan_cache_mode', 'force_custom_plan', true);
  -- The tenant's row lock orders pushes: versions are handed out in commit order.
  SELECT version, max_hlc INTO v_version, v_max FROM tenants WHERE tenant_id = v_tenant FOR UPDATE;
  INSERT INTO clients (tenant_id, client_id) VALUES (v_tenant, p_client) ON CONFLICT DO NOTHING;
  SELECT last_mutation_id, last_hlc INTO v_last, v_prev FROM clients WHERE tenant_id = v_tenant AND client_id = p_client FOR UPDATE;
  v_first_new := v_last + 1;

  -- Which mutations to apply, each with its version and clock: already applied ones are
  -- skipped (unless the id came back with other content: a fork), a gap stops the batch.
  -- A clock ahead of the server's by more than ${MAX_CLOCK_AHEAD_MS / 60000} minutes is never refused: the
  -- change is applied under the server's clock (after every clock the tenant has seen),
  -- and so is any later change of the same device stamped before it (a database made
  -- before sync sends its rows under one clock: equal is not before); the device is told.
  FOR v_m, v_pos IN SELECT value, ordinality FROM jsonb_array_elements(p_batch) WITH ORDINALITY ORDER BY (value->>'id')::bigint LOOP
    v_id := (v_m->>'id')::bigint;
    IF v_id <= v_last THEN
      SELECT checksum, restamped INTO v_prev_sum, v_prev_restamp FROM applied WHERE tenant_id = v_tenant AND client_id = p_client AND mutation_id = v_id;
      IF v_prev_sum IS DISTINCT FROM v_m->>'sum' THEN v_fork := v_id; EXIT; END IF;
      IF v_prev_restamp IS NOT NULL THEN
        v_restamped := v_restamped || jsonb_build_object('id', v_id, 'from', v_m->>'hlc', 'to', v_prev_restamp);
      END IF;
      -- A refusal whose answer was lost is told again.
      SELECT reason INTO v_state FROM rejections WHERE tenant_id = v_tenant AND client_id = p_client AND mutation_id = v_id;
      IF FOUND THEN v_failed := v_failed || jsonb_build_object('m', v_m, 'reason', v_state); END IF;
      v_skipped := v_skipped + 1;
      CONTINUE;
    END IF;
    EXIT WHEN v_id <> v_last + 1; -- a gap: stop, the device sends the missing ones first
    v_hlc := v_m->>'hlc';
    IF v_hlc IS NULL OR v_hlc !~ '^[0-9]{15}:[0-9]{5}:' THEN RAISE EXCEPTION 'bad clock in change %', v_id USING ERRCODE = '22023'; END IF;
    IF v_hlc COLLATE "C" > v_limit COLLATE "C" OR v_hlc COLLATE "C" < coalesce(v_prev, '') COLLATE "C" THEN
      v_hlc := server_hlc(CASE WHEN coalesce(v_max, '') COLLATE "C" > coalesce(v_prev, '') COLLATE "C" THEN v_max ELSE v_prev END);
      v_restamped := v_restamped || jsonb_build_object('id', v_id, 'from', v_m->>'hlc', 'to', v_hlc);
      v_stamps := array_append(v_stamps, v_hlc);
    ELSE
      v_stamps := array_append(v_stamps, NULL::text);
    END IF;
    v_prev := v_hlc;
    IF v_max IS NULL OR v_hlc COLLATE "C" > v_max COLLATE "C" THEN v_max := v_hlc; END IF;
    v_version := v_version + 1;
    v_positions := array_append(v_positions, v_pos);
    v_versions := array_append(v_versions, v_version);
    v_hlcs := array_append(v_hlcs, v_hlc);
    v_ids := array_append(v_ids, v_id);
    v_sums := array_append(v_sums, v_m->>'sum');
    v_last := v_id;
  END LOOP;

  BEGIN
    -- All at once: new rows set by set, the other changes one by one in mutation order.
    PERFORM insert_new_rows(v_tenant, p_batch, v_positions, v_versions, v_hlcs, p_client);
    FOR v_change, v_change_version, v_hlc IN
      SELECT jsonb_build_object('t', p.tbl, 'id', p.id, 'op', p.op, 'v', p.v), p.version, p.hlc FROM pending_changes p
      WHERE NOT EXISTS (SELECT 1 FROM done_changes d WHERE d.tbl = p.tbl AND d.id = p.id AND d.version = p.version)
      ORDER BY p.version, p.ord
    LOOP
      v_conflicts := apply_change(v_tenant, v_change_version, v_change, v_hlc, v_conflicts, p_client, p_seen);
    END LOOP;
    v_applied := cardinality(v_ids);
  EXCEPTION WHEN OTHERS THEN
    -- One of them cannot be applied (undone above): each mutation on its own, so that
    -- only the ones that fail are refused.
    v_conflicts := '[]';
    FOR v_m, v_change_version, v_hlc IN
      SELECT b.m, x.version, x.hlc FROM unnest(v_positions, v_versions, v_hlcs) x(pos, version, hlc)
      JOIN jsonb_array_elements(p_batch) WITH ORDINALITY b(m, pos) USING (pos) ORDER BY x.version
    LOOP
      BEGIN
        FOR v_change IN SELECT value FROM jsonb_array_elements(v_m->'changes') LOOP
          v_conflicts := apply_change(v_tenant, v_change_version, v_change, v_hlc, v_conflicts, p_client, p_seen);
        END LOOP;
        v_applied := v_applied + 1;
      EXCEPTION WHEN OTHERS THEN
        -- What the device needs to say it in words: which rule, which table, which column.
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_constraint = CONSTRAINT_NAME, v_tbl = TABLE_NAME, v_column = COLUMN_NAME;
        v_failed := v_failed || jsonb_build_object('m', v_m, 'reason', SQLERRM,
          'detail', jsonb_build_object('state', v_state, 'constraint', nullif(v_constraint, ''), 'table', nullif(v_tbl, ''), 'column', nullif(v_column, '')));
      END;
    END LOOP;
  END;

  -- Refused for good: recorded, and the id still counts, so the device moves on; it
  -- gets back the server's rows for what it changed, to take instead of its own.
  FOR v_item IN SELECT value FROM jsonb_array_elements(v_failed) ORDER BY (value->'m'->>'id')::bigint LOOP
    v_m := v_item->'m';
    INSERT INTO rejections (tenant_id, client_id, mutation_id, reason, changes) VALUES (v_tenant, p_client, (v_m->>'id')::bigint, v_item->>'reason', v_m->'changes')
    ON CONFLICT DO NOTHING;
    SELECT coalesce(jsonb_agg(jsonb_build_object('t', c->>'t', 'id', c->>'id', 'data', row_data(v_tenant, c->>'t', c->>'id'))), '[]') INTO v_rows
    FROM jsonb_array_elements(v_m->'changes') c;
    v_rejected := v_rejected || jsonb_build_object('id', (v_m->>'id')::bigint, 'reason', v_item->>'reason', 'detail', v_item->'detail', 'rows', v_rows);
  END LOOP;
  -- A refused change was not applied under any clock.
  SELECT coalesce(jsonb_agg(r), '[]') INTO v_restamped FROM jsonb_array_elements(v_restamped) r
  WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v_failed) f WHERE (f->'m'->>'id')::bigint = (r->>'id')::bigint);
  -- A rename or a merge the server made goes back with the row as it now stands.
  SELECT coalesce(jsonb_agg(CASE WHEN c ? 'table' THEN c || jsonb_build_object('data', row_data(v_tenant, c->>'table', c->>'id')) ELSE c END), '[]') INTO v_conflicts
  FROM jsonb_array_elements(v_conflicts) c;
  INSERT INTO applied (tenant_id, client_id, mutation_id, checksum, restamped)
  SELECT v_tenant, p_client, i, s, r FROM unnest(v_ids, v_sums, v_stamps) AS x(i, s, r) WHERE i >= v_first_new
  ON CONFLICT DO NOTHING;
  UPDATE clients SET last_mutation_id = v_last, last_hlc = v_prev, last_seen = now() WHERE tenant_id = v_tenant AND client_id = p_client;
  UPDATE tenants SET version = v_version, max_hlc = v_max WHERE tenant_id = v_tenant;
  RETURN jsonb_build_object('applied', v_applied, 'skipped', v_skipped, 'last_mutation_id', v_last, 'fork_at', v_fork,
    'rejected', v_rejected, 'conflicts', v_conflicts, 'restamped', v_restamped, 'version', v_version,
    'server_time', v_now_ms, 'hlc', server_hlc(v_max));
END $$`;

/** A stored row as JSON (without its tenant), or null. */
const rowData = (tables: string[]) => `
CREATE FUNCTION ${DATA}.row_data(p_tenant text, p_tbl text, p_id text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT CASE p_tbl
${tables.map((t) => `    WHEN '${t}' THEN (SELECT to_jsonb(t) - 'tenant_id' FROM ${DATA}.${quote(t)} t WHERE t.tenant_id = p_tenant AND t.id = p_id)`).join('\n')}
  END
$$`;

const pull = (tables: string[]) => `
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

const HELLO = `
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

const TENANT_INFO = `
CREATE FUNCTION ${API}.tenant_info() RETURNS TABLE (tenant_id text, name text, timezone text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ${DATA}, pg_temp AS $$
  SELECT ${API}.current_tenant(), t.name, t.timezone FROM (SELECT 1) one LEFT JOIN tenants t ON t.tenant_id = ${API}.current_tenant()
$$`;

/** Statements of `milepost server init`, in order, from a migrated tenant database of this version. */
export function centralSchema(sqlite: Database.Database, schemaVersion: number): string[] {
  const tables = tableDefinitions(sqlite).filter((t) => (SYNCED_TABLES as readonly string[]).includes(t.name));
  const out: string[] = [
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${DEVICE_GROUP}') THEN CREATE ROLE ${DEVICE_GROUP} NOLOGIN; END IF;
     END $$`,
    `CREATE SCHEMA ${DATA}`,
    `CREATE SCHEMA ${API}`,
    `REVOKE ALL ON SCHEMA ${DATA} FROM PUBLIC`,
    `REVOKE ALL ON SCHEMA ${API} FROM PUBLIC`,
    ...BOOKKEEPING,
    `INSERT INTO ${DATA}.meta (key, value) VALUES ('schema_version', '${schemaVersion}')`,
    CURRENT_TENANT, // the row-level security policies below call it
  ];
  const applyFunctions: string[] = [];
  for (const t of tables) {
    if (t.key.join() !== 'id') throw new Error(`synced table ${t.name} must be keyed by id`);
    const lines = [`"tenant_id" text COLLATE "C" NOT NULL`, ...t.columns.map((c) => c.ddl), `"server_version" bigint NOT NULL`, `"field_hlc" jsonb NOT NULL`,
      `PRIMARY KEY ("tenant_id", "id")`, ...t.checks];
    out.push(`CREATE TABLE ${DATA}.${quote(t.name)} (\n  ${lines.join(',\n  ')}\n)`);
    // Each index leads with the tenant (so a code is unique within its tenant).
    for (const index of t.indexes) out.push(index.replace(/ ON "([^"]+)" \(/, ` ON ${DATA}."$1" ("tenant_id", `));
    out.push(`ALTER TABLE ${DATA}.${quote(t.name)} ENABLE ROW LEVEL SECURITY`);
    out.push(`CREATE POLICY tenant_rows ON ${DATA}.${quote(t.name)} USING (tenant_id = ${API}.current_tenant()) WITH CHECK (tenant_id = ${API}.current_tenant())`);
    const columns = [...t.columns.map((c) => quote(c.name)).filter((c) => c !== '"id"'), '"server_version"', '"field_hlc"'];
    const code = t.indexes.map((i) => /^CREATE UNIQUE INDEX .* \("(\w+_code)"\)$/.exec(i)?.[1]).find(Boolean) ?? null;
    applyFunctions.push(applyTableFunction(t.name, columns.join(', '), columns.map((c) => `r.${c}`).join(', '), code));
  }
  const names = tables.map((t) => t.name);
  // Bookings, unit inventory and holds always go one by one: the overbooking and hold
  // checks read them in order.
  const fast = tables.filter((t) => !['sales_bookings', 'sales_unit_inventory', 'sales_unit_holds'].includes(t.name));
  out.push(SERVER_HLC, TAKE_INCOMING, MERGE_ROW, ...applyFunctions, applyChange(names), fastInserts(fast), rowData(names), PUSH, pull(names), HELLO, TENANT_INFO);
  // What report SQL reads, under the names it reads on a device.
  for (const t of tables) {
    out.push(`CREATE VIEW ${API}.${quote(t.name)} AS SELECT ${t.columns.map((c) => quote(c.name)).join(', ')} FROM ${DATA}.${quote(t.name)} WHERE tenant_id = ${API}.current_tenant()`);
  }
  // Aggregates and report views name their tables unqualified: created with the API
  // schema first on the path, they read the tenant-filtered views.
  out.push(`SET LOCAL search_path = ${API}, pg_temp`);
  for (const sql of PG_FUNCTIONS) out.push(sql.replace(/CREATE (OR REPLACE )?FUNCTION /, `CREATE $1FUNCTION ${API}.`));
  for (const a of aggregateDefinitions()) out.push(`CREATE VIEW ${API}.${a.table} (${a.columns}) AS ${a.select}`);
  for (const sql of PG_VIEWS) out.push(sql.replace(/CREATE VIEW /, `CREATE VIEW ${API}.`));
  out.push(
    `GRANT USAGE ON SCHEMA ${API} TO ${DEVICE_GROUP}`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA ${API} TO ${DEVICE_GROUP}`,
    `REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${API} FROM PUBLIC`,
    `REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${DATA} FROM PUBLIC`,
    `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${API} TO ${DEVICE_GROUP}`,
  );
  return out;
}

export const deviceRole = (tenantId: string) => `milepost_t_${tenantId.replace(/-/g, '_')}`;
