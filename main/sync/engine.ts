import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { SYNCED_RANK, SYNCED_TABLES } from '../../db/schema/sync.js';
import { rebuildAggregates } from '../../db/aggregates.js';
import { statement } from '../../db/statements.js';
import { numberTypes } from '../../db/pg/reports.js';
import { AppError } from '../domain/errors.js';
import { formatHlc, parseHlc, receive } from './hlc.js';
import { applyServerRow, existingIds, localRows, removeLocalRows, shapeOf, uniqueColumnsOf, uniqueKeysOf, collisionValue, type ServerRow } from './apply.js';
import { deviceNow, nextHlc, readClocks, readState, schemaVersion, writeClocks, writeState } from './capture.js';
import { refusalInWords, renameInWords } from './words.js';

// SPEC §8 sync against the central Postgres: push this device's outbox (one call of
// milepost.push per batch, one transaction on the server), then pull what changed
// since the device's cursor, page by page, each page and its cursor in one SQLite
// transaction. A cut at any point loses nothing: the outbox is only trimmed after the
// server answered, a mutation id the server already has is skipped there, and a page
// is either applied with its cursor or not at all.
//
// Clocks: the device learns how far its clock is from the server's at every hello and
// stamps its changes with the corrected time from then on; changes it made with a slow
// clock and never sent are moved forward by the same amount; the server restamps any
// change still ahead of its own clock (never refusing it) and says so, and the device
// rewrites its own field clocks to match. No write is lost or reverted for a clock.

export interface SyncProgress {
  phase: 'connect' | 'push' | 'pull' | 'done';
  pushed: number;
  pulled: number;
}

/** What the server found when two devices' changes met: a unit or type overbooked, a unit held twice. */
export type Conflict =
  | { kind: 'overbooking'; booking_id: string; booked: number; units: number; words?: string }
  /** Of two live holds of one unit, this one was released (the other was made earlier). */
  | { kind: 'hold_conflict'; hold_id: string; unit_id: string; words: string };

/** A record the server changed of its own accord when it arrived: a code made unique, a user merged. */
export interface Renamed {
  kind: 'renamed' | 'merged_user' | 'merged_unit';
  table: string;
  id: string;
  column: string;
  from: string;
  to: string;
  /** merged_user: the account it was merged into. */
  into?: string;
  words: string;
}

export interface Refusal {
  mutation_id: number;
  reason: string;
  /** What the server refused, said for a person. */
  words: string;
}

export interface SyncSummary {
  pushed: number;
  skipped: number;
  rejected: Refusal[];
  pulled: number;
  conflicts: Conflict[];
  renamed: Renamed[];
  /** Changes the server applied under its own clock, the device's being ahead. */
  restamped: number;
  /** How far this device's clock is from the server's (ms, positive: the device is behind). */
  clock_offset_ms: number;
  /** The tenant's settings this device took from the server (a device that joined). */
  adopted: Record<string, { from: string; to: string }>;
  /** The device found its identity reused (a restored backup) and took a new one. */
  new_identity: boolean;
  pending: number;
  last_sync: string;
}

export interface SyncOptions {
  /** A device role's connection URL (milepost server add-tenant prints it). */
  url: string;
  pushBatch?: number;
  pullPage?: number;
  onProgress?: (p: SyncProgress) => void;
  /** The Postgres client to use (tests wrap it to cut the connection at chosen points). */
  connect?: (url: string) => Promise<pg.ClientBase & { end: () => Promise<void> }>;
  clock?: () => Date;
}

interface Cursor {
  version: number;
  tbl: string;
  row: string;
}

const START: Cursor = { version: 0, tbl: '', row: '' };
/** A device clock further than this from the server's is corrected (smaller gaps are network noise). */
const OFFSET_NOISE_MS = 1_000;
/** Beyond this the Sync screen warns that the device clock is off. */
export const CLOCK_WARNING_MS = 2 * 60_000;

export async function defaultConnect(url: string) {
  const client = new pg.Client({ connectionString: url, types: numberTypes, connectionTimeoutMillis: 10_000 });
  // A connection that drops (server restart, network cut) fails the query in flight;
  // the event it also emits must not take the app down.
  client.on('error', () => {});
  await client.connect();
  return client;
}

export const newClientId = () => randomBytes(16).toString('hex');

export const pendingCount = (db: Database.Database) => (statement(db, 'SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n;

const settingsOf = (db: Database.Database) =>
  db.prepare('SELECT tenant_id, name, timezone, currency, locale, device_tag FROM tenant_settings LIMIT 1').get() as Record<string, string>;

/** The last mutation id this device ever issued (outbox ids are never reused). */
const lastIssued = (db: Database.Database) =>
  (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'").get() as { seq: number } | undefined)?.seq ?? 0;
const base = (db: Database.Database) => Number(readState(db, 'client_base') ?? '0');

interface Hello {
  last_mutation_id: number;
  device_tag_taken: boolean;
  schema_version: number;
  behind: boolean;
  server_time: number;
  tenant: { tenant_id: string; name: string | null; timezone: string | null; currency: string | null; locale: string | null } | null;
  /** Server time minus this device's, measured over the call. */
  offset: number;
}

async function hello(client: pg.ClientBase, db: Database.Database, clock: () => Date): Promise<Hello> {
  const settings = settingsOf(db);
  const { name, timezone, currency, locale } = settings;
  const sent = clock().getTime();
  const res = await client.query<{ r: Omit<Hello, 'offset'> }>('SELECT milepost.hello($1, $2, $3::jsonb, $4) AS r', [
    readState(db, 'client_id'), settings.device_tag, JSON.stringify({ name, timezone, currency, locale }), lastIssued(db) - base(db),
  ]);
  const back = clock().getTime();
  const r = res.rows[0]!.r;
  return { ...r, offset: Number(r.server_time) - Math.round((sent + back) / 2) };
}

/** This device's changes go on under a new identity, numbered from the first one not yet sent. */
function takeNewIdentity(db: Database.Database, firstUnsent: number): void {
  const first = (db.prepare('SELECT min(mutation_id) AS m FROM sync_outbox').get() as { m: number | null }).m;
  writeState(db, 'client_id', newClientId());
  writeState(db, 'client_base', String((first ?? firstUnsent) - 1));
  // What the old identity sent since this database was copied must come down again.
  db.prepare("DELETE FROM sync_state WHERE key = 'seen_version'").run();
}

/**
 * A change the device made is now known under another clock (the server restamped it,
 * or the device moved its unsent changes forward): every field clock it set moves too.
 */
function restampLocal(db: Database.Database, mutationId: number, from: string, to: string): void {
  const row = statement(db, 'SELECT changes FROM sync_outbox WHERE mutation_id = ?').get(mutationId) as { changes: string } | undefined;
  if (!row) return;
  for (const c of JSON.parse(row.changes) as { t: string; id: string }[]) {
    const clocks = readClocks(db, c.t, c.id);
    if (!clocks) continue;
    let moved = false;
    for (const [field, clock] of Object.entries(clocks)) {
      if (clock === from) {
        clocks[field] = to;
        moved = true;
      }
    }
    if (moved) writeClocks(db, c.t, c.id, clocks);
  }
}

/** The device's clock state after this hello: corrected, and never ahead of the server's. */
function alignClock(db: Database.Database, hi: Hello, summary: SyncSummary): void {
  const offset = Math.abs(hi.offset) <= OFFSET_NOISE_MS ? 0 : hi.offset;
  const before = Number(readState(db, 'clock_offset') ?? '0');
  summary.clock_offset_ms = offset;
  db.transaction(() => {
    writeState(db, 'clock_offset', String(offset));
    // Changes made with a clock that was off and never sent: stamped by the amount it was
    // off, so that they are taken as neither older nor newer than they are (an edit made
    // on a laptop 2 hours fast does not beat one made elsewhere a minute later).
    const forward = offset - before;
    if (Math.abs(forward) > CLOCK_WARNING_MS) {
      const unsent = db.prepare('SELECT mutation_id, hlc FROM sync_outbox WHERE mutation_id > ? ORDER BY mutation_id').all(hi.last_mutation_id + base(db)) as { mutation_id: number; hlc: string }[];
      let latest: string | null = null;
      for (const m of unsent) {
        const h = parseHlc(m.hlc);
        const to = formatHlc({ ...h, ms: h.ms + forward });
        restampLocal(db, m.mutation_id, m.hlc, to);
        statement(db, 'UPDATE sync_outbox SET hlc = ? WHERE mutation_id = ?').run(to, m.mutation_id);
        latest = to;
      }
      const last = readState(db, 'hlc');
      if (latest && (!last || latest > last || forward < 0)) writeState(db, 'hlc', latest);
    }
    // A clock state left in the future by a fast clock comes back to the server's time:
    // from now on this device's changes are stamped as they happen.
    const last = readState(db, 'hlc');
    if (last && parseHlc(last).ms > hi.server_time + CLOCK_WARNING_MS / 2) {
      writeState(db, 'hlc', formatHlc({ ms: hi.server_time, counter: 0, node: readState(db, 'client_id')! }));
    }
  }).immediate();
}

/** The first device to sync names the tenant; a device that joins takes its name, time zone, currency and locale. */
function adoptSettings(db: Database.Database, hi: Hello, summary: SyncSummary): void {
  if (!hi.tenant) return;
  const mine = settingsOf(db);
  const changed: Record<string, { from: string; to: string }> = {};
  for (const key of ['name', 'timezone', 'currency', 'locale'] as const) {
    const theirs = hi.tenant[key];
    if (theirs && theirs !== mine[key]) changed[key] = { from: mine[key]!, to: theirs };
  }
  if (!Object.keys(changed).length) return;
  const set = Object.keys(changed);
  db.prepare(`UPDATE tenant_settings SET ${set.map((k) => `"${k}" = ?`).join(', ')}, updated_at = ?`).run(...set.map((k) => changed[k]!.to), new Date().toISOString());
  summary.adopted = changed;
}

/** A database that held records before sync existed sends them all once, as inserts. */
function seedOutbox(db: Database.Database, clock: () => Date): void {
  if (readState(db, 'needs_seed') !== '1') return;
  db.transaction(() => {
    const hlc = nextHlc(db, clock().getTime());
    const add = statement(db, 'INSERT INTO sync_outbox (hlc, schema_version, changes, created_at) VALUES (?, ?, ?, ?)');
    for (const table of SYNCED_TABLES) {
      let batch: unknown[] = [];
      const flush = () => {
        if (batch.length) add.run(hlc, schemaVersion(db), JSON.stringify(batch), clock().toISOString());
        batch = [];
      };
      // Read page by page (a statement cannot write while another still iterates).
      const next = db.prepare(`SELECT * FROM "${table}" WHERE id > ? ORDER BY id LIMIT 500`);
      for (let after = ''; ;) {
        const rows = next.all(after) as (Record<string, unknown> & { id: string })[];
        if (!rows.length) break;
        for (const row of rows) {
          batch.push({ t: table, id: row.id, op: 'insert', v: row });
          writeClocks(db, table, row.id, { '*': hlc });
        }
        flush();
        after = rows[rows.length - 1]!.id;
      }
    }
    db.prepare("DELETE FROM sync_state WHERE key = 'needs_seed'").run();
  }).immediate();
}

interface ServerNote {
  kind: string;
  table?: string;
  id?: string;
  column?: string;
  from?: string;
  to?: string;
  into?: string;
  data?: ServerRow | null;
  booking_id?: string;
  booked?: number;
  units?: number;
  hold_id?: string;
  unit_id?: string;
}

interface PushResult {
  applied: number;
  skipped: number;
  last_mutation_id: number;
  fork_at: number | null;
  rejected: { id: number; reason: string; detail?: Record<string, string | null>; rows: { t: string; id: string; data: ServerRow | null }[] }[];
  conflicts: ServerNote[];
  restamped: { id: number; from: string; to: string }[];
  version: number;
}

const checksum = (hlc: string, changes: string) => createHash('sha256').update(hlc).update('\n').update(changes).digest('hex');

interface Batch {
  json: string;
  firstId: number;
  lastLocal: number;
}

/** At most this much JSON goes in one push (a batch still takes at least one mutation, however large). */
const BATCH_BYTES = 4 << 20;

/** The next pushable mutations after a local id, as the JSON push takes (written around the stored changes, not re-encoded). */
function nextBatch(db: Database.Database, after: number, size: number, base: number): Batch | null {
  const parts: string[] = [];
  let bytes = 0;
  let firstId = 0;
  let lastLocal = after;
  for (const m of statement(db, 'SELECT mutation_id, hlc, changes FROM sync_outbox WHERE mutation_id > ? ORDER BY mutation_id LIMIT ?').iterate(after, size) as IterableIterator<{ mutation_id: number; hlc: string; changes: string }>) {
    if (parts.length && bytes + m.changes.length > BATCH_BYTES) break;
    if (!parts.length) firstId = m.mutation_id - base;
    parts.push(`{"id":${m.mutation_id - base},"hlc":${JSON.stringify(m.hlc)},"sum":"${checksum(m.hlc, m.changes)}","changes":${m.changes}}`);
    bytes += m.changes.length;
    lastLocal = m.mutation_id;
  }
  return parts.length ? { json: `[${parts.join(',')}]`, firstId, lastLocal } : null;
}

/** Take what the server answered a push with, in one transaction with trimming the outbox. */
function takePushResult(db: Database.Database, res: PushResult, base: number, summary: SyncSummary): void {
  // The clocks first, while the outbox still holds what each mutation changed.
  for (const r of res.restamped) restampLocal(db, r.id + base, r.from, r.to);
  summary.restamped += res.restamped.length;
  // Undo a refused change: its rows as the server has them (or gone), children first.
  const gone: { table: string; id: string }[] = [];
  for (const r of res.rejected) {
    const own = statement(db, 'SELECT changes FROM sync_outbox WHERE mutation_id = ?').get(r.id + base) as { changes: string } | undefined;
    summary.rejected.push({ mutation_id: r.id, reason: r.reason, words: refusalInWords(r.reason, r.detail, r.rows, own ? JSON.parse(own.changes) : []) });
    for (const x of r.rows) {
      if (x.data) applyServerRow(db, x.t, { ...x.data, id: x.id }, true);
      else gone.push({ table: x.t, id: x.id });
    }
  }
  removeLocalRows(db, gone);
  // Rows the server changed of its own accord, as it now has them. They land as pulled
  // rows do: one naming a row this device has not pulled yet (a booking moved onto
  // another device's unit) waits for it.
  const arrived: Pending[] = [];
  for (const n of res.conflicts) {
    if (n.kind === 'overbooking') {
      summary.conflicts.push({ booking_id: n.booking_id!, kind: n.kind, booked: n.booked!, units: n.units! });
      continue;
    }
    if (n.kind === 'hold_conflict') {
      if (n.data && n.id) arrived.push({ table: 'sales_unit_holds', row: { ...n.data, id: n.id } });
      summary.conflicts.push({ kind: n.kind, hold_id: n.hold_id!, unit_id: n.unit_id!, words: '' });
      continue;
    }
    // A code made unique, a user merged: the row as the server has it now, so that the
    // one that keeps the code can land here.
    if (n.data && n.table && n.id) arrived.push({ table: n.table, row: { ...n.data, id: n.id } });
    summary.renamed.push({ kind: n.kind as Renamed['kind'], table: n.table!, id: n.id!, column: n.column!, from: n.from!, to: n.to!, ...(n.into ? { into: n.into } : {}), words: renameInWords(n.kind, n.table!, n.from!, n.to!) });
  }
  if (arrived.length) land(db, arrived);
  for (const c of summary.conflicts) {
    if (c.kind === 'hold_conflict' && !c.words) c.words = holdConflictWords(db, c.hold_id, c.unit_id);
    if (c.kind === 'overbooking') c.words = bookingWords(db, c.booking_id);
  }
  statement(db, 'DELETE FROM sync_outbox WHERE mutation_id <= ?').run(res.last_mutation_id + base);
}

async function push(client: pg.ClientBase, db: Database.Database, summary: SyncSummary, opts: SyncOptions, clock: () => Date, progress: () => void): Promise<number> {
  const size = opts.pushBatch ?? 2000;
  let version = 0;
  for (;;) {
    const b = base(db);
    const clientId = readState(db, 'client_id');
    const seen = Number(readState(db, 'seen_version') ?? '0');
    let batch = nextBatch(db, 0, size, b);
    let forked = false;
    while (batch && !forked) {
      const sent = client.query<{ r: PushResult }>('SELECT milepost.push($1, $2::jsonb, $3) AS r', [clientId, batch.json, seen]);
      // While the server applies this batch, the next one is read and written out. Sent
      // ahead of the answer it is harmless: ids the server does not take yet are a gap
      // it stops at, and the outbox is only trimmed by what the server answered.
      const following = nextBatch(db, batch.lastLocal, size, b);
      const res = (await sent).rows[0]!.r;
      db.transaction(() => {
        if (res.fork_at !== null) {
          // This identity's ids up to fork_at − 1 were applied; from fork_at on, the server
          // holds other changes under the same ids (this database came back from a
          // backup). The rest go again under a new identity, numbered from 1.
          statement(db, 'DELETE FROM sync_outbox WHERE mutation_id < ?').run(res.fork_at + b);
          takeNewIdentity(db, res.fork_at + b);
          summary.new_identity = true;
          forked = true;
          return;
        }
        takePushResult(db, res, b, summary);
      }).immediate();
      version = Math.max(version, Number(res.version ?? 0));
      summary.pushed += res.applied;
      summary.skipped += res.skipped;
      progress();
      if (forked) break;
      if (res.last_mutation_id < batch.firstId - 1) {
        throw new Error(`the server holds this device's changes only up to ${res.last_mutation_id} and it has none before ${batch.firstId}: was the central database restored from an older backup?`);
      }
      // A batch stopped short (a gap the server had to wait on): send again from what it holds.
      batch = res.last_mutation_id + b < batch.lastLocal ? nextBatch(db, 0, size, b) : following;
    }
    if (!forked) return version;
    await hello(client, db, clock);
  }
}

type PulledRow = { version: number; tbl: string; row_id: string; data: ServerRow };

async function pull(client: pg.ClientBase, db: Database.Database, summary: SyncSummary, opts: SyncOptions, clock: () => Date, pushedVersion: number, progress: () => void): Promise<void> {
  const page = Math.min(Math.max(Math.trunc(opts.pullPage ?? 2000), 1), 10_000);
  const fetchPage = (c: Cursor) => client.query<PulledRow>(
    'SELECT version, tbl, row_id, data FROM milepost.pull($1, $2, $3, $4, $5)', [c.version, c.tbl, c.row, page, readState(db, 'client_id')],
  ).then((r) => r.rows);
  // A device that has nothing of its own yet (a new laptop made from the server) takes
  // the pages with the aggregate triggers set aside and recounts the aggregates once at
  // the end; the mark is written with the first page, so a bootstrap cut short is
  // recounted by the sync that finishes it.
  if (readState(db, 'bulk_pull') === undefined && readState(db, 'cursor') === undefined && lastIssued(db) === 0) writeState(db, 'bulk_pull', '1');
  const bulk = readState(db, 'bulk_pull') === '1';
  // A new laptop lands millions of rows: its secondary indexes are set aside and built
  // once at the end (a sort, not millions of scattered inserts); if the pull stops
  // short they are built again at once, so the app never reads without them.
  if (bulk) setIndexesAside(db);
  try {
    await pullPages(db, fetchPage, bulk, summary, clock, pushedVersion, progress, page);
  } finally {
    putIndexesBack(db);
  }
}

/** The unique-free indexes of the synced tables: dropped for a bootstrap, their SQL kept in sync_state until they are back. */
function setIndexesAside(db: Database.Database): void {
  if (readState(db, 'indexes_aside') !== undefined) return;
  const indexes = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
    AND tbl_name IN (${SYNCED_TABLES.map(() => '?').join(', ')})`).all(...SYNCED_TABLES) as { name: string; sql: string }[];
  db.transaction(() => {
    writeState(db, 'indexes_aside', JSON.stringify(indexes));
    for (const i of indexes) db.exec(`DROP INDEX "${i.name}"`);
  }).immediate();
}

/** Build again the indexes a bootstrap set aside (also after one that was killed: sync calls it first). */
export function putIndexesBack(db: Database.Database): void {
  const aside = readState(db, 'indexes_aside');
  if (aside === undefined) return;
  db.transaction(() => {
    for (const i of JSON.parse(aside) as { name: string; sql: string }[]) db.exec(i.sql.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
    db.prepare("DELETE FROM sync_state WHERE key = 'indexes_aside'").run();
  }).immediate();
}

async function pullPages(
  db: Database.Database, fetchPage: (c: Cursor) => Promise<PulledRow[]>, bulk: boolean, summary: SyncSummary, clock: () => Date,
  pushedVersion: number, progress: () => void, page: number,
): Promise<void> {
  let next = fetchPage(JSON.parse(readState(db, 'cursor') ?? JSON.stringify(START)) as Cursor);
  for (;;) {
    const rows = await next;
    const done = rows.length < page;
    const end = rows[rows.length - 1];
    // The next page is on its way while this one lands.
    if (!done && end) {
      next = fetchPage({ version: end.version, tbl: end.tbl, row: end.row_id });
      next.catch(() => {}); // awaited at the next turn; a failure then ends the sync
    }
    db.transaction(() => {
      let latest: string | null = null;
      const pulled: Pending[] = rows.map((r) => {
        const row = { ...r.data, id: r.row_id };
        for (const c of Object.values(row.field_hlc ?? {})) if (!latest || c > latest) latest = c;
        return { table: r.tbl, row };
      });
      // A hold of this device's that another device's earlier hold displaced arrives
      // released: said here too, whichever device reached the server first.
      const displaced = pulled.filter((p) => p.table === 'sales_unit_holds' && p.row.release_reason === 'conflict'
        && (statement(db, 'SELECT released_at FROM sales_unit_holds WHERE id = ?').get(p.row.id) as { released_at: string | null } | undefined)?.released_at === null);
      if (pulled.length) {
        if (bulk) withoutAggregateTriggers(db, () => land(db, pulled, lastIssued(db) === 0));
        else land(db, pulled);
      }
      for (const d of displaced) {
        if (summary.conflicts.some((c) => c.kind === 'hold_conflict' && c.hold_id === d.row.id)) continue;
        summary.conflicts.push({ kind: 'hold_conflict', hold_id: d.row.id, unit_id: String(d.row.unit_id), words: holdConflictWords(db, d.row.id, String(d.row.unit_id)) });
      }
      // Later local changes must carry a clock after everything seen here.
      if (latest) {
        const last = readState(db, 'hlc');
        writeState(db, 'hlc', formatHlc(receive(last ? parseHlc(last) : null, parseHlc(latest), deviceNow(db, clock()), readState(db, 'client_id')!)));
      }
      if (end) writeState(db, 'cursor', JSON.stringify({ version: end.version, tbl: end.tbl, row: end.row_id }));
      // Everything up to here is on this device now (others' rows pulled, its own held):
      // what the server compares a change's row against to know whether this device
      // already has the row as the change leaves it.
      if (done) {
        const seen = Math.max(pushedVersion, end ? end.version : 0, Number(readState(db, 'seen_version') ?? '0'));
        writeState(db, 'seen_version', String(seen));
        if (bulk) {
          rebuildAggregates(db);
          db.prepare("DELETE FROM sync_state WHERE key = 'bulk_pull'").run();
        }
      }
    }).immediate();
    summary.pulled += rows.length;
    progress();
    if (done) return;
  }
}

const triggersOfSynced = new WeakMap<Database.Database, { name: string; sql: string }[]>();
/** Run `work` (in the caller's transaction) with the triggers on the synced tables set aside, and put them back. */
function withoutAggregateTriggers(db: Database.Database, work: () => void): void {
  let triggers = triggersOfSynced.get(db);
  if (!triggers) {
    triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (${SYNCED_TABLES.map(() => '?').join(', ')})`).all(...SYNCED_TABLES) as { name: string; sql: string }[];
    triggersOfSynced.set(db, triggers);
  }
  for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`);
  work();
  for (const t of triggers) db.exec(t.sql);
}

interface Pending {
  table: string;
  row: ServerRow;
}


/**
 * Land a page of pulled rows, with the rows still waiting from earlier pages: every
 * row whose parents are on the device or land with it, parents first (so the
 * aggregate triggers see a booking's lead), foreign keys checked at commit (a lead
 * and its customer refer to each other). The rest wait in sync_deferred for a later page.
 */
function land(db: Database.Database, page: Pending[], fresh = false): void {
  const key = (table: string, id: unknown) => `${table}\u0000${String(id)}`;
  const candidates = new Map<string, Pending>();
  for (const d of db.prepare('SELECT entity, row_id, row FROM sync_deferred').all() as { entity: string; row_id: string; row: string }[]) {
    candidates.set(key(d.entity, d.row_id), { table: d.entity, row: JSON.parse(d.row) as ServerRow });
  }
  for (const p of page) candidates.set(key(p.table, p.row.id), p); // a newer state of a waiting row replaces it
  // The parents the page names, and the page's own rows, looked up on the device once
  // per table (a page of 5,000 rows is a handful of queries, not 5,000).
  const parentIds = new Map<string, Set<unknown>>();
  const ownIds = new Map<string, Set<unknown>>();
  const want = (m: Map<string, Set<unknown>>, table: string, id: unknown) => {
    let ids = m.get(table);
    if (!ids) m.set(table, (ids = new Set()));
    ids.add(id);
  };
  for (const c of candidates.values()) {
    want(ownIds, c.table, c.row.id);
    for (const p of shapeOf(db, c.table).parents) {
      const v = c.row[p.column];
      if (v !== null && v !== undefined) want(parentIds, p.table, v);
    }
  }
  const onDevice = new Set<string>();
  for (const [table, ids] of parentIds) for (const id of existingIds(db, table, ids)) onDevice.add(key(table, id));
  const held = new Map<string, Record<string, unknown>>();
  for (const [table, ids] of ownIds) for (const row of localRows(db, table, ids)) held.set(key(table, row.id), row);
  const waiting: Pending[] = [];
  for (let dropped = true; dropped; ) {
    dropped = false;
    for (const [k, c] of candidates) {
      const missing = shapeOf(db, c.table).parents.some((p) => {
        const v = c.row[p.column];
        return v !== null && v !== undefined && !candidates.has(key(p.table, v)) && !onDevice.has(key(p.table, v));
      });
      if (missing) {
        candidates.delete(k);
        waiting.push(c);
        dropped = true;
      }
    }
  }
  db.pragma('defer_foreign_keys = ON');
  // Parents first; within a table, rows the device has before new ones: a row of ours
  // whose code the server changed (a collision) moves out of the way of the one that
  // keeps the code. Each local row is read once.
  const ranked = [...candidates.values()]
    .map((c) => {
      const local = held.get(key(c.table, c.row.id)) ?? null;
      return { c, local, o: (SYNCED_RANK.get(c.table) ?? 99) * 2 + (local ? 0 : 1) };
    })
    .sort((a, b) => a.o - b.o);
  for (const { c, local } of ranked) {
    try {
      applyServerRow(db, c.table, c.row, false, local, fresh);
    } catch (e) {
      // A code (or unit type) still held here by a row the server renamed or refused:
      // that row makes room, and this one lands.
      if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw e;
      makeRoom(db, c.table, c.row);
      applyServerRow(db, c.table, c.row, false, local, fresh);
    }
  }
  db.prepare('DELETE FROM sync_deferred').run();
  const wait = statement(db, 'INSERT INTO sync_deferred (entity, row_id, row) VALUES (?, ?, ?)');
  for (const w of waiting) wait.run(w.table, w.row.id, JSON.stringify(w.row));
}

/**
 * A row arriving with a code (or username) that another row here still holds: the one
 * here lost that code on the server (the server made it unique when it arrived, the
 * same way) and its new code is on a later page. It takes that code now, so the
 * arriving row can land; its own row, when it comes, finds it already done.
 */
/** A booking said for a person: its code, and its project, type and unit. */
function bookingWords(db: Database.Database, bookingId: string): string {
  const b = statement(db, `SELECT b.booking_code, b.project_name, b.unit_type, u.tower, u.unit_number FROM sales_bookings b
      LEFT JOIN sales_units u ON u.id = b.unit_id WHERE b.id = ?`).get(bookingId) as { booking_code: string; project_name: string | null; unit_type: string | null; tower: string | null; unit_number: string | null } | undefined;
  if (!b) return `booking ${bookingId}`;
  const what = [b.project_name, b.unit_type].filter(Boolean).join(' ');
  const unit = b.unit_number ? `, unit ${b.tower ? `${b.tower} ` : ''}${b.unit_number}` : '';
  return `booking ${b.booking_code}${what || unit ? ` (${what}${unit})` : ''}`;
}

/** A released hold said for a person: which unit, for whom, and why. */
function holdConflictWords(db: Database.Database, holdId: string, unitId: string): string {
  const h = statement(db, `SELECT u.project_name, u.tower, u.unit_number, l.name AS lead FROM sales_unit_holds h
      JOIN sales_units u ON u.id = h.unit_id JOIN sales_leads l ON l.id = h.lead_id WHERE h.id = ?`).get(holdId) as { project_name: string; tower: string; unit_number: string; lead: string } | undefined;
  const unit = h ? `${h.project_name}${h.tower ? ` ${h.tower}` : ''} unit ${h.unit_number}` : `unit ${unitId}`;
  return `${unit} was held on two devices at once: the hold made first keeps it, and the hold${h ? ` for ${h.lead}` : ''} made later was released`;
}

function makeRoom(db: Database.Database, table: string, row: ServerRow): void {
  // A key of several columns set up on two devices offline. A unit (project, tower,
  // number): the server made the two one unit and retired the newcomer, so a unit here
  // holding the key is that newcomer, its answer lost with a cut connection: it is
  // retired here too, until the server's copy of it lands. A unit type: the server
  // refused the second, so a row here holding it goes, as the refusal would.
  for (const key of uniqueKeysOf(db, table)) {
    if (key.columns.some((c) => row[c] === null || row[c] === undefined)) continue;
    const holder = statement(db, `SELECT id FROM "${table}" WHERE ${key.match} AND id <> ?${key.live ? ` AND (${key.live})` : ''}`)
      .get(...key.columns.map((c) => row[c]), row.id) as { id: string } | undefined;
    if (!holder) continue;
    if (table === 'sales_units') statement(db, `UPDATE "${table}" SET deleted_at = ? WHERE id = ?`).run(new Date().toISOString(), holder.id);
    else removeLocalRows(db, [{ table, id: holder.id }]);
  }
  for (const column of uniqueColumnsOf(db, table)) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    const holder = statement(db, `SELECT id FROM "${table}" WHERE "${column}" = ? AND id <> ?`).get(value, row.id) as { id: string } | undefined;
    if (holder) statement(db, `UPDATE "${table}" SET "${column}" = ? WHERE id = ?`).run(collisionValue(String(value), holder.id), holder.id);
  }
}

/** Push, then pull. The connection is closed however it ends. */
export async function syncDatabase(db: Database.Database, opts: SyncOptions): Promise<SyncSummary> {
  const clock = opts.clock ?? (() => new Date());
  const summary: SyncSummary = {
    pushed: 0, skipped: 0, rejected: [], pulled: 0, conflicts: [], renamed: [], restamped: 0, clock_offset_ms: 0, adopted: {},
    new_identity: false, pending: 0, last_sync: '',
  };
  const report = (phase: SyncProgress['phase']) => () => opts.onProgress?.({ phase, pushed: summary.pushed, pulled: summary.pulled });
  // A bootstrap killed before it finished left its indexes aside: a pull that goes on
  // with it keeps them aside, anything else has them back first.
  if (readState(db, 'bulk_pull') !== '1') putIndexesBack(db);
  report('connect')();
  const client = await (opts.connect ?? defaultConnect)(opts.url);
  try {
    let hi = await hello(client, db, clock);
    const mine = settingsOf(db).tenant_id;
    if (hi.tenant?.tenant_id !== mine) {
      // Another tenant's login: nothing of this tenant goes there, nothing of that one comes here.
      throw new AppError('forbidden', `this login belongs to tenant '${hi.tenant?.tenant_id ?? '?'}', not '${mine}': use the URL head office gave for '${mine}'`, [{ field: 'url', message: `belongs to tenant '${hi.tenant?.tenant_id ?? '?'}'` }]);
    }
    if (hi.schema_version !== schemaVersion(db)) {
      // Rows of two shapes must not meet: the older side is updated first.
      throw new AppError('conflict', `the central database has tenant schema ${hi.schema_version} and this device ${schemaVersion(db)}: ${hi.schema_version < schemaVersion(db) ? 'update the central schema' : 'update Milepost on this device'} before syncing`);
    }
    if (hi.behind) {
      // The server has more of this identity's changes than this database ever made: it
      // came back from a backup. It goes on as a new device, and pulls what "it" sent since.
      db.transaction(() => takeNewIdentity(db, lastIssued(db) + 1)).immediate();
      summary.new_identity = true;
      hi = await hello(client, db, clock);
    }
    if (hi.device_tag_taken) {
      // Another device of this tenant has the same tag: take a new one, so that the
      // codes made from now on cannot collide.
      db.prepare('UPDATE tenant_settings SET device_tag = ?').run(randomBytes(2).toString('hex').toUpperCase());
      hi = await hello(client, db, clock);
    }
    alignClock(db, hi, summary);
    adoptSettings(db, hi, summary);
    seedOutbox(db, clock);
    report('push')();
    const version = await push(client, db, summary, opts, clock, report('push'));
    report('pull')();
    await pull(client, db, summary, opts, clock, version, report('pull'));
  } finally {
    await client.end().catch(() => {});
  }
  summary.pending = pendingCount(db);
  summary.last_sync = clock().toISOString();
  writeState(db, 'last_sync', JSON.stringify(summary));
  report('done')();
  return summary;
}
