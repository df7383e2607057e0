import type Database from 'better-sqlite3';
import { aggregateDefinitions } from '../aggregates.js';
import { SYNCED_TABLES } from '../schema/sync.js';
import { quote, tableDefinitions } from './schema.js';
import { PG_FUNCTIONS, PG_VIEWS } from './views.js';
import { API, DATA, DEVICE_GROUP } from './centralNames.js';
import { applyChange, applyTableFunction, CURRENT_TENANT, MERGE_ROW, SERVER_HLC, TAKE_INCOMING } from './centralMerge.js';
import { fastInserts, PUSH } from './centralPush.js';
import { HELLO, pull, rowData, TENANT_INFO } from './centralPull.js';

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
