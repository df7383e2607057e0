import { quote, type TableDefinition } from './schema.js';
import { API, DATA, MAX_CLOCK_AHEAD_MS } from './centralNames.js';

// milepost.push: a device's batch of changes applied in one transaction — new rows
// inserted table by table, everything else merged one change at a time.

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
export const fastInserts = (tables: TableDefinition[]) => `
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

export const PUSH = `
CREATE FUNCTION ${API}.push(p_client text, p_batch jsonb, p_seen bigint DEFAULT 0) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${DATA}, pg_temp AS $$
DECLARE
  v_tenant text := ${API}.current_tenant();
  -- Positions and versions in the change log.
  v_version bigint; v_last bigint; v_first_new bigint; v_id bigint; v_pos bigint; v_change_version bigint; v_fork bigint;
  -- The batch, a change of it, and what became of each.
  v_m jsonb; v_item jsonb; v_change jsonb; v_rows jsonb;
  v_applied int := 0; v_skipped int := 0;
  v_rejected jsonb := '[]'; v_conflicts jsonb := '[]'; v_restamped jsonb := '[]'; v_failed jsonb := '[]';
  -- Clocks (hybrid logical, as text) and checksums.
  v_prev_sum text; v_prev_restamp text; v_max text; v_prev text; v_hlc text; v_state text;
  v_now_ms bigint := floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint;
  v_limit text := lpad((floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint + ${MAX_CLOCK_AHEAD_MS})::text, 15, '0');
  -- Arrays collected for one set-based write at the end.
  v_positions bigint[] := '{}'; v_versions bigint[] := '{}'; v_ids bigint[] := '{}';
  v_hlcs text[] := '{}'; v_sums text[] := '{}'; v_stamps text[] := '{}';
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

