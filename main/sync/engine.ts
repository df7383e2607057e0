import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { SYNCED_TABLES } from '../../db/schema/sync.js';
import { statement } from '../../db/statements.js';
import { numberTypes } from '../../db/pg/reports.js';
import { AppError } from '../domain/errors.js';
import { formatHlc, parseHlc, receive } from './hlc.js';
import { applyServerRow, removeLocalRow, rowExists, shapeOf, type ServerRow } from './apply.js';
import { nextHlc, readState, schemaVersion, writeClocks, writeState } from './capture.js';

// SPEC §8 sync against the central Postgres: push this device's outbox (one call of
// milepost.push per batch, one transaction on the server), then pull what changed
// since the device's cursor, page by page, each page and its cursor in one SQLite
// transaction. A cut at any point loses nothing: the outbox is only trimmed after the
// server answered, a mutation id the server already has is skipped there, and a page
// is either applied with its cursor or not at all.

export interface SyncProgress {
  phase: 'connect' | 'push' | 'pull' | 'done';
  pushed: number;
  pulled: number;
}

export interface Conflict {
  booking_id: string;
  kind: string;
  booked: number;
  units: number;
}

export interface SyncSummary {
  pushed: number;
  skipped: number;
  rejected: { mutation_id: number; reason: string }[];
  pulled: number;
  conflicts: Conflict[];
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

async function hello(client: pg.ClientBase, db: Database.Database): Promise<{ last_mutation_id: number; device_tag_taken: boolean; schema_version: number }> {
  const settings = settingsOf(db);
  const { name, timezone, currency, locale } = settings;
  const res = await client.query<{ r: { last_mutation_id: number; device_tag_taken: boolean; schema_version: number } }>('SELECT milepost.hello($1, $2, $3::jsonb) AS r', [
    readState(db, 'client_id'), settings.device_tag, JSON.stringify({ name, timezone, currency, locale }),
  ]);
  return res.rows[0]!.r;
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
      for (const row of db.prepare(`SELECT * FROM "${table}"`).iterate() as IterableIterator<Record<string, unknown> & { id: string }>) {
        batch.push({ t: table, id: row.id, op: 'insert', v: row });
        writeClocks(db, table, row.id, { '*': hlc });
        if (batch.length === 500) flush();
      }
      flush();
    }
    db.prepare("DELETE FROM sync_state WHERE key = 'needs_seed'").run();
  })();
}

interface PushResult {
  applied: number;
  skipped: number;
  last_mutation_id: number;
  fork_at: number | null;
  rejected: { id: number; reason: string; rows: { t: string; id: string; data: ServerRow | null }[] }[];
  conflicts: Conflict[];
}

const checksum = (hlc: string, changes: string) => createHash('sha256').update(hlc).update('\n').update(changes).digest('hex');

interface Batch {
  json: string;
  firstId: number;
  lastLocal: number;
}

/** The next pushable mutations after a local id, as the JSON push takes (written around the stored changes, not re-encoded). */
function nextBatch(db: Database.Database, after: number, size: number, base: number): Batch | null {
  const pending = statement(db, 'SELECT mutation_id, hlc, changes FROM sync_outbox WHERE mutation_id > ? ORDER BY mutation_id LIMIT ?').all(after, size) as
    { mutation_id: number; hlc: string; changes: string }[];
  if (!pending.length) return null;
  return {
    json: `[${pending.map((m) => `{"id":${m.mutation_id - base},"hlc":${JSON.stringify(m.hlc)},"sum":"${checksum(m.hlc, m.changes)}","changes":${m.changes}}`).join(',')}]`,
    firstId: pending[0]!.mutation_id - base,
    lastLocal: pending[pending.length - 1]!.mutation_id,
  };
}

async function push(client: pg.ClientBase, db: Database.Database, summary: SyncSummary, opts: SyncOptions, progress: () => void): Promise<void> {
  const size = opts.pushBatch ?? 500;
  for (;;) {
    const base = Number(readState(db, 'client_base') ?? '0');
    const clientId = readState(db, 'client_id');
    let batch = nextBatch(db, 0, size, base);
    let forked = false;
    while (batch && !forked) {
      const sent = client.query<{ r: PushResult }>('SELECT milepost.push($1, $2::jsonb) AS r', [clientId, batch.json]);
      // While the server applies this batch, the next one is read and written out. Sent
      // ahead of the answer it is harmless: ids the server does not take yet are a gap
      // it stops at, and the outbox is only trimmed by what the server answered.
      const following = nextBatch(db, batch.lastLocal, size, base);
      const res = (await sent).rows[0]!.r;
      db.transaction(() => {
        if (res.fork_at !== null) {
          // This identity's ids up to fork_at − 1 were applied; from fork_at on, the server
          // holds other changes under the same ids (this database came back from a
          // backup). The rest go again under a new identity, numbered from 1.
          statement(db, 'DELETE FROM sync_outbox WHERE mutation_id < ?').run(res.fork_at + base);
          const first = (db.prepare('SELECT min(mutation_id) AS m FROM sync_outbox').get() as { m: number | null }).m;
          writeState(db, 'client_id', newClientId());
          writeState(db, 'client_base', String((first ?? res.fork_at + base) - 1));
          summary.new_identity = true;
          forked = true;
          return;
        }
        statement(db, 'DELETE FROM sync_outbox WHERE mutation_id <= ?').run(res.last_mutation_id + base);
        for (const r of res.rejected) {
          summary.rejected.push({ mutation_id: r.id, reason: r.reason });
          for (const x of r.rows) {
            if (x.data) applyServerRow(db, x.t, { ...x.data, id: x.id }, true);
            else removeLocalRow(db, x.t, x.id);
          }
        }
      })();
      summary.pushed += res.applied;
      summary.skipped += res.skipped;
      summary.conflicts.push(...res.conflicts);
      progress();
      if (forked) break;
      if (res.last_mutation_id < batch.firstId - 1) {
        throw new Error(`the server holds this device's changes only up to ${res.last_mutation_id} and it has none before ${batch.firstId}: was the central database restored from an older backup?`);
      }
      // A batch stopped short (a gap the server had to wait on): send again from what it holds.
      batch = res.last_mutation_id + base < batch.lastLocal ? nextBatch(db, 0, size, base) : following;
    }
    if (!forked) return;
    await hello(client, db);
  }
}

async function pull(client: pg.ClientBase, db: Database.Database, summary: SyncSummary, opts: SyncOptions, clock: () => Date, progress: () => void): Promise<void> {
  const page = opts.pullPage ?? 2000;
  for (;;) {
    const cursor = JSON.parse(readState(db, 'cursor') ?? JSON.stringify(START)) as Cursor;
    const rows = (await client.query<{ version: number; tbl: string; row_id: string; data: ServerRow }>(
      'SELECT version, tbl, row_id, data FROM milepost.pull($1, $2, $3, $4)', [cursor.version, cursor.tbl, cursor.row, page],
    )).rows;
    if (!rows.length) return;
    db.transaction(() => {
      let latest: string | null = null;
      const page: Pending[] = rows.map((r) => {
        const row = { ...r.data, id: r.row_id };
        for (const c of Object.values(row.field_hlc ?? {})) if (!latest || c > latest) latest = c;
        return { table: r.tbl, row };
      });
      land(db, page);
      // Later local changes must carry a clock after everything seen here.
      if (latest) {
        const last = readState(db, 'hlc');
        writeState(db, 'hlc', formatHlc(receive(last ? parseHlc(last) : null, parseHlc(latest), clock().getTime(), readState(db, 'client_id')!)));
      }
      const end = rows[rows.length - 1]!;
      writeState(db, 'cursor', JSON.stringify({ version: end.version, tbl: end.tbl, row: end.row_id }));
    })();
    summary.pulled += rows.length;
    progress();
    if (rows.length < page) return;
  }
}

interface Pending {
  table: string;
  row: ServerRow;
}

const RANK = new Map<string, number>(SYNCED_TABLES.map((t, i) => [t, i]));

/**
 * Land a page of pulled rows, with the rows still waiting from earlier pages: every
 * row whose parents are on the device or land with it, parents first (so the
 * aggregate triggers see a booking's lead), foreign keys checked at commit (a lead
 * and its customer refer to each other). The rest wait in sync_deferred for a later page.
 */
function land(db: Database.Database, page: Pending[]): void {
  const key = (table: string, id: unknown) => `${table}\u0000${String(id)}`;
  const candidates = new Map<string, Pending>();
  for (const d of db.prepare('SELECT entity, row_id, row FROM sync_deferred').all() as { entity: string; row_id: string; row: string }[]) {
    candidates.set(key(d.entity, d.row_id), { table: d.entity, row: JSON.parse(d.row) as ServerRow });
  }
  for (const p of page) candidates.set(key(p.table, p.row.id), p); // a newer state of a waiting row replaces it
  const waiting: Pending[] = [];
  for (let dropped = true; dropped; ) {
    dropped = false;
    for (const [k, c] of candidates) {
      const missing = shapeOf(db, c.table).parents.some((p) => {
        const v = c.row[p.column];
        return v !== null && v !== undefined && !candidates.has(key(p.table, v)) && !rowExists(db, p.table, v);
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
  // keeps the code.
  const ranked = [...candidates.values()]
    .map((c) => ({ c, o: (RANK.get(c.table) ?? 99) * 2 + (rowExists(db, c.table, c.row.id) ? 0 : 1) }))
    .sort((a, b) => a.o - b.o);
  for (const { c } of ranked) applyServerRow(db, c.table, c.row);
  db.prepare('DELETE FROM sync_deferred').run();
  const wait = statement(db, 'INSERT INTO sync_deferred (entity, row_id, row) VALUES (?, ?, ?)');
  for (const w of waiting) wait.run(w.table, w.row.id, JSON.stringify(w.row));
}

/** Push, then pull. The connection is closed however it ends. */
export async function syncDatabase(db: Database.Database, opts: SyncOptions): Promise<SyncSummary> {
  const clock = opts.clock ?? (() => new Date());
  const summary: SyncSummary = { pushed: 0, skipped: 0, rejected: [], pulled: 0, conflicts: [], new_identity: false, pending: 0, last_sync: '' };
  const report = (phase: SyncProgress['phase']) => () => opts.onProgress?.({ phase, pushed: summary.pushed, pulled: summary.pulled });
  report('connect')();
  const client = await (opts.connect ?? defaultConnect)(opts.url);
  try {
    const hi = await hello(client, db);
    if (hi.schema_version !== schemaVersion(db)) {
      // Rows of two shapes must not meet: the older side is updated first.
      throw new AppError('conflict', `the central database has tenant schema ${hi.schema_version} and this device ${schemaVersion(db)}: ${hi.schema_version < schemaVersion(db) ? 'update the central schema' : 'update Milepost on this device'} before syncing`);
    }
    if (hi.device_tag_taken) {
      // Another device of this tenant has the same tag: take a new one, so that the
      // codes made from now on cannot collide.
      db.prepare('UPDATE tenant_settings SET device_tag = ?').run(randomBytes(2).toString('hex').toUpperCase());
      await hello(client, db);
    }
    seedOutbox(db, clock);
    await push(client, db, summary, opts, report('push'));
    report('pull')();
    await pull(client, db, summary, opts, clock, report('pull'));
  } finally {
    await client.end().catch(() => {});
  }
  summary.pending = pendingCount(db);
  summary.last_sync = clock().toISOString();
  writeState(db, 'last_sync', JSON.stringify(summary));
  report('done')();
  return summary;
}
