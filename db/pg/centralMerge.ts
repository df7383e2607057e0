import { quote } from './schema.js';
import { API, DATA, DEVICE_GROUP } from './centralNames.js';

// The server's side of SPEC §8's merge, in SQL: the caller's tenant, the server clock,
// the field-by-field merge of main/sync/merge.ts, and applying one change to a table.

export const CURRENT_TENANT = `
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

export const SERVER_HLC = `
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
export const TAKE_INCOMING = `
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
export const MERGE_ROW = `
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
export function applyTableFunction(table: string, setList: string, fromList: string, uniqueColumn: string | null): string {
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

export const applyChange = (tables: string[]) => `
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

